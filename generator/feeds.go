package generator

import (
	"cmp"
	"html/template"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/benchpress/benchpress/generator/feeds"
)

// feeds renders RSS 2.0 and Atom for the newest posts.
func (s *Site) feeds(bodies []template.HTML) (rss, atom []byte, err error) {
	cfg := s.Config
	site := feeds.Site{Title: cfg.Title, Description: cmp.Or(cfg.Description, cfg.Title), Author: cfg.Author, Language: cfg.Language,
		Home: uri(cfg.AbsURL("/")), RSS: uri(cfg.AbsURL("/index.xml")), Atom: uri(cfg.AbsURL("/atom.xml"))}
	posts := s.Content.Posts[:s.feedLimit()]
	entries := make([]feeds.Entry, len(posts))
	for i, p := range posts {
		e := feeds.Entry{Title: p.Title, URL: uri(cfg.AbsURL(p.URL)), Published: p.Date, Updated: lastUpdated(p),
			Summary: s.absolutize(string(p.Summary), p.URL), Tags: p.Tags}
		if cfg.Feed.Full && i < len(bodies) {
			e.Content = s.absolutize(forFeed(string(bodies[i])), p.URL)
		}
		entries[i] = e
	}
	return feeds.Feeds(site, entries, cfg.Feed.Full)
}

// programs matches a live block's complete program, which the page keeps
// for its scripts (Copy, Edit and Run): a feed reader has none and might
// show it as text. Its content is escaped, so the first </template> ends it.
var programs = regexp.MustCompile(`<template class="live-program"[^>]*>[^<]*</template>\n?`)

// exploreScript matches what an explorable block (params=) has for its
// script only: the controls, hidden until explore.js shows them, and the
// states other than the one shown, in <template> elements. A feed reader
// runs no script, and many show a template's content or drop the hidden
// attribute, so a feed would carry every run's output one after another,
// under controls that do nothing. The state HTML holds no <template> (its
// output is escaped), so the first </template> ends one.
var exploreScript = regexp.MustCompile(`(?s)<div class="explore-controls"[^>]*>\n(?:<div class="explore-param">.*?</div>\n)*</div>\n|<template data-state="[^"]*">\n.*?</template>\n`)

// forFeed is a page's HTML without what only its scripts use: live
// blocks' programs and explorable blocks' controls and other states.
func forFeed(h string) string {
	h = programs.ReplaceAllString(h, "")
	if strings.Contains(h, "data-explore") {
		h = exploreScript.ReplaceAllString(h, "")
	}
	return h
}

// absolutize makes the links of a page's HTML absolute, for the feeds.
func (s *Site) absolutize(h, pageURL string) string {
	return feeds.Absolutize(h, uri(s.Config.AbsURL(pageURL)), strings.TrimSuffix(s.Config.RelURL("/"), "/"), s.Config.AbsURL)
}

// sitemap lists the home page, every post and page, the tag pages and the
// archive.
func (s *Site) sitemap() []byte {
	var pages []feeds.Page
	add := func(p string, t time.Time) {
		pages = append(pages, feeds.Page{URL: uri(s.Config.AbsURL(p)), LastMod: t})
	}
	var newest time.Time
	if len(s.Content.Posts) > 0 {
		newest = lastUpdated(s.Content.Posts[0])
	}
	add("/", newest)
	for _, p := range s.allPosts() {
		add(p.URL, lastUpdated(p))
	}
	add(tagsIndexURL(s.Config), time.Time{})
	for _, t := range s.Tags {
		add(t.URL, time.Time{})
	}
	add("/archive/", time.Time{})
	return feeds.Sitemap(pages)
}

// uri is an absolute URL (or a site path) as feeds, the sitemap and
// redirect pages carry it: a URI, its path percent-encoded, since a post's
// URL may hold any letter (/posts/ünï-çødé/) and an alias a space. HTML
// templates need no help: html/template encodes the URLs of href and src.
func uri(u string) string {
	plain := true
	for i := 0; i < len(u) && plain; i++ {
		c := u[i]
		plain = c > ' ' && c < 0x7f && !strings.ContainsRune(`"%<>\^`+"`"+`{|}`, rune(c))
	}
	if plain {
		return u
	}
	head, p := "", u
	if i := strings.Index(u, "://"); i >= 0 {
		j := strings.IndexByte(u[i+3:], '/')
		if j < 0 {
			return u
		}
		head, p = u[:i+3+j], u[i+3+j:]
	}
	return head + (&url.URL{Path: p}).EscapedPath()
}
