package feeds

import (
	"cmp"
	"html/template"
	"strings"
	"time"

	"github.com/benchpress/benchpress/generator/config"
	"github.com/benchpress/benchpress/generator/content"
)

// Limit is how many of a site's n posts the feeds carry (feed.limit).
func Limit(cfg *config.Config, n int) int {
	return min(cmp.Or(cfg.Feed.Limit, config.DefaultFeedLimit), n)
}

// OfSite renders RSS 2.0 and Atom for a site's newest posts, posts[:Limit]
// of its posts (newest first); bodies[i] is the HTML of posts[i], which
// the feeds carry under feed.full.
func OfSite(cfg *config.Config, posts []*content.Post, bodies []template.HTML) (rss, atom []byte, err error) {
	site := Site{Title: cfg.Title, Description: cmp.Or(cfg.Description, cfg.Title), Author: cfg.Author, Language: cfg.Language,
		Home: URI(cfg.AbsURL("/")), RSS: URI(cfg.AbsURL("/index.xml")), Atom: URI(cfg.AbsURL("/atom.xml"))}
	posts = posts[:Limit(cfg, len(posts))]
	entries := make([]Entry, len(posts))
	for i, p := range posts {
		e := Entry{Title: p.Title, URL: URI(cfg.AbsURL(p.URL)), Published: p.Date, Updated: lastUpdated(p),
			Summary: absolutize(cfg, string(p.Summary), p.URL), Tags: p.Tags}
		if cfg.Feed.Full && i < len(bodies) {
			e.Content = absolutize(cfg, StripScripts(string(bodies[i])), p.URL)
		}
		entries[i] = e
	}
	return Feeds(site, entries, cfg.Feed.Full)
}

// absolutize makes the links of a page's HTML absolute, for the feeds.
func absolutize(cfg *config.Config, h, pageURL string) string {
	return Absolutize(h, URI(cfg.AbsURL(pageURL)), strings.TrimSuffix(cfg.RelURL("/"), "/"), cfg.AbsURL)
}

// SitemapOf lists the home page, every post and page, the tags index
// (at tagsIndex), the tag pages and the archive. posts are the site's
// posts, newest first.
func SitemapOf(cfg *config.Config, posts, pages []*content.Post, tagsIndex string, tags []*content.Term) []byte {
	var list []Page
	add := func(p string, t time.Time) {
		list = append(list, Page{URL: URI(cfg.AbsURL(p)), LastMod: t})
	}
	var newest time.Time
	if len(posts) > 0 {
		newest = lastUpdated(posts[0])
	}
	add("/", newest)
	for _, p := range append(posts[:len(posts):len(posts)], pages...) {
		add(p.URL, lastUpdated(p))
	}
	add(tagsIndex, time.Time{})
	for _, t := range tags {
		add(t.URL, time.Time{})
	}
	add("/archive/", time.Time{})
	return Sitemap(list)
}

// lastUpdated is the newest date of a post (updated, else date).
func lastUpdated(p *content.Post) time.Time {
	if p.Updated.After(p.Date) {
		return p.Updated
	}
	return p.Date
}
