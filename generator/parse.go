package generator

import (
	"bytes"
	"context"
	"io"

	"github.com/benchpress/benchpress/generator/config"
	"github.com/benchpress/benchpress/generator/diag"
	"github.com/benchpress/benchpress/generator/diagram"
	"github.com/benchpress/benchpress/generator/markdown"
	"github.com/benchpress/benchpress/generator/snippet"
)

// postMarkdown is the site's markdown with its live blocks: package
// markdown parses and renders, package snippet recognises live fences and
// writes their HTML.
type postMarkdown struct {
	*markdown.Markdown
	html *snippet.HTML
}

func newMarkdown(cfg *config.Config, diagrams func(string) (string, error)) *postMarkdown {
	return &postMarkdown{
		Markdown: markdown.New(markdown.Options{
			LineNumbers: cfg.Highlight.LineNumbers,
			Unsafe:      cfg.RawHTML(),
			Fence:       fenceOf,
			Diagram:     diagrams,
		}),
		html: &snippet.HTML{
			PlaygroundURL: cfg.Playground.URL,
			LineNumbers:   cfg.Highlight.LineNumbers,
			Highlight: func(w io.Writer, lang, code string, lineNos bool) {
				markdown.Highlight(w, lang, code, lineNos, nil)
			},
		},
	}
}

// diagramRenderer draws ```d2 fences, cached by their source under the
// site's .benchpress/cache/d2: d2's layout takes a fraction of a second a
// diagram, a cached one is a file read.
func diagramRenderer(ctx context.Context, root string) func(string) (string, error) {
	cache := newRenderCache(root, "d2", ".svg")
	return func(src string) (string, error) {
		svg, err := cache.get(hashKey(diagram.Version, src), func(b []byte) bool { return bytes.HasPrefix(b, []byte("<svg")) }, func() ([]byte, error) {
			svg, err := diagram.Render(ctx, src)
			if err != nil {
				if e, ok := err.(*diagram.Error); ok {
					return nil, &markdown.SourceError{Line: e.Line, Msg: e.Msg}
				}
				return nil, err
			}
			return []byte(svg), nil
		})
		return string(svg), err
	}
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
		c := &snippet.Collector{File: p.SourcePath}
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
