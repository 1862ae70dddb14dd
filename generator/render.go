package generator

import (
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/benchpress/benchpress/generator/diag"
	"github.com/benchpress/benchpress/generator/feeds"
	"github.com/benchpress/benchpress/generator/markdown"
	"github.com/benchpress/benchpress/generator/outpath"
	"github.com/benchpress/benchpress/generator/rendercache"
	"github.com/benchpress/benchpress/generator/search"
	"github.com/benchpress/benchpress/generator/theme"
	"github.com/benchpress/benchpress/internal/parallel"
)

// Page is what a template sees: the site, the page's own data, and for list
// pages the posts it lists.
type Page struct {
	Site        *Site
	Kind        string // home, post, page, tag, tags, archive, 404
	Title       string
	Description string
	URL         string // site path, e.g. /posts/x/
	Post        *Post
	Content     template.HTML
	Posts       []*Post
	Pager       *Pager
	Term        *Term
	Years       []*Year
}

// Pager is the pagination of the home page.
type Pager struct {
	Number, Total    int
	PrevURL, NextURL string
}

// Year groups the archive.
type Year struct {
	Year  int
	Posts []*Post
}

// Permalink is the page's absolute URL.
func (p *Page) Permalink() string { return p.Site.Config.AbsURL(p.URL) }

// Explorable reports whether the page is a post with an explorable block
// (params=), whose controls need js/explore.js.
func (p *Page) Explorable() bool {
	if p.Post == nil || p.Site == nil {
		return false
	}
	st := p.Site.stateOf(p.Post)
	if st == nil {
		return false
	}
	for _, sn := range st.snippets {
		if sn.States != nil {
			return true
		}
	}
	return false
}

// SyntaxCSS is the highlighting stylesheet when the page shows code (its
// content, or a listed post's summary), else nothing: the default theme
// inlines it in <head>, so a page with code makes no second render-blocking
// request and a page without pays nothing.
func (p *Page) SyntaxCSS() template.CSS {
	const code = `<pre class="chroma`
	has := strings.Contains(string(p.Content), code)
	for _, q := range p.Posts {
		has = has || strings.Contains(string(q.Summary), code)
	}
	if !has || p.Site.md == nil {
		return ""
	}
	return template.CSS(p.Site.md.SyntaxCSS())
}

// Output receives the files of a build. Paths are slash-separated and
// relative to the output root. WriteFile is called from several goroutines
// at once and must not keep data after it returns: the caller reuses it.
// An *output.Staging is the real one; serve keeps pages in memory.
type Output interface {
	WriteFile(name string, data []byte) error
}

// pageReuser lets Render skip pages and files whose input did not change.
type pageReuser interface {
	// keep reports whether a templated page is unchanged.
	keep(kind string, pg *Page) bool
	// keepFiles reports whether files made of posts' data alone (feeds,
	// the search index) are unchanged.
	keepFiles(posts []*Post, names ...string) bool
}

// Render writes every file of the site to out: it executes templates on
// the posts' data and HTML, which Load made; nothing is parsed or
// executed. Pages render in parallel (GOMAXPROCS workers).
func (s *Site) Render(out Output) error {
	if n := s.Stats.SnippetsElsewhere; n > 0 {
		return fmt.Errorf("cannot render a shard's part of the site: %d snippets ran on other shards; merge the shards' results stores and build with --frozen", n)
	}
	if s.renderedOnce {
		return errors.New("this Site was loaded for one full build and has rendered: Load it again")
	}
	s.renderedOnce = s.dropBodies
	r := &renderRun{s: s, out: out, written: make(map[string]bool, 2*len(s.Content.Posts)+64)}
	s.tmpl.Reset()
	if s.cards == nil || s.cards.Root() != s.Root {
		s.cards = rendercache.New(s.Root, "cards", ".png")
	}
	posts := s.allPosts()
	bodies := r.posts(posts)
	// Everything else depends only on the posts' data, not on each other:
	// list pages, feeds, the sitemap, the search index, the stylesheet and
	// static files all run on every core, the biggest first.
	jobs := r.listJobs(posts, bodies)
	parallel.For(len(jobs), func(i int) {
		if !s.stopped() {
			jobs[i]()
		}
	})
	if s.stopped() {
		return s.ctx.Err()
	}
	return r.list.Err()
}

// renderRun is one Render: the files written so far and the errors met,
// from every worker.
type renderRun struct {
	s       *Site
	out     Output
	mu      sync.Mutex
	list    diag.List
	written map[string]bool
}

func (r *renderRun) fail(err error) {
	if err != nil {
		r.mu.Lock()
		r.list.Add(err)
		r.mu.Unlock()
	}
}

