package generator

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/benchpress/benchpress/generator/config"
	"github.com/benchpress/benchpress/generator/content"
	"github.com/benchpress/benchpress/generator/diag"
	"github.com/benchpress/benchpress/generator/postdoc"
	"github.com/benchpress/benchpress/generator/snippet"
	"github.com/benchpress/benchpress/playground"
)

// FuzzPost feeds arbitrary files through what a build does with a post
// before anything runs: front matter, markdown, the analysis (summary,
// TOC, search text), snippet collection and program completion, and
// rendering. Nothing may panic or hang; every error must be an *diag.Error
// positioned in the file (a line within it, or 0); and what renders from
// an accepted file must be valid UTF-8. The seed corpus
// (testdata/fuzz/FuzzPost) holds the example site's posts.
func FuzzPost(f *testing.F) {
	f.Add([]byte("---\ntitle: A\ndate: 2026-01-01\ntags: [go]\n---\nHello *world*.\n\n```go run name=x\nfmt.Println(1)\n```\n"))
	// Lists and blockquotes nested past the bound, in the body and in the
	// summary.
	f.Add([]byte("---\ntitle: A\ndate: 2026-01-01\nsummary: \"" + strings.Repeat("> ", 101) + "x\"\n---\n" + strings.Repeat("- ", 101) + "x\n"))
	hl, err := newHighlighter(config.Default())
	if err != nil {
		f.Fatal(err)
	}
	md := postdoc.New(config.Default(), hl, nil)
	f.Fuzz(func(t *testing.T, data []byte) {
		const file = "content/posts/f.md"
		lines := bytes.Count(data, []byte("\n")) + 1
		positioned := func(err error) {
			t.Helper()
			var list diag.List
			list.Add(err)
			for _, e := range list {
				if e.File != file || e.Line < 0 || e.Line > lines {
					t.Fatalf("error not positioned in %s (%d lines): %q", file, lines, e.Error())
				}
			}
			var pe *diag.Error
			var el diag.List
			if !errors.As(err, &pe) && !errors.As(err, &el) {
				t.Fatalf("error is not an *diag.Error: %v", err)
			}
		}
		p, err := content.Decode(file, bytes.Clone(data))
		if err != nil {
			positioned(err)
			return
		}
		doc, sns, errs := md.Parse(p)
		if len(errs) > 0 {
			positioned(errs)
		}
		if err := md.Analyse(p, doc); err != nil {
			positioned(err)
		}
		named := map[string]*snippet.Snippet{}
		for _, sn := range sns {
			_ = sn.Build(fstest.MapFS{}, "content/posts", named, playground.BenchOptions{})
			if sn.Opts.Name != "" {
				named[sn.Opts.Name] = sn
			}
		}
		var buf bytes.Buffer
		if err := doc.Render(&buf); err != nil {
			t.Fatalf("render: %v", err)
		}
		if !utf8.Valid(buf.Bytes()) || !utf8.ValidString(p.Text) || !utf8.ValidString(string(p.Summary)) {
			t.Fatalf("an accepted post renders invalid UTF-8")
		}
	})
}
