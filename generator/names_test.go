package generator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/benchpress/benchpress/internal/sitecheck"
	"golang.org/x/tools/txtar"
)

// TestUnicodeSite: a post whose file name, tag and bundle file are not
// ASCII keeps its letters in every URL, is written under those names, and
// every place that carries its URL encodes it as that place needs: HTML
// attributes, feeds, sitemap and redirect pages percent-encoded.
func TestUnicodeSite(t *testing.T) {
	root := writeArchive(t, txtar.Parse([]byte(okConfig+`-- content/posts/ünï-çødé/index.md --
---
title: Ünï Çødé
date: 2026-01-01
tags: [Ünïcode, 日本語]
aliases: [/alt/ünï/]
---
Intro.

<!--more-->

A picture: ![bild](bild-ä.png)
-- content/posts/ünï-çødé/bild-ä.png --
png
-- content/posts/plain.md --
---
title: Plain
date: 2026-01-02
---
Links to [the other post](/posts/ünï-çødé/).
`)))
	out, _, err := buildSite(t, root, &fakeRunner{})
	if err != nil {
		t.Fatal(err)
	}
	const enc = "/posts/%C3%BCn%C3%AF-%C3%A7%C3%B8d%C3%A9/"
	for _, f := range []string{"posts/ünï-çødé/index.html", "posts/ünï-çødé/bild-ä.png", "tags/ünïcode/index.html", "tags/日本語/index.html", "alt/ünï/index.html"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	read := func(f string) string {
		b, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for _, tt := range []struct{ file, want string }{
		{"index.html", `href="` + enc + `"`},
		{"index.html", `href="/tags/%c3%bcn%c3%afcode/"`}, // html/template's lower-case hex
		{"index.html", `href="/tags/%e6%97%a5%e6%9c%ac%e8%aa%9e/"`},
		{"posts/plain/index.html", `href="` + enc + `"`},
		{"sitemap.xml", "<loc>https://example.org" + enc + "</loc>"},
		{"sitemap.xml", "<loc>https://example.org/tags/%C3%BCn%C3%AFcode/</loc>"},
		{"index.xml", "<link>https://example.org" + enc + "</link>"},
		{"index.xml", `src=&#34;https://example.org` + enc + `bild-%C3%A4.png&#34;`},
		{"atom.xml", `href="https://example.org` + enc + `"`},
		{"alt/ünï/index.html", `url=https://example.org` + enc + `"`},
	} {
		if got := read(tt.file); !strings.Contains(got, tt.want) {
			t.Errorf("%s does not hold %s", tt.file, tt.want)
		}
	}
	for _, f := range []string{"sitemap.xml", "index.xml", "atom.xml", "alt/ünï/index.html"} {
		if got := read(f); strings.Contains(got, "https://example.org/posts/ü") {
			t.Errorf("%s holds a URL that is not percent-encoded", f)
		}
	}
	// Every link of every page, feed and sitemap finds its file, as
	// `benchpress check` sees them.
	rep, err := sitecheck.Check(os.DirFS(out), sitecheck.Options{BaseURL: "https://example.org/"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range rep.Problems {
		t.Errorf("check: %v", p)
	}
}