// claim counts a file of the output and reports whether name is still
// free: a second write to one name is refused.
func (r *renderRun) claim(name string) bool {
	r.mu.Lock()
	dup := r.written[name]
	r.written[name] = true
	r.s.Stats.Files++
	r.mu.Unlock()
	if dup {
		// checkOutputs names the files behind every clash it can
		// foresee; this catches any it could not.
		r.fail(fmt.Errorf("two outputs of the build would be written to %s: rename one of them", name))
	}
	return !dup
}

// write writes one output file, refusing a second write to one name.
func (r *renderRun) write(name string, data []byte) {
	if r.claim(name) {
		r.fail(r.out.WriteFile(name, data))
	}
}

// page renders a templated page, or keeps serve's bytes of it from the
// last build when its input did not change.
func (r *renderRun) page(kind string, pg *Page) {
	s := r.s
	if s.stopped() {
		return
	}
	if s.reuse != nil && s.reuse.keep(kind, pg) {
		// serve's Builder holds this page's bytes from its last build.
		r.mu.Lock()
		s.Stats.Files++
		r.mu.Unlock()
		return
	}
	buf := markdown.GetBuffer(64 << 10)
	defer markdown.PutBuffer(buf)
	if err := s.tmpl.Execute(buf, kind, pg); err != nil {
		r.fail(err)
		return
	}
	r.write(outpath.File(pg.URL), buf.Bytes())
}

// posts renders the pages of posts and pages, with their snippets' raw
// output and plot data, and returns the bodies the feeds carry: only
// those of the newest posts are kept, so memory does not grow with the
// site.
func (r *renderRun) posts(posts []*Post) []template.HTML {
	s := r.s
	limit := feeds.Limit(s.Config, len(s.Content.Posts))
	bodies := make([]template.HTML, limit)
	parallel.For(len(posts), func(i int) {
		p := posts[i]
		if s.stopped() {
			return
		}
		content := s.body(p)
		if i < limit && p.Kind == "post" {
			bodies[i] = content
		}
		kind := p.Kind
		r.page(kind, &Page{Site: s, Kind: kind, Title: p.Title, Description: description(p), URL: p.URL, Post: p, Content: content})
		if s.dropBodies {
			// A full build renders each post once: its HTML need not
			// stay in memory while the lists, feeds (which keep their
			// own) and search index are made.
			s.stateOf(p).html = ""
		}
		if kind == "post" {
			r.fail(s.writeSocialCard(p, r.out, r.claim))
		}
		for _, sn := range s.stateOf(p).snippets {
			if sn.RawRef != "" && sn.Result != nil {
				r.write(strings.TrimPrefix(p.URL, "/")+sn.RawRef, []byte(sn.Result.Stdout()))
			}
			if sn.DataRef != "" && sn.PlotData != nil {
				r.write(strings.TrimPrefix(p.URL, "/")+sn.DataRef, sn.PlotData)
			}
			if sn.StatesRef != "" && sn.StatesData != nil {
				r.write(strings.TrimPrefix(p.URL, "/")+sn.StatesRef, sn.StatesData)
			}
		}
	})
	return bodies
}

// listJobs are the files made of the posts' data: feeds, search index,
// tag, home and archive pages, sitemap, stylesheet, static files, 404,
// aliases and robots.txt.
func (r *renderRun) listJobs(posts []*Post, bodies []template.HTML) []func() {
	s := r.s
	var jobs []func()
	if s.Config.SearchEnabled() {
		jobs = append(jobs, func() {
			// The chunks' names depend on the words, so the index is
			// merged anew each build, from the posts' kept entries.
			for _, f := range s.searchIndex() {
				r.write(f.Name, f.Data)
			}
		})
	}
	jobs = append(jobs, func() {
		if s.reuse == nil || !s.reuse.keepFiles(s.Content.Posts[:len(bodies)], "index.xml", "atom.xml") {
			rss, atom, err := feeds.OfSite(s.Config, s.Content.Posts, bodies)
			r.fail(err)
			r.write("index.xml", rss)
			r.write("atom.xml", atom)
		}
	})
	for _, t := range s.Tags {
		jobs = append(jobs, func() {
			r.page("tag", &Page{Site: s, Kind: "tag", Title: "Posts tagged " + t.Name, Description: countPosts(len(t.Posts)) + " tagged " + t.Name, URL: t.URL, Posts: t.Posts, Term: t})
		})
	}
	jobs = append(jobs, r.homeJobs()...)
	return append(jobs,
		func() {
			r.page("archive", &Page{Site: s, Kind: "archive", Title: "Archive", Description: "Every post of " + s.Config.Title + " by year", URL: "/archive/", Years: s.years()})
		},
		func() {
			r.page("tags", &Page{Site: s, Kind: "tags", Title: "Tags", Description: "All tags of " + s.Config.Title, URL: outpath.TagsIndex(s.Config)})
		},
		func() {
			r.write("sitemap.xml", feeds.SitemapOf(s.Config, s.Content.Posts, s.Content.Pages, outpath.TagsIndex(s.Config), s.Tags))
		},
		func() {
			r.write("css/syntax.css", s.md.SyntaxCSS())
		},
		func() { r.fail(s.copyStatic(r.write)) },
		func() {
			buf := markdown.GetBuffer(16 << 10)
			defer markdown.PutBuffer(buf)
			if err := s.tmpl.Execute(buf, "404", &Page{Site: s, Kind: "404", Title: "Page not found", URL: "/404.html"}); err != nil {
				r.fail(err)
				return
			}
			r.write("404.html", buf.Bytes())
		},
		func() {
			for _, p := range posts {
				for _, a := range p.Aliases {
					r.write(outpath.File(a), aliasPage(feeds.URI(s.Config.AbsURL(p.URL))))
				}
			}
			r.write("robots.txt", []byte("User-agent: *\nAllow: /\n\nSitemap: "+s.Config.AbsURL("/sitemap.xml")+"\n"))
		},
	)
}

