package generator

// The parse stage: every post's markdown parsed with its live blocks and
// analysed (package postdoc), each snippet's program built, and every
// post's HTML made here, not while rendering.

import (
	"bytes"
	"context"
	"path"
	"strconv"

	"github.com/benchpress/benchpress/generator/diag"
	"github.com/benchpress/benchpress/generator/diagram"
	"github.com/benchpress/benchpress/generator/markdown"
	"github.com/benchpress/benchpress/generator/rendercache"
	"github.com/benchpress/benchpress/generator/snippet"
	"github.com/benchpress/benchpress/internal/parallel"
	"github.com/benchpress/benchpress/playground"
)

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

// parseAll is the markdown pass over every post serve's Builder did not
// keep: snippets, table of contents, summary, word count and search text,
// and, for a post without live code, its HTML, from the one parse. A post
// with live code gets its HTML from liveBodies, once its snippets have
// run; its tree is kept until then, up to keptTreesBudget, so memory does
// not grow with the site.
func (s *Site) parseAll() error {
	posts := s.allPosts()
	errs := make([]diag.List, len(posts))
	parallel.For(len(posts), func(i int) {
		p := posts[i]
		if st := s.stateOf(p); st.kept == nil && !s.stopped() {
			errs[i] = s.parsePost(p, st)
		}
	})
	var list diag.List
	for _, e := range errs {
		list.Add(e)
	}
	for _, p := range posts {
		if st := s.stateOf(p); st.kept == nil {
			s.snippets = append(s.snippets, st.snippets...)
		}
	}
	return list.Err()
}

// parsePost parses and analyses one post, and renders its HTML when it has
// no live code, or builds its snippets' programs when it has.
func (s *Site) parsePost(p *Post, st *postState) diag.List {
	st.live = snippet.HasLive(p.Body)
	doc, sns, errs := s.md.Parse(p)
	st.snippets = sns
	if !st.live {
		if len(errs) > 0 {
			return errs
		}
		if errs.Add(s.md.Analyse(p, doc)); len(errs) > 0 {
			return errs
		}
		html, err := s.md.Render(p, doc)
		st.html = html
		errs.Add(err)
		if s.dropBodies {
			p.Body = nil // no template reads it: the site's markdown need not stay in memory
		}
		return errs
	}
	errs.Add(s.md.Analyse(p, doc))
	if s.treeBytes.Add(int64(len(p.Body))) <= keptTreesBudget {
		st.tree = doc
	}
	named := map[string]*snippet.Snippet{}
	dir := path.Dir(p.SourcePath)
	for _, sn := range st.snippets {
		if err := sn.Build(s.fsys, dir, named, playground.BenchOptions{}); err != nil {
			errs.Add(diag.Errorf(sn.File, sn.Line, "go %s: %v", sn.Verb, err))
		}
		if sn.Opts.Name != "" {
			named[sn.Opts.Name] = sn
		}
	}
	return errs
}

// liveBodies renders the HTML of the posts with live code, now that their
// snippets have run: from the tree parseAll kept, or, beyond
// keptTreesBudget, from a second parse that attaches the snippets already
// run.
func (s *Site) liveBodies() error {
	posts := s.allPosts()
	errs := make([]error, len(posts))
	parallel.For(len(posts), func(i int) {
		p := posts[i]
		st := s.stateOf(p)
		if !st.live || st.kept != nil || s.stopped() {
			return
		}
		doc := st.tree
		st.tree = nil
		if doc == nil {
			doc, _ = s.md.Reparse(p, st.snippets) // its errors were reported by the first parse
		}
		st.html, errs[i] = s.md.Render(p, doc)
		if s.dropBodies {
			p.Body = nil
		}
	})
	if s.stopped() {
		return s.ctx.Err()
	}
	var list diag.List
	for _, err := range errs {
		list.Add(err)
	}
	return list.Err()
}
