package generator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// TestSubpathAbsoluteURLs checks a site served below the host's root
// (baseURL https://example.org/blog/): its absolute URLs (feeds, sitemap,
// canonical links) carry the path once, as its relative ones do.
func TestSubpathAbsoluteURLs(t *testing.T) {
	site := "-- config.yaml --\ntitle: T\nbaseURL: https://example.org/blog/\n" +
		"-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\n---\nSee [b](/posts/b/).\n" +
		"-- content/posts/b.md --\n---\ntitle: B\ndate: 2026-01-02\n---\nB.\n"
	out, _, err := buildSite(t, writeArchive(t, txtar.Parse([]byte(site))), &fakeRunner{})
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{"index.xml", "atom.xml", "sitemap.xml", "posts/a/index.html"} {
		data, err := os.ReadFile(filepath.Join(out, file))
		if err != nil {
			t.Fatal(err)
		}
		page := string(data)
		if strings.Contains(page, "/blog/blog/") {
			t.Errorf("%s: the base path appears twice", file)
		}
		if !strings.Contains(page, "https://example.org/blog/posts/a/") {
			t.Errorf("%s lacks the absolute URL of post a", file)
		}
	}
}
