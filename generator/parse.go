package generator

// The markdown pass: package markdown parses a post, package snippet
// collects its live blocks, and analyse fills the post's plain data
// (summary, TOC, word count, search text) from the tree.

import (
	"bytes"
	"cmp"
	"context"
	"html/template"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/benchpress/benchpress/generator/config"
	"github.com/benchpress/benchpress/generator/diag"
	"github.com/benchpress/benchpress/generator/diagram"
	"github.com/benchpress/benchpress/generator/markdown"
	"github.com/benchpress/benchpress/generator/rendercache"
	"github.com/benchpress/benchpress/generator/snippet"
	"github.com/benchpress/benchpress/internal/parallel"
	"github.com/benchpress/benchpress/playground"
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

// newMarkdown is the site's markdown, drawing ```d2 fences with diagrams;
// its error is config.yaml's, for an unknown highlighting style.
func newMarkdown(cfg *config.Config, diagrams func(string) (string, error)) (*postMarkdown, error) {
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
			Diagram:     diagrams,
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

// isSVG reports whether b looks like a whole drawing: it starts with the
// svg element and ends with its end tag, so an entry cut short is drawn
// again rather than inlined into a page (with its tags left open).
func isSVG(b []byte) bool {
	return bytes.HasPrefix(b, []byte("<svg")) && bytes.HasSuffix(bytes.TrimRight(b, " \t\r\n"), []byte("</svg>"))
}

// diagramRenderer draws ```d2 fences, cached by their source under the
// site's .benchpress/cache/d2: d2's layout takes a fraction of a second a
// diagram, a cached one is a file read.
//
// Without raw HTML (markup.unsafeHTML: false) a diagram may not bring any
// in either (a markdown label, a javascript: link): the option is part of
// the cache key.
func diagramRenderer(ctx context.Context, root string, rawHTML bool) func(string) (string, error) {
	cache := rendercache.New(root, "d2", ".svg")
	return func(src string) (string, error) {
		svg, err := cache.Get(rendercache.Key(diagram.Version, strconv.FormatBool(rawHTML), src), isSVG, func() ([]byte, error) {
			svg, err := diagram.RenderWith(ctx, src, diagram.Options{NoRawHTML: !rawHTML})
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
// snippets (in st); otherwise it attaches the existing ones (already run)
// to the new tree, in the same order.
func (m *postMarkdown) parse(p *Post, st *postState, collect bool) (*markdown.Doc, diag.List) {
	var live markdown.Live
	if collect {
		c := &snippet.Collector{File: p.SourcePath, MaxCombinations: m.maxCombinations}
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

// parseAll is the first markdown pass of posts with live code: snippets,
// table of contents, summary, word count and search text. Their trees are
// kept for rendering up to keptTreesBudget, so memory does not grow with
// the site; beyond it, rendering parses again. Posts without live code are
// parsed once, when they render.
func (s *Site) parseAll() error {
	posts := s.allPosts()
	errs := make([]diag.List, len(posts))
	parallel.For(len(posts), func(i int) {
		p := posts[i]
		st := s.stateOf(p)
		if st.rendered != nil || s.stopped() {
			return // serve's Builder kept it from the last build, snippets run
		}
		if st.lazyBody || !snippet.HasLive(p.Body) {
			// No live code: one parse at render time does everything.
			st.deferred = true
			return
		}
		doc, perrs := s.md.parse(p, st, true)
		errs[i] = perrs
		errs[i].Add(s.analyse(p, doc))
		if s.treeBytes.Add(int64(len(p.Body))) <= keptTreesBudget {
			st.tree = doc
		}
		named := map[string]*snippet.Snippet{}
		dir := path.Dir(p.SourcePath)
		for _, sn := range st.snippets {
			if err := sn.Build(s.fsys, dir, named, playground.BenchOptions{}); err != nil {
				errs[i].Add(diag.Errorf(sn.File, sn.Line, "go %s: %v", sn.Verb, err))
			}
			if sn.Opts.Name != "" {
				named[sn.Opts.Name] = sn
			}
		}
	})
	var list diag.List
	for _, e := range errs {
		list.Add(e)
	}
	for _, p := range posts {
		if st := s.stateOf(p); st.rendered == nil {
			s.snippets = append(s.snippets, st.snippets...)
		}
	}
	return list.Err()
}

// analyse fills a post's TOC, summary, word count and plain text from its
// tree. Its error is the front matter summary's, which it parses.
func (s *Site) analyse(p *Post, doc *markdown.Doc) error {
	o := doc.Outline()
	p.Headings = nil
	var toc []*TOCEntry
	for _, h := range o.Headings {
		p.Headings = append(p.Headings, h.Title)
		if h.ID != "" && h.Level >= 2 && h.Level <= 4 {
			toc = append(toc, &TOCEntry{Level: h.Level, ID: h.ID, Title: h.Title})
		}
	}
	p.TOC = nestTOC(toc)
	p.WordCount = o.Words
	p.ReadingTime = (o.Words + 219) / 220
	if p.ReadingTime < 1 {
		p.ReadingTime = 1
	}
	p.Text = o.Text
	buf := markdown.GetBuffer(1 << 10)
	defer markdown.PutBuffer(buf)
	var err error
	if p.SummaryText != "" {
		if cerr := s.md.Convert([]byte(p.SummaryText), buf); cerr != nil {
			err = diag.Errorf(p.SourcePath, p.Lines.Summary, "summary: %v", cerr)
		}
	} else {
		_ = doc.RenderSummary(buf)
	}
	p.Summary = template.HTML(stripFootnoteRefs(buf.String()))
	return err
}

// stripFootnoteRefs drops footnote links from summaries: their targets
// live on the post's page, not on list pages.
func stripFootnoteRefs(h string) string {
	for {
		i := strings.Index(h, `<sup id="fnref`)
		if i < 0 {
			return h
		}
		j := strings.Index(h[i:], "</sup>")
		if j < 0 {
			return h
		}
		h = h[:i] + h[i+j+len("</sup>"):]
	}
}

func nestTOC(flat []*TOCEntry) []*TOCEntry {
	var root []*TOCEntry
	var stack []*TOCEntry
	for _, e := range flat {
		for len(stack) > 0 && stack[len(stack)-1].Level >= e.Level {
			stack = stack[:len(stack)-1]
		}
		if len(stack) == 0 {
			root = append(root, e)
		} else {
			parent := stack[len(stack)-1]
			parent.Children = append(parent.Children, e)
		}
		stack = append(stack, e)
	}
	return root
}
