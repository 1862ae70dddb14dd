package generator

import (
	"html/template"
	"io/fs"

	"github.com/benchpress/benchpress/generator/content"
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
// by the Post: its live blocks, and its body as HTML, which the parse stage
// makes (parse.go). Site.body is the one way to that HTML; rendering only
// executes templates.
type postState struct {
	snippets []*snippet.Snippet // its live blocks, in order
	// html is the body as HTML: made by parseAll for a post without live
	// code, by liveBodies once a post's snippets have run.
	html template.HTML
	// live: the post has live code, so its HTML waits for their results.
	live bool
	// tree is the syntax tree parseAll made of a post with live code,
	// kept for liveBodies within keptTreesBudget.
	tree *markdown.Doc
	// kept is serve's Builder's: what it keeps of the post across
	// rebuilds while the post does not change.
	kept *keptPost
}

// stateOf returns p's build state. Every post has one from loading on;
// the map is written only while loading.
func (s *Site) stateOf(p *Post) *postState { return s.state[p] }

// reader is LoadOptions.Read for this build: read (content.ReadPost, or
// serve's cache, which answers with the kept state of an unchanged post),
// recording each post's state as Load reads it (from several goroutines).
func (s *Site) reader(read func(fs.FS, string) (*Post, *postState, error)) func(fs.FS, string) (*Post, error) {
	return func(fsys fs.FS, file string) (*Post, error) {
		p, st, err := read(fsys, file)
		if p == nil {
			return nil, err
		}
		if st == nil {
			st = &postState{}
		}
		s.stateMu.Lock()
		s.state[p] = st
		s.stateMu.Unlock()
		return p, err
	}
}

// readPost is content.ReadPost with no state to carry.
func readPost(fsys fs.FS, file string) (*Post, *postState, error) {
	p, err := content.ReadPost(fsys, file)
	return p, nil, err
}

// body is a post's markdown as HTML: the one way there. The parse stage
// made it (serve's Builder keeps it across rebuilds while the post does
// not change); nothing is parsed here.
func (s *Site) body(p *Post) template.HTML { return s.stateOf(p).html }
