package generator

import (
	"cmp"
	"io"

	"github.com/benchpress/benchpress/generator/config"
	"github.com/benchpress/benchpress/generator/diag"
	"github.com/benchpress/benchpress/generator/markdown"
	"github.com/benchpress/benchpress/generator/snippet"
)

// postMarkdown is the site's markdown with its live blocks: package
// markdown parses and renders, package snippet recognises live fences and
// writes their HTML.
type postMarkdown struct {
	*markdown.Markdown
	html *snippet.HTML
	hl   *markdown.Highlighter
	// maxCombinations caps an explorable block's grid.
	maxCombinations int
}

// newMarkdown is the site's markdown; its error is config.yaml's, for an
// unknown highlighting style.
func newMarkdown(cfg *config.Config) (*postMarkdown, error) {
	hl, err := newHighlighter(cfg)
	if err != nil {
		return nil, err
	}
	return &postMarkdown{
		Markdown: markdown.New(markdown.Options{
			LineNumbers: cfg.Highlight.LineNumbers,
			Unsafe:      cfg.RawHTML(),
			Fence:       fenceOf,
			Highlighter: hl,
		}),
		html: &snippet.HTML{
			PlaygroundURL: cfg.Playground.URL,
			LineNumbers:   cfg.Highlight.LineNumbers,
			Highlight: func(w io.Writer, lang, code string, lineNos bool) {
				hl.Highlight(w, lang, code, lineNos, nil)
			},
		},
		hl:              hl,
		maxCombinations: cmp.Or(cfg.Playground.MaxCombinations, config.DefaultMaxCombinations),
	}, nil
}

// fenceOf reads an info string with snippet's recogniser, the only one.
func fenceOf(info string) (markdown.Fence, error) {
	fi, err := snippet.ParseFenceInfo(info)
	return markdown.Fence{Lang: fi.Lang, Live: fi.Verb != "", LineNumbers: fi.LineNos, Highlight: fi.Highlight}, err
}

// parse parses a post's body. With collect set it creates the post's
// Snippets; otherwise it attaches the existing ones (already run) to the
// new tree, in the same order.
func (m *postMarkdown) parse(p *Post, collect bool) (*markdown.Doc, diag.List) {
	var live markdown.Live
	if collect {
		c := &snippet.Collector{File: p.SourcePath, MaxCombinations: m.maxCombinations}
		live = func(f markdown.LiveFence) (markdown.Block, error) {
			fi, _ := snippet.ParseFenceInfo(f.Info)
			sn, err := c.Add(fi, f.Body, f.Line, f.BodyLine)
			if err != nil {
				return nil, err
			}
			p.Snippets = append(p.Snippets, sn)
			return liveBlock{sn, m.html}, nil
		}
	} else {
		next := 0
		live = func(markdown.LiveFence) (markdown.Block, error) {
			if next >= len(p.Snippets) {
				return nil, nil
			}
			next++
			return liveBlock{p.Snippets[next-1], m.html}, nil
		}
	}
	return m.Parse(p.Body, p.SourcePath, live)
}

// liveBlock renders a snippet where its fence was.
type liveBlock struct {
	sn   *snippet.Snippet
	html *snippet.HTML
}

func (b liveBlock) WriteHTML(w io.Writer) { b.sn.WriteHTML(w, b.html) }
