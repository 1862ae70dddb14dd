package markdown

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// TestQuickLinkify checks that quickLinkify links exactly what goldmark's
// Linkify links: the cases below, the example site's posts and, when it
// has been generated, the benchmark corpus.
func TestQuickLinkify(t *testing.T) {
	cases := []string{
		"see https://example.org/a?b=c. and http://x.y/(z) too",
		"www.example.com, ftp://files.example.org/x and (https://a.b/c)",
		"mail me@example.org or a.b+c@sub.example.co.uk. not@ or @nope or x@y",
		"*https://em.example.org* _www.under.example_ ~https://tilde.example~",
		"trailing https://example.org/path; and https://example.org/&amp; end",
		"no links here at all, just words: http and www and at",
		"line head\nhttps://next.line.example\nwww.third.example",
		"tab\thttps://tab.example and\u00a0https://nbsp.example",
		"[a label with https://inside.example](https://outer.example) and <https://angle.example>",
		"`code https://code.example` and **https://strong.example**",
		"email-like a@b, a@b.c, a.@b.c, user@host.example- and user@host.example_",
		"HTTP://UPPER.EXAMPLE Www.mixed.example mailto:x@y.example",
	}
	files, _ := filepath.Glob("../../content/posts/*.md")
	more, _ := filepath.Glob(filepath.Join(os.TempDir(), "benchpress-bench", "site-1000", "content", "posts", "000*.md"))
	for _, f := range append(files, more...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, string(data))
	}
	if len(files) == 0 {
		t.Fatal("no example posts found")
	}
	ref := goldmark.New(goldmark.WithExtensions(extension.GFM))
	quick := goldmark.New(goldmark.WithExtensions(quickLinkify, extension.Table, extension.Strikethrough, extension.TaskList))
	for _, src := range cases {
		var want, got bytes.Buffer
		if err := ref.Convert([]byte(src), &want); err != nil {
			t.Fatal(err)
		}
		if err := quick.Convert([]byte(src), &got); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("quickLinkify differs from Linkify on %.60q:\n got: %s\nwant: %s", src, got.String(), want.String())
		}
	}
}