// homeJobs render the home page and its pages, Config.Paginate posts each.
func (r *renderRun) homeJobs() []func() {
	s := r.s
	per := s.Config.Paginate
	total := (len(s.Content.Posts) + per - 1) / per
	if total == 0 {
		total = 1
	}
	var jobs []func()
	for n := 1; n <= total; n++ {
		jobs = append(jobs, func() {
			lo, hi := (n-1)*per, n*per
			if hi > len(s.Content.Posts) {
				hi = len(s.Content.Posts)
			}
			pg := &Page{Site: s, Kind: "home", Title: s.Config.Title, Description: s.Config.Description, URL: outpath.Pager(n), Posts: s.Content.Posts[lo:hi],
				Pager: &Pager{Number: n, Total: total}}
			if n > 1 {
				pg.Pager.PrevURL = outpath.Pager(n - 1)
				pg.Title = fmt.Sprintf("%s (page %d)", s.Config.Title, n)
			}
			if n < total {
				pg.Pager.NextURL = outpath.Pager(n + 1)
			}
			r.page("home", pg)
		})
	}
	return jobs
}

func description(p *Post) string {
	if p.SummaryText != "" {
		return p.SummaryText
	}
	if p.Subtitle != "" {
		return p.Subtitle
	}
	return truncateWords(p.Text, 30)
}

func truncateWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) <= n {
		return strings.Join(f, " ")
	}
	return strings.Join(f[:n], " ") + "…"
}

func (s *Site) years() []*Year {
	var ys []*Year
	for _, p := range s.Content.Posts {
		y := p.Date.Year()
		if len(ys) == 0 || ys[len(ys)-1].Year != y {
			ys = append(ys, &Year{Year: y})
		}
		ys[len(ys)-1].Posts = append(ys[len(ys)-1].Posts, p)
	}
	return ys
}

func aliasPage(target string) []byte {
	t := template.HTMLEscapeString(target)
	return []byte(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Moved</title>
<link rel="canonical" href="` + t + `">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url=` + t + `">
</head>
<body><p>This page has moved to <a href="` + t + `">` + t + `</a>.</p></body>
</html>
`)
}

// searchIndex is the files of the offline search index of every post and
// page (search/), which the theme's script reads on the first search.
func (s *Site) searchIndex() []search.File {
	posts := s.allPosts()
	entries := make([]search.Entry, len(posts))
	parallel.For(len(posts), func(i int) {
		p := posts[i]
		r := s.stateOf(p).kept
		if r != nil && r.search != nil {
			entries[i] = *r.search // serve's Builder: the post did not change
			return
		}
		e := search.NewEntry(search.Doc{Title: p.Title, URL: s.Config.RelURL(p.URL), Subtitle: p.Subtitle, Date: p.Date,
			Tags: p.Tags, Headings: p.Headings, Text: p.Text})
		entries[i] = e
		if r != nil {
			r.search = &e
		}
	})
	return search.Index(entries)
}

// copyStatic copies the theme's static files, overridden by the site's
// static/, and the files of page bundles.
func (s *Site) copyStatic(write func(string, []byte)) error {
	if err := theme.CopyStatic(s.fsys, s.opts.Theme, s.Config, write); err != nil {
		return err
	}
	for _, dst := range slices.Sorted(maps.Keys(s.Content.Assets)) {
		b, err := fs.ReadFile(s.fsys, s.Content.Assets[dst])
		if err != nil {
			return diag.ReadError(s.Content.Assets[dst], err)
		}
		write(dst, b)
	}
	return nil
}

// countPosts is "1 post" or "N posts".
func countPosts(n int) string {
	if n == 1 {
		return "1 post"
	}
	return fmt.Sprintf("%d posts", n)
}
