package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// The check verb reads baseURL from the site's config.yaml: a site served
// below the host's root links to /blog/... .
func TestCheckCommand(t *testing.T) {
	site := writeFiles(t, map[string]string{
		"config.yaml":              "title: T\nbaseURL: https://example.org/blog/\n",
		"public/index.html":        `<a href="/blog/about/">About</a> <a href="/blog/about/#team">Team</a>`,
		"public/about/index.html":  `<h2 id="team">Team</h2><a href="https://example.org/blog/">Home</a>`,
		"elsewhere/index.html":     `<a href="/blog/nope/">Nope</a><p id="x"></p><p id="x"></p>`,
		"elsewhere/nope/other.txt": "",
	})
	var stdout, stderr bytes.Buffer
	if err := checkSite([]string{"--source", site}, &stdout, &stderr); err != nil {
		t.Fatalf("clean site: %v\n%s%s", err, stdout.String(), stderr.String())
	}
	if stdout.Len() != 0 || !strings.Contains(stderr.String(), "2 pages, 3 links, 0 assets, 0 feeds and sitemaps: no problems") {
		t.Errorf("clean site: stdout %q, stderr %q", stdout.String(), stderr.String())
	}

	stdout.Reset()
	stderr.Reset()
	err := checkSite([]string{"--source", site, "--dir", filepath.Join(site, "elsewhere")}, &stdout, &stderr)
	if code, ok := errors.AsType[exitCode](err); !ok || code != 1 {
		t.Fatalf("broken site: err = %v, want exit status 1", err)
	}
	want := "index.html: broken link /blog/nope/: no file nope/index.html\nindex.html: duplicate id \"x\" (2 elements)\n"
	if stdout.String() != want {
		t.Errorf("broken site: stdout\n%s\nwant\n%s", stdout.String(), want)
	}
	if !strings.Contains(stderr.String(), "check: 2 problems in 1 file of ") {
		t.Errorf("broken site: stderr %q", stderr.String())
	}

	// Under GitHub Actions each problem is also an ::error command.
	t.Setenv("GITHUB_ACTIONS", "true")
	stdout.Reset()
	checkSite([]string{"--source", site, "--dir", filepath.Join(site, "elsewhere")}, &stdout, &stderr)
	want = "index.html: broken link /blog/nope/: no file nope/index.html\n::error::index.html: broken link /blog/nope/: no file nope/index.html\n" +
		"index.html: duplicate id \"x\" (2 elements)\n::error::index.html: duplicate id \"x\" (2 elements)\n"
	if stdout.String() != want {
		t.Errorf("under GitHub Actions: stdout\n%s\nwant\n%s", stdout.String(), want)
	}

	err = checkSite([]string{"--source", site, "--dir", filepath.Join(site, "missing")}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "build the site first") {
		t.Errorf("missing dir: err = %v", err)
	}
}
