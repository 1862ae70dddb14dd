package generator

import (
	"cmp"
	"html/template"
	"strings"
	"time"

	"github.com/benchpress/benchpress/generator/feeds"
	"github.com/benchpress/benchpress/generator/outpath"
)

// feeds renders RSS 2.0 and Atom for the newest posts.
func (s *Site) feeds(bodies []template.HTML) (rss, atom []byte, err error) {
	cfg := s.Config
	site := feeds.Site{Title: cfg.Title, Description: cmp.Or(cfg.Description, cfg.Title), Author: cfg.Author, Language: cfg.Language,
		Home: feeds.URI(cfg.AbsURL("/")), RSS: feeds.URI(cfg.AbsURL("/index.xml")), Atom: feeds.URI(cfg.AbsURL("/atom.xml"))}
	posts := s.Content.Posts[:s.feedLimit()]
	entries := make([]feeds.Entry, len(posts))
	for i, p := range posts {
		e := feeds.Entry{Title: p.Title, URL: feeds.URI(cfg.AbsURL(p.URL)), Published: p.Date, Updated: lastUpdated(p),
			Summary: s.absolutize(string(p.Summary), p.URL), Tags: p.Tags}
		if cfg.Feed.Full && i < len(bodies) {
			e.Content = s.absolutize(feeds.StripScripts(string(bodies[i])), p.URL)
		}
		entries[i] = e
	}
	return feeds.Feeds(site, entries, cfg.Feed.Full)
}

// absolutize makes the links of a page's HTML absolute, for the feeds.
func (s *Site) absolutize(h, pageURL string) string {
	return feeds.Absolutize(h, feeds.URI(s.Config.AbsURL(pageURL)), strings.TrimSuffix(s.Config.RelURL("/"), "/"), s.Config.AbsURL)
}

// sitemap lists the home page, every post and page, the tag pages and the
// archive.
func (s *Site) sitemap() []byte {
	var pages []feeds.Page
	add := func(p string, t time.Time) {
		pages = append(pages, feeds.Page{URL: feeds.URI(s.Config.AbsURL(p)), LastMod: t})
	}
	var newest time.Time
	if len(s.Content.Posts) > 0 {
		newest = lastUpdated(s.Content.Posts[0])
	}
	add("/", newest)
	for _, p := range s.allPosts() {
		add(p.URL, lastUpdated(p))
	}
	add(outpath.TagsIndex(s.Config), time.Time{})
	for _, t := range s.Tags {
		add(t.URL, time.Time{})
	}
	add("/archive/", time.Time{})
	return feeds.Sitemap(pages)
}
