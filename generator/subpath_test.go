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

// TestTeaserLinks: a teaser's links and images relative to its post (a
// bundle's picture) point at the post's directory on the home, tag and
// archive pages, with the site's base path; root-relative, absolute and
// fragment links are left as written.
func TestTeaserLinks(t *testing.T) {
	for _, tc := range []struct {
		base, want string
	}{
		{"https://example.org/", `src="/posts/a/pic.png"`},
		{"https://example.org/blog/", `src="/blog/posts/a/pic.png"`},
	} {
		site := "-- config.yaml --\ntitle: T\nbaseURL: " + tc.base + "\n" +
			"-- content/posts/a/index.md --\n---\ntitle: A\ndate: 2026-01-01\ntags: [x]\n---\n" +
			"![a picture](pic.png) and [notes](notes.txt) and [b](/posts/b/) and [go](https://go.dev/).\n" +
			"-- content/posts/a/pic.png --\npng\n-- content/posts/a/notes.txt --\nplain\n"
		out, _, err := buildSite(t, writeArchive(t, txtar.Parse([]byte(site))), &fakeRunner{})
		if err != nil {
			t.Fatal(err)
		}
		base := strings.TrimSuffix(strings.TrimPrefix(tc.base, "https://example.org"), "/")
		for _, file := range []string{"index.html", "tags/x/index.html", "posts/a/index.html"} {
			data, err := os.ReadFile(filepath.Join(out, file))
			if err != nil {
				t.Fatal(err)
			}
			page := string(data)
			wants := []string{tc.want, `href="` + base + `/posts/a/notes.txt"`, `href="/posts/b/"`, `href="https://go.dev/"`}
			if file == "posts/a/index.html" {
				wants = []string{`src="pic.png"`, `href="notes.txt"`} // the post's own page keeps them relative
			}
			for _, want := range wants {
				if !strings.Contains(page, want) {
					t.Errorf("base %s: %s lacks %s", tc.base, file, want)
				}
			}
		}
	}
}
