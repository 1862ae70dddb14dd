// Package postdoc is a post's markdown as a document: parsed with its live
// blocks in place (package markdown parses and renders, package snippet
// recognises live fences and writes their HTML), analysed into the post's
// plain data (table of contents, summary, word count, search text), and
// rendered to HTML once the blocks have run.
//
// It runs nothing and knows no page: the pipeline decides when each post
// is parsed, run and rendered.
package postdoc

import (
	"cmp"
	"html/template"
	"io"
	"strings"

	"github.com/benchpress/benchpress/generator/config"
	"github.com/benchpress/benchpress/generator/content"
	"github.com/benchpress/benchpress/generator/diag"
	"github.com/benchpress/benchpress/generator/feeds"
	"github.com/benchpress/benchpress/generator/markdown"
	"github.com/benchpress/benchpress/generator/snippet"
)

// Markdown is the site's markdown with its live blocks: package markdown
// parses and renders, package snippet recognises live fences and writes
// their HTML. It is safe for concurrent use.
type Markdown struct {
	md   *markdown.Markdown
	html *snippet.HTML
	hl   *markdown.Highlighter
	// maxCombinations caps an explorable block's grid.
	maxCombinations int
	// relURL is a site path with the site's base path (config.RelURL).
	relURL func(string) string
}

// New is the site's markdown, highlighting code with hl and drawing ```d2
// fences with diagrams.
func New(cfg *config.Config, hl *markdown.Highlighter, diagrams func(string) (string, error)) *Markdown {
	return &Markdown{
		md: markdown.New(markdown.Options{
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
		relURL:          cfg.RelURL,
	}
}

// SyntaxCSS is the highlighting stylesheet.
func (m *Markdown) SyntaxCSS() []byte { return m.hl.CSS() }

// fenceOf reads an info string with snippet's recogniser, the only one.
func fenceOf(info string) (markdown.Fence, error) {
	fi, err := snippet.ParseFenceInfo(info)
	return markdown.Fence{Lang: fi.Lang, Live: fi.Verb != "", LineNumbers: fi.LineNos, Highlight: fi.Highlight}, err
}

// Parse parses a post's body and creates its snippets, in order.
func (m *Markdown) Parse(p *content.Post) (*markdown.Doc, []*snippet.Snippet, diag.List) {
	var sns []*snippet.Snippet
	c := &snippet.Collector{File: p.SourcePath, MaxCombinations: m.maxCombinations}
	doc, errs := m.md.Parse(p.Body, p.SourcePath, func(f markdown.LiveFence) (markdown.Block, error) {
		fi, _ := snippet.ParseFenceInfo(f.Info)
		sn, err := c.Add(fi, f.Body, f.Line, f.BodyLine)
		if err != nil {
			return nil, err
		}
		sns = append(sns, sn)
		return liveBlock{sn, m.html}, nil
	})
	return doc, sns, errs
}

// Reparse parses a post's body again, attaching the snippets Parse made of
// it (and which have run since) to the new tree, in the same order.
func (m *Markdown) Reparse(p *content.Post, sns []*snippet.Snippet) (*markdown.Doc, diag.List) {
	next := 0
	return m.md.Parse(p.Body, p.SourcePath, func(markdown.LiveFence) (markdown.Block, error) {
		if next >= len(sns) {
			return nil, nil
		}
		next++
		return liveBlock{sns[next-1], m.html}, nil
	})
}

// liveBlock renders a snippet where its fence was.
type liveBlock struct {
	sn   *snippet.Snippet
	html *snippet.HTML
}

func (b liveBlock) WriteHTML(w io.Writer) { b.sn.WriteHTML(w, b.html) }

// Render renders a post's tree as HTML.
func (m *Markdown) Render(p *content.Post, doc *markdown.Doc) (template.HTML, error) {
	buf := markdown.GetBuffer(len(p.Body) * 2)
	defer markdown.PutBuffer(buf)
	if err := doc.Render(buf); err != nil {
		return "", diag.Errorf(p.SourcePath, 0, "render: %v", err)
	}
	return template.HTML(buf.String()), nil
}

// Analyse fills a post's TOC, summary, word count and plain text from its
// tree. Its error is the front matter summary's, which it parses.
func (m *Markdown) Analyse(p *content.Post, doc *markdown.Doc) error {
	o := doc.Outline()
	p.Headings = nil
	var toc []*content.TOCEntry
	for _, h := range o.Headings {
		p.Headings = append(p.Headings, h.Title)
		if h.ID != "" && h.Level >= 2 && h.Level <= 4 {
			toc = append(toc, &content.TOCEntry{Level: h.Level, ID: h.ID, Title: h.Title})
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
		if cerr := m.md.Convert([]byte(p.SummaryText), buf); cerr != nil {
			err = diag.Errorf(p.SourcePath, p.Lines.Summary, "summary: %v", cerr)
		}
	} else {
		_ = doc.RenderSummary(buf)
	}
	// The teaser is shown on the home, tag and archive pages: a link or
	// image relative to the post (a bundle's picture) is made relative to
	// the site, or it would point beside the list page.
	p.Summary = template.HTML(feeds.Absolutize(stripFootnoteRefs(buf.String()), m.relURL(p.URL), "", func(sitePath string) string { return sitePath }))
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

// nestTOC nests a flat list of headings by level.
func nestTOC(flat []*content.TOCEntry) []*content.TOCEntry {
	var root []*content.TOCEntry
	var stack []*content.TOCEntry
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
