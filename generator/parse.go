package generator

import (
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
}

func newMarkdown(cfg *config.Config) *postMarkdown {
	return &postMarkdown{
		Markdown: markdown.New(markdown.Options{
			LineNumbers: cfg.Highlight.LineNumbers,
			Unsafe:      cfg.RawHTML(),
			Fence:       fenceOf,
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

// fenceOf reads an info string with snippet's recogniser, the only one.
func fenceOf(info string) (markdown.Fence, error) {
	fi, err := snippet.ParseFenceInfo(info)
	return markdown.Fence{Lang: fi.Lang, Live: fi.Verb != "", LineNumbers: fi.LineNos, Highlight: fi.Highlight}, err
}

// parse parses a post's body. With collect set it creates the post's
// snippets (in st); otherwise it attaches the existing ones (already run)
// to the new tree, in the same order.
func (m *postMarkdown) parse(p *Post, st *postState, collect bool) (*markdown.Doc, diag.List) {
	var live markdown.Live
	if collect {
		c := &snippet.Collector{File: p.SourcePath}
		live = func(f markdown.LiveFence) (markdown.Block, error) {
			fi, _ := snippet.ParseFenceInfo(f.Info)
			sn, err := c.Add(fi, f.Body, f.Line, f.BodyLine)
			if err != nil {
				return nil, err
			}
			st.snippets = append(st.snippets, sn)
			return liveBlock{sn, m.html}, nil
		}
	} else {
		next := 0
		live = func(markdown.LiveFence) (markdown.Block, error) {
			if next >= len(st.snippets) {
				return nil, nil
			}
			next++
			return liveBlock{st.snippets[next-1], m.html}, nil
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
