package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestFrozenStoreLinkOut: a results store whose entries are symbolic links
// to files outside the site publishes nothing, even when what they point
// to are genuine entries (a forged one would read the same to the store):
// the --frozen build of the example site fails at a snippet's line, naming
// the entry, and writes no output.
func TestFrozenStoreLinkOut(t *testing.T) {
	site := t.TempDir()
	copyTree(t, "content", filepath.Join(site, "content"))
	copyTree(t, ".benchpress/results", filepath.Join(site, ".benchpress/results"))
	cfg, err := os.ReadFile("config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(site, "config.yaml"), cfg, 0o644)

	forged := t.TempDir()
	store := filepath.Join(site, ".benchpress/results")
	entries, _ := os.ReadDir(store)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(store, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(forged, e.Name()), b, 0o644)
		os.Remove(filepath.Join(store, e.Name()))
		if err := os.Symlink(filepath.Join(forged, e.Name()), filepath.Join(store, e.Name())); err != nil {
			t.Fatal(err)
		}
	}

	out := filepath.Join(t.TempDir(), "public")
	_, err = buildSite(context.Background(), buildFlags{root: site, out: out, frozen: true}, false, newConsole(&bytes.Buffer{}, site, false))
	if err == nil {
		t.Fatal("the --frozen build through links out of the store succeeded")
	}
	first := strings.Split(err.Error(), "\n")[0]
	want := regexp.MustCompile(`^content/posts/[a-z0-9-]+\.md:\d+: no stored result for this snippet and the build is --frozen \(stored entry [0-9a-f]{32}\.json is a symbolic link out of the results store: refused, rerun\): build once without --frozen and commit .*\.benchpress/results$`)
	if !want.MatchString(first) {
		t.Errorf("error:\n%s\nwant it to match %s", first, want)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("the failed build wrote %s", out)
	}
}
