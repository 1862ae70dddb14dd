package sitecheck_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"

	"github.com/benchpress/benchpress/internal/sitecheck"
)

// treeFS reads a txtar of built output as a file system.
func treeFS(t testing.TB, archive string) fstest.MapFS {
	t.Helper()
	ar, err := txtar.ParseFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, f := range ar.Files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
	}
	return fsys
}

func check(t *testing.T, fsys fstest.MapFS, baseURL string) *sitecheck.Report {
	t.Helper()
	rep, err := sitecheck.Check(fsys, sitecheck.Options{BaseURL: baseURL})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func lines(rep *sitecheck.Report) []string {
	var got []string
	for _, p := range rep.Problems {
		got = append(got, p.String())
	}
	return got
}

func diffLines(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") == strings.Join(want, "\n") {
		return
	}
	show := func(l []string) string {
		if len(l) == 0 {
			return "\t(none)"
		}
		return "\t" + strings.Join(l, "\n\t")
	}
	t.Errorf("problems:\n%s\nwant:\n%s", show(got), show(want))
}

func TestBrokenSite(t *testing.T) {
	rep := check(t, treeFS(t, "testdata/broken.txtar"), "https://blog.example.org/blog/")
	diffLines(t, lines(rep), []string{
		`404.html: relative URL in link href css/style.css: 404.html is served at any depth; use /blog/css/style.css`,
		`atom.xml: does not parse: XML syntax error on line 4: invalid character entity & (no semicolon)`,
		`css/style.css: foreign host in @import: https://fonts.example.com/css`,
		`css/style.css: missing url() /blog/fonts/body.woff2: no file fonts/body.woff2`,
		`index.html: broken link /blog/posts/gone/: no file posts/gone/index.html`,
		`index.html: broken link /elsewhere/: outside the site's base path /blog/`,
		`index.html: duplicate id "dup" (2 elements)`,
		`index.html: foreign host in img src: https://cdn.example.com/photo.jpg`,
		`index.html: foreign host in link href: https://cdn.example.com/fonts.css`,
		`index.html: foreign host in script src: //cdn.example.com/analytics.js`,
		`index.html: missing anchor #missing: no id "missing" on this page`,
		`index.html: missing anchor /blog/posts/a/#nope: no id "nope" in posts/a/index.html`,
		`index.html: missing img src /blog/img/missing.png: no file img/missing.png`,
		`index.html: missing use href /blog/icons.svg#nope: no id "nope" in icons.svg`,
		`index.xml: broken item link https://blog.example.org/blog/posts/gone/: no file posts/gone/index.html`,
		`index.xml: item link https://elsewhere.example/post/ is outside the site https://blog.example.org/blog/`,
		`old/gone/index.html: broken redirect /blog/posts/gone/: no file posts/gone/index.html`,
		`posts/a/index.html: broken link ../b/: no file posts/b/index.html`,
		`sitemap.xml: loc /blog/about/ is not absolute`,
	})
	if rep.Pages != 7 || rep.Feeds != 3 {
		t.Errorf("pages, feeds = %d, %d; want 7, 3", rep.Pages, rep.Feeds)
	}
}

func TestCleanSite(t *testing.T) {
	rep := check(t, treeFS(t, "testdata/clean.txtar"), "https://example.org/")
	diffLines(t, lines(rep), nil)
	if rep.Pages == 0 || rep.Links == 0 || rep.Assets == 0 || rep.Feeds == 0 {
		t.Errorf("checked nothing: %+v", rep)
	}
}

func TestBadOptions(t *testing.T) {
	fsys := fstest.MapFS{"index.html": {Data: []byte("<p>hi</p>")}}
	for _, base := range []string{"", "/blog/", "ftp://example.org/"} {
		if _, err := sitecheck.Check(fsys, sitecheck.Options{BaseURL: base}); err == nil {
			t.Errorf("BaseURL %q: no error", base)
		}
	}
	if _, err := sitecheck.Check(fstest.MapFS{}, sitecheck.Options{BaseURL: "https://example.org/"}); err == nil {
		t.Error("empty tree: no error")
	}
}
