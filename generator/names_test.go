package generator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

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

// TestPortableName: the names one of Linux, macOS and Windows refuses
// or changes, and names close to them that all three take.
func TestPortableName(t *testing.T) {
	for _, tt := range []struct{ name, want string }{
		{"index.html", ""},
		{"ünï-çødé", ""},
		{"console.html", ""},
		{"auxiliary", ""},
		{"com10", ""},
		{"lpt0.txt", ""},
		{"nul-and-void", ""},
		{".hidden", ""},
		{strings.Repeat("a", 255), ""},
		{"con", "is the name of a device on Windows (CON)"},
		{"CON", "is the name of a device on Windows (CON)"},
		{"aux.md", "is the name of a device on Windows (AUX)"},
		{"Nul.tar.gz", "is the name of a device on Windows (NUL)"},
		{"prn .txt", "is the name of a device on Windows (PRN)"},
		{"com7", "is the name of a device on Windows (COM7)"},
		{"LPT9.log", "is the name of a device on Windows (LPT9)"},
		{"com¹", "is the name of a device on Windows (COM¹)"},
		{"conout$", "is the name of a device on Windows (CONOUT$)"},
		{"a:b", "holds ':', which Windows refuses in file names"},
		{"why?", "holds '?', which Windows refuses in file names"},
		{"a*b", "holds '*', which Windows refuses in file names"},
		{`"q"`, `holds '"', which Windows refuses in file names`},
		{"<b>", "holds '<', which Windows refuses in file names"},
		{"a|b", "holds '|', which Windows refuses in file names"},
		{`a\b`, `holds '\\', which Windows refuses in file names`},
		{"tab\there", "holds the control character U+0009, which Windows refuses in file names"},
		{"trailing.", "ends in a dot or a space, which Windows drops from file names"},
		{"trailing ", "ends in a dot or a space, which Windows drops from file names"},
		{strings.Repeat("ü", 128), "is longer than 255 bytes (256)"},
	} {
		got := ""
		if err := portableName(tt.name); err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("portableName(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestFoldKey: names that macOS's and Windows' file systems take for one
// have one key; names they keep apart do not.
func TestFoldKey(t *testing.T) {
	same := [][2]string{
		{"Posts/A.md", "posts/a.md"},
		{"ÜNÏ", "ünï"},
		{"café", "cafe\u0301"}, // composed and decomposed
		{"CAFE\u0301", "café"},
		{"s", "ſ"},      // long s
		{"k", "\u212a"}, // Kelvin sign
		{"Σίσυφος", "ΣΊΣΥΦΟΣ"},
		{"ς", "σ"}, // final sigma
	}
	for _, p := range same {
		if foldKey(p[0]) != foldKey(p[1]) {
			t.Errorf("foldKey(%q) != foldKey(%q)", p[0], p[1])
		}
	}
	different := [][2]string{
		{"a", "b"},
		{"straße", "strasse"}, // only full case folding joins these; the file systems do not
		{"é", "e"},
		{"posts/a", "posts-a"},
	}
	for _, p := range different {
		if foldKey(p[0]) == foldKey(p[1]) {
			t.Errorf("foldKey(%q) == foldKey(%q)", p[0], p[1])
		}
	}
}

// FuzzNames checks the name rules on any text: slugify gives a slug that
// is its own slug (UTF-8, composed, no dash at either end nor two in a
// row); foldKey joins exactly the names strings.EqualFold joins, once
// composed; portableName and portablePath answer without panicking.
func FuzzNames(f *testing.F) {
	for _, s := range []string{"Ünïcode wörds", "cafe\u0301", "日本語", "हिन्दी", "C++ & Go!", "ſ", "\u212a", "AUX.md", "a:b", "trailing.", "bad\xffutf8", "Σίσυφος", "\u0301x"} {
		f.Add(s, strings.ToUpper(s))
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		s := slugify(a)
		if slugify(s) != s {
			t.Errorf("slugify(%q) = %q, whose slug is %q", a, s, slugify(s))
		}
		if !utf8.ValidString(s) || !norm.NFC.IsNormalString(s) {
			t.Errorf("slugify(%q) = %q: not composed UTF-8", a, s)
		}
		if strings.HasPrefix(s, "-") || strings.HasSuffix(s, "-") || strings.Contains(s, "--") {
			t.Errorf("slugify(%q) = %q: stray dashes", a, s)
		}
		if utf8.ValidString(a) && utf8.ValidString(b) {
			na, nb := norm.NFC.String(a), norm.NFC.String(b)
			if eq := strings.EqualFold(na, nb); eq != (foldKey(a) == foldKey(b)) {
				t.Errorf("EqualFold(%q, %q) = %v, but their fold keys are %q and %q", na, nb, eq, foldKey(a), foldKey(b))
			}
		}
		_ = portableName(a)
		_ = portablePath(a + "/" + b)
		if s != "" && portableName(s) != nil && checkSlug(s, "", "") == nil {
			t.Errorf("slug %q passes checkSlug but not portableName: %v", s, portableName(s))
		}
	})
}

// TestCheckSlug: what `benchpress new` is told about a title's slug.
func TestCheckSlug(t *testing.T) {
	for _, tt := range []struct{ slug, want string }{
		{"consistent-hashing", ""},
		{"ünï-çødé", ""},
		{"con", `slug "con" is the name of a device on Windows (CON): choose another title`},
		{strings.Repeat("ab", 128), "slug is longer than 255 bytes (256): choose a shorter title"},
	} {
		got := ""
		if err := CheckSlug(tt.slug); err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("CheckSlug(%q) = %q, want %q", tt.slug, got, tt.want)
		}
	}
}
