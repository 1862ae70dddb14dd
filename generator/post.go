package generator

import (
	"hash/maphash"
	"html/template"
	"io/fs"

	"github.com/benchpress/benchpress/generator/content"
	"github.com/benchpress/benchpress/generator/diag"
	"github.com/benchpress/benchpress/generator/markdown"
	"github.com/benchpress/benchpress/generator/snippet"
)

// Post, Content and TOCEntry are package content's plain data: what the
// templates and feeds see. What the build does to a post is kept beside
// it, in a postState.
type (
	Post     = content.Post
	Content  = content.Content
	TOCEntry = content.TOCEntry
	Term     = content.Term
)

// Slugify is the slug benchpress derives from a title or file name.
func Slugify(s string) string { return content.Slugify(s) }

// CheckSlug reports why a slug cannot name a file on every system, with
// advice for whoever chose the title it comes from (see content.CheckSlug).
func CheckSlug(slug string) error { return content.CheckSlug(slug) }

// postState is one post's build state, held by the Site (Site.state), not
// by the Post: its live blocks, and which of the routes from markdown to
// HTML it takes. Site.body is the one way to its HTML.
type postState struct {
	snippets []*snippet.Snippet // its live blocks, in order
	// deferred: no live code, so not parsed by Load; parsed and analysed
	// once, while rendering.
	deferred bool
	// lazyBody: Body was dropped after loading (a full build whose
	// templates never read it); withBody reads it again, and bodySum, its
	// hash, notices a file that changed mid-build.
	lazyBody bool
	bodySum  uint64
	// tree is the syntax tree parseAll made, kept for rendering within
	// keptTreesBudget; body takes it (once).
	tree *markdown.Doc
	// rendered is serve's Builder's: the body as HTML, kept across
	// rebuilds while the post does not change.
	rendered *renderedBody
}

// stateOf returns p's build state. Every post has one from loading on;
// the map is written only while loading.
func (s *Site) stateOf(p *Post) *postState { return s.state[p] }

// track records the build state of a post as Load reads it (from several
// goroutines).
func (s *Site) track(p *Post, st *postState) {
	s.stateMu.Lock()
	s.state[p] = st
	s.stateMu.Unlock()
}

var bodySeed = maphash.MakeSeed()

// reader is LoadOptions.Read for this build: read (content.ReadPost, or
// serve's cache, which answers with the kept state of an unchanged post)
// and, with dropBodies, no Body kept for posts without live code; a full
// build reads each one again when it renders the post, so the site's
// markdown is never all in memory at once.
func (s *Site) reader(read func(fs.FS, string) (*Post, *postState, error), dropBodies bool) func(fs.FS, string) (*Post, error) {
	return func(fsys fs.FS, file string) (*Post, error) {
		p, st, err := read(fsys, file)
		if p == nil {
			return nil, err
		}
		if st == nil {
			st = &postState{}
		}
		if dropBodies && !snippet.HasLive(p.Body) {
			st.bodySum = maphash.Bytes(bodySeed, p.Body)
			p.Body, st.lazyBody = nil, true
		}
		s.track(p, st)
		return p, err
	}
}

// readPost is content.ReadPost with no state to carry.
func readPost(fsys fs.FS, file string) (*Post, *postState, error) {
	p, err := content.ReadPost(fsys, file)
	return p, nil, err
}

// withBody runs f with p.Body loaded: a full build drops the bodies of
// posts without live code after loading them and reads each one again
// here, for the one pass that renders it.
func (s *Site) withBody(p *Post, f func() error) error {
	st := s.stateOf(p)
	if !st.lazyBody || p.Body != nil {
		return f()
	}
	body, err := content.ReadBody(s.fsys, p)
	if err != nil || maphash.Bytes(bodySeed, body) != st.bodySum {
		return diag.Errorf(p.SourcePath, 0, "the file changed while the site was being built: build again")
	}
	p.Body = body
	defer func() { p.Body = nil }()
	return f()
}

// keptTree returns, once, the tree parseAll kept for p, or nil.
func (s *Site) keptTree(p *Post) *markdown.Doc {
	st := s.stateOf(p)
	doc := st.tree
	st.tree = nil
	return doc
}

// body is a post's markdown as HTML: the one way there. Load defers the
// markdown pass of posts without live code to here, where one parse
// serves both the analysis (summary, TOC, search text) and the HTML.
// serve's Builder has already rendered the bodies (rendered) before
// Render runs.
func (s *Site) body(p *Post) (html template.HTML, err error) {
	st := s.stateOf(p)
	if st.rendered != nil {
		return st.rendered.html, nil
	}
	err = s.withBody(p, func() error {
		doc, errs := s.keptTree(p), diag.List(nil)
		if doc == nil {
			doc, errs = s.md.parse(p, st, st.deferred)
		}
		if st.deferred {
			if len(errs) > 0 {
				return errs
			}
			if err := s.analyse(p, doc); err != nil {
				return err
			}
		}
		buf := markdown.GetBuffer(len(p.Body) * 2)
		defer markdown.PutBuffer(buf)
		if err := doc.Render(buf); err != nil {
			return diag.Errorf(p.SourcePath, 0, "render: %v", err)
		}
		html = template.HTML(buf.String())
		return nil
	})
	return html, err
}

// analyseDeferred parses and analyses a post Load deferred, without
// rendering it, for templates that read other posts' data before their
// own page renders (see Render).
func (s *Site) analyseDeferred(p *Post) error {
	st := s.stateOf(p)
	if !st.deferred || st.rendered != nil {
		return nil
	}
	return s.withBody(p, func() error {
		doc, errs := s.md.parse(p, st, true)
		if len(errs) > 0 {
			return errs
		}
		if err := s.analyse(p, doc); err != nil {
			return err
		}
		st.deferred = false
		return nil
	})
}
