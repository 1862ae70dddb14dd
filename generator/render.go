package generator

import (
	"fmt"
	"html/template"
	"io/fs"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/benchpress/benchpress/generator/config"
	"github.com/benchpress/benchpress/generator/diag"
	"github.com/benchpress/benchpress/generator/markdown"
	"github.com/benchpress/benchpress/generator/search"
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

// Output receives the files of a build. Paths are slash-separated and
// relative to the output root. WriteFile is called from several goroutines
// at once and must not keep data after it returns: the caller reuses it.
// An *output.Staging is the real one; serve keeps pages in memory.
type Output interface {
	WriteFile(name string, data []byte) error
}

// Render writes every file of the site to out. Pages render in parallel
// (GOMAXPROCS workers); nothing is executed.
func (s *Site) Render(out Output) error {
	if n := s.Stats.SnippetsElsewhere; n > 0 {
		return fmt.Errorf("cannot render a shard's part of the site: %d snippets ran on other shards; merge the shards' results stores and build with --frozen", n)
	}
	var mu sync.Mutex
	var list diag.List
	fail := func(err error) {
		if err != nil {
			mu.Lock()
			list.Add(err)
			mu.Unlock()
		}
	}
	written := make(map[string]bool, 2*len(s.Content.Posts)+64)
	// claim counts a file of the output and reports whether name is
	// still free.
	claim := func(name string) bool {
		mu.Lock()
		dup := written[name]
		written[name] = true
		s.Stats.Files++
		mu.Unlock()
		if dup {
			// checkOutputs names the files behind every clash it can
			// foresee; this catches any it could not.
			fail(fmt.Errorf("two outputs of the build would be written to %s: rename one of them", name))
		}
		return !dup
	}
	write := func(name string, data []byte) {
		if claim(name) {
			fail(out.WriteFile(name, data))
		}
	}
	page := func(kind string, pg *Page) {
		if s.stopped() {
			return
		}
		if s.reuse != nil && s.reuse.keep(kind, pg) {
			// serve's Builder holds this page's bytes from its last build.
			mu.Lock()
			s.Stats.Files++
			mu.Unlock()
			return
		}
		buf := markdown.GetBuffer(64 << 10)
		defer markdown.PutBuffer(buf)
		if err := s.tmpl.execute(buf, kind, pg); err != nil {
			fail(err)
			return
		}
		write(outputPath(pg.URL), buf.Bytes())
	}

	// Posts and pages. Feed bodies are kept only for the newest posts, so
	// memory does not grow with the site.
	s.tmpl.reset()
	if s.cards == nil || s.cards.root != s.Root {
		s.cards = newRenderCache(s.Root, "cards", ".png")
	}
	posts := s.allPosts()
	if wide := wideKinds(s.tmpl); wide["post"] || wide["page"] {
		// A post template reads other posts through .Site (a "recent
		// posts" list, say): analyse them all before any page renders, or
		// the output would depend on the order the workers run in.
		parallel.For(len(posts), func(i int) {
			p := posts[i]
			if !p.deferred || p.rendered != nil {
				return
			}
			fail(s.withBody(p, func() error {
				doc, errs := s.md.parse(p, true)
				if len(errs) > 0 {
					return errs
				}
				if err := s.analyse(p, doc); err != nil {
					return err
				}
				p.deferred = false
				return nil
			}))
		})
		if err := list.Err(); err != nil {
			return err
		}
	}
	limit := s.feedLimit()
	bodies := make([]template.HTML, limit)
	parallel.For(len(posts), func(i int) {
		p := posts[i]
		if s.stopped() {
			return
		}
		content, err := s.body(p)
		if err != nil {
			fail(err)
			return
		}
		if i < limit && p.Kind == "post" {
			bodies[i] = content
		}
		kind := p.Kind
		page(kind, &Page{Site: s, Kind: kind, Title: p.Title, Description: description(p), URL: p.URL, Post: p, Content: content})
		if kind == "post" {
			fail(s.writeSocialCard(p, out, claim))
		}
		for _, sn := range p.Snippets {
			if sn.RawRef != "" && sn.Result != nil {
				write(strings.TrimPrefix(p.URL, "/")+sn.RawRef, []byte(sn.Result.Stdout()))
			}
			if sn.DataRef != "" && sn.PlotData != nil {
				write(strings.TrimPrefix(p.URL, "/")+sn.DataRef, sn.PlotData)
			}
		}
	})

	// Everything else depends only on the posts' data, not on each other:
	// list pages, feeds, the sitemap, the search index, the stylesheet and
	// static files all run on every core, the biggest first.
	var jobs []func()
	if s.Config.SearchEnabled() {
		jobs = append(jobs, func() {
			if s.reuse == nil || !s.reuse.keepFiles(posts, "search.json") {
				write("search.json", s.searchIndex())
			}
		})
	}
	jobs = append(jobs, func() {
		if s.reuse == nil || !s.reuse.keepFiles(s.Content.Posts[:limit], "index.xml", "atom.xml") {
			rss, atom, err := s.feeds(bodies)
			fail(err)
			write("index.xml", rss)
			write("atom.xml", atom)
		}
	})
	for _, t := range s.Tags {
		jobs = append(jobs, func() {
			page("tag", &Page{Site: s, Kind: "tag", Title: "Posts tagged " + t.Name, Description: countPosts(len(t.Posts)) + " tagged " + t.Name, URL: t.URL, Posts: t.Posts, Term: t})
		})
	}
	per := s.Config.Paginate
	total := (len(s.Content.Posts) + per - 1) / per
	if total == 0 {
		total = 1
	}
	for n := 1; n <= total; n++ {
		jobs = append(jobs, func() {
			lo, hi := (n-1)*per, n*per
			if hi > len(s.Content.Posts) {
				hi = len(s.Content.Posts)
			}
			pg := &Page{Site: s, Kind: "home", Title: s.Config.Title, Description: s.Config.Description, URL: pagerURL(n), Posts: s.Content.Posts[lo:hi],
				Pager: &Pager{Number: n, Total: total}}
			if n > 1 {
				pg.Pager.PrevURL = pagerURL(n - 1)
				pg.Title = fmt.Sprintf("%s (page %d)", s.Config.Title, n)
			}
			if n < total {
				pg.Pager.NextURL = pagerURL(n + 1)
			}
			page("home", pg)
		})
	}
	jobs = append(jobs,
		func() {
			page("archive", &Page{Site: s, Kind: "archive", Title: "Archive", Description: "Every post of " + s.Config.Title + " by year", URL: "/archive/", Years: s.years()})
		},
		func() {
			page("tags", &Page{Site: s, Kind: "tags", Title: "Tags", Description: "All tags of " + s.Config.Title, URL: tagsIndexURL(s.Config)})
		},
		func() { write("sitemap.xml", s.sitemap()) },
		func() {
			css, err := syntaxCSS(s.Config)
			fail(err)
			write("css/syntax.css", css)
		},
		func() { fail(s.copyStatic(write)) },
		func() {
			buf := markdown.GetBuffer(16 << 10)
			defer markdown.PutBuffer(buf)
			if err := s.tmpl.execute(buf, "404", &Page{Site: s, Kind: "404", Title: "Page not found", URL: "/404.html"}); err != nil {
				fail(err)
				return
			}
			write("404.html", buf.Bytes())
		},
		func() {
			for _, p := range posts {
				for _, a := range p.Aliases {
					write(outputPath(a), aliasPage(uri(s.Config.AbsURL(p.URL))))
				}
			}
			write("robots.txt", []byte("User-agent: *\nAllow: /\n\nSitemap: "+s.Config.AbsURL("/sitemap.xml")+"\n"))
		},
	)
	parallel.For(len(jobs), func(i int) {
		if !s.stopped() {
			jobs[i]()
		}
	})
	if s.stopped() {
		return s.ctx.Err()
	}
	return list.Err()
}

// body is a post's markdown as HTML. Load defers the markdown pass of
// posts without live code to here, where one parse serves both the
// analysis (summary, TOC, search text) and the HTML. serve's Builder has
// already rendered the bodies (p.rendered) before Render runs.
func (s *Site) body(p *Post) (html template.HTML, err error) {
	if p.rendered != nil {
		return p.rendered.html, nil
	}
	err = s.withBody(p, func() error {
		doc, errs := s.keptTree(p), diag.List(nil)
		if doc == nil {
			doc, errs = s.md.parse(p, p.deferred)
		}
		if p.deferred {
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

func (s *Site) feedLimit() int {
	limit := s.Config.Feed.Limit
	if limit == 0 {
		limit = 20
	}
	if limit > len(s.Content.Posts) {
		limit = len(s.Content.Posts)
	}
	return limit
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

// outputPath maps a site path to the file that serves it: pretty URLs
// ("/posts/x/") become directories with an index.html.
func outputPath(url string) string {
	p := strings.TrimPrefix(url, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		return p + "index.html"
	}
	if !strings.Contains(p[strings.LastIndex(p, "/")+1:], ".") {
		return p + "/index.html"
	}
	return p
}

func pagerURL(n int) string {
	if n == 1 {
		return "/"
	}
	return fmt.Sprintf("/page/%d/", n)
}

func tagsIndexURL(cfg *config.Config) string {
	u := strings.TrimSuffix(cfg.Permalinks.Tags, "/")
	u = u[:strings.LastIndex(u, "/")+1]
	if u == "/" {
		return "/tags/"
	}
	return u
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

// searchIndex is search.json, the offline search index of every post and
// page, which the theme's script fetches on the first search.
func (s *Site) searchIndex() []byte {
	posts := s.allPosts()
	entries := make([]search.Entry, len(posts))
	parallel.For(len(posts), func(i int) {
		p := posts[i]
		if p.rendered != nil && p.rendered.search != nil {
			entries[i] = *p.rendered.search // serve's Builder: the post did not change
			return
		}
		e := search.NewEntry(search.Doc{Title: p.Title, URL: s.Config.RelURL(p.URL), Subtitle: p.Subtitle, Date: p.Date,
			Tags: p.Tags, Headings: p.Headings, Text: p.Text})
		entries[i] = e
		if p.rendered != nil {
			p.rendered.search = &e
		}
	})
	return search.Index(entries)
}

// copyStatic copies the theme's static files, overridden by the site's
// static/, and the files of page bundles.
func (s *Site) copyStatic(write func(string, []byte)) error {
	layers, err := themeLayers(s.fsys, s.opts.Theme, s.Config, "static")
	if err != nil {
		return err
	}
	layers = append([]layer{{fsys: s.fsys, dir: "static", display: "static"}}, layers...)
	files, err := resolveFiles(layers)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		l := files[n]
		b, err := fs.ReadFile(l.fsys, l.dir+"/"+n)
		if err != nil {
			return diag.ReadError(l.display+"/"+n, err)
		}
		write(n, b)
	}
	assets := make([]string, 0, len(s.Content.Assets))
	for dst := range s.Content.Assets {
		assets = append(assets, dst)
	}
	sort.Strings(assets)
	for _, dst := range assets {
		b, err := fs.ReadFile(s.fsys, s.Content.Assets[dst])
		if err != nil {
			return diag.ReadError(s.Content.Assets[dst], err)
		}
		write(dst, b)
	}
	return nil
}

// lastUpdated is the newest date of a post (updated, else date).
func lastUpdated(p *Post) time.Time {
	if p.Updated.After(p.Date) {
		return p.Updated
	}
	return p.Date
}

// countPosts is "1 post" or "N posts".
func countPosts(n int) string {
	if n == 1 {
		return "1 post"
	}
	return fmt.Sprintf("%d posts", n)
}
