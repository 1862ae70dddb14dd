package feeds

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// TestReplaceRelLinks holds the hand-written scanner to the regexp it
// replaces, on crafted and on random HTML.
func TestReplaceRelLinks(t *testing.T) {
	inputs := []string{
		``, `no links`, `<a href="/x/">x</a>`, `<img src="a.svg"><a href="#top">`,
		`<a href="https://e.org/">`, `<a href="a:b" src="c">`, `href="a=" src="b"`,
		`href="x#y:z"`, `href="#"`, `ehref="q" xsrc="r"`, `href="unterminated`,
		`href="a"src="b"href="c"`, `src="" href=""`, `href="a#b"#c"`, "href=\"\xff\xfe\"",
		`<a href='single'>`, `href ="spaced"`, `hrefhref="x"`, `=""=""src="s"`,
	}
	r := rand.New(rand.NewPCG(1, 2))
	pieces := []string{`href`, `src`, `="`, `"`, `#`, `:`, `/`, `a`, ` `, `=`, `<a `, `>`, "é"}
	for n := 0; n < 3000; n++ {
		var b strings.Builder
		for k := r.IntN(30); k > 0; k-- {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		inputs = append(inputs, b.String())
	}
	for _, in := range inputs {
		want := relLinkRE.ReplaceAllStringFunc(in, func(m string) string {
			sm := relLinkRE.FindStringSubmatch(m)
			return "[" + sm[1] + "|" + sm[2] + "]"
		})
		got := replaceRelLinks(in, func(m, attr, ref string) string { return "[" + attr + "|" + ref + "]" })
		if got != want {
			t.Fatalf("replaceRelLinks(%q) = %q, regexp gives %q", in, got, want)
		}
	}
}

func TestFeedsAndSitemap(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 1, d, 0, 0, 0, 0, time.UTC) }
	site := Site{Title: "T", Description: "D", Language: "en", Home: "https://x.org/", RSS: "https://x.org/index.xml", Atom: "https://x.org/atom.xml"}
	entries := []Entry{
		{Title: "B & C", URL: "https://x.org/posts/b/", Published: day(2), Updated: day(5), Summary: "<p>b</p>", Content: "<p>all of b</p>", Tags: []string{"go"}},
		{Title: "A", URL: "https://x.org/posts/a/", Published: day(1), Updated: day(1), Summary: "<p>a</p>"},
	}
	rss, atom, err := Feeds(site, entries, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<title>B &amp; C</title>", "<lastBuildDate>Mon, 05 Jan 2026 00:00:00 +0000</lastBuildDate>",
		`<guid isPermaLink="true">https://x.org/posts/b/</guid>`, "<content:encoded>&lt;p&gt;all of b&lt;/p&gt;</content:encoded>", "<category>go</category>"} {
		if !strings.Contains(string(rss), want) {
			t.Errorf("RSS lacks %s", want)
		}
	}
	if strings.Count(string(rss), "<content:encoded>") != 1 {
		t.Error("RSS: an entry without content got a content element")
	}
	if strings.Count(string(atom), `<content type="html">`) != 2 {
		t.Error("Atom: an entry without content lost its (empty) content element")
	}
	if _, summaries, _ := Feeds(site, entries, false); strings.Contains(string(summaries), "<content") {
		t.Error("Atom of summaries has a content element")
	}
	for _, want := range []string{"<updated>2026-01-05T00:00:00Z</updated>", `<link href="https://x.org/atom.xml" rel="self" type="application/atom+xml"></link>`, `<category term="go"></category>`} {
		if !strings.Contains(string(atom), want) {
			t.Errorf("Atom lacks %s", want)
		}
	}
	again, _, _ := Feeds(site, entries, true)
	if string(again) != string(rss) {
		t.Error("the same input gave another feed")
	}
	sm := string(Sitemap([]Page{{URL: "https://x.org/", LastMod: day(5)}, {URL: "https://x.org/z/"}, {URL: "https://x.org/a/", LastMod: day(1)}}))
	home, z, a := strings.Index(sm, "https://x.org/<"), strings.Index(sm, "/z/"), strings.Index(sm, "/a/")
	if !(home < a && a < z) || !strings.Contains(sm, "<lastmod>2026-01-05</lastmod>") || strings.Count(sm, "<lastmod>") != 2 {
		t.Errorf("sitemap:\n%s", sm)
	}
}

func TestAbsolutize(t *testing.T) {
	abs := func(p string) string { return "https://x.org/blog" + p }
	got := Absolutize(`<a href="/blog/posts/b/">b</a> <img src="fig.svg"> <a href="#s">s</a> <a href="https://y.org/">y</a>`,
		"https://x.org/blog/posts/a/", "/blog", abs)
	want := `<a href="https://x.org/blog/posts/b/">b</a> <img src="https://x.org/blog/posts/a/fig.svg"> <a href="#s">s</a> <a href="https://y.org/">y</a>`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
