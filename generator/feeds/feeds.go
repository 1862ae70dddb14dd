// Package feeds writes a site's RSS 2.0 and Atom feeds and its sitemap
// from plain data: titles, absolute URLs, dates and HTML. Output depends
// only on its input (dates come from the posts, never the clock), so
// identical sites give identical feeds. Absolutize turns a page's relative
// links into the absolute ones feed readers need, StripScripts drops what
// only a page's scripts use, and URI percent-encodes a URL as feeds,
// sitemaps and redirect pages carry it.
package feeds

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
)

// Site is what the feeds say of the site itself.
type Site struct {
	Title, Description, Author, Language string
	Home, RSS, Atom                      string // absolute URLs of the home page and of the two feeds
}

// Entry is one post of the feeds, newest first.
type Entry struct {
	Title     string
	URL       string // absolute
	Published time.Time
	Updated   time.Time // the newest of its dates
	Summary   string    // HTML, with absolute links
	Content   string    // HTML of the whole post, with absolute links, written when Feeds is asked for whole posts
	Tags      []string
}

// Feeds renders RSS 2.0 and Atom for entries. With full, every entry
// carries its Content besides its Summary, even an empty one.
func Feeds(site Site, entries []Entry, full bool) (rss, atom []byte, err error) {
	var newest time.Time
	for _, e := range entries {
		if e.Updated.After(newest) {
			newest = e.Updated
		}
	}
	if newest.IsZero() {
		newest = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	r := rssFeed{Version: "2.0", Content: "http://purl.org/rss/1.0/modules/content/", Atom: "http://www.w3.org/2005/Atom",
		Channel: rssChannel{Title: site.Title, Link: site.Home, Description: site.Description, Language: site.Language,
			LastBuildDate: newest.Format(time.RFC1123Z), Self: rssSelf{Href: site.RSS, Rel: "self", Type: "application/rss+xml"}}}
	a := atomFeed{Title: site.Title, ID: site.Home, Updated: newest.Format(time.RFC3339),
		Links: []atomLink{{Href: site.Atom, Rel: "self", Type: "application/atom+xml"}, {Href: site.Home, Rel: "alternate", Type: "text/html"}}}
	if site.Author != "" {
		a.Author = &atomAuthor{Name: site.Author}
	}
	for _, e := range entries {
		item := rssItem{Title: e.Title, Link: e.URL, GUID: rssGUID{"true", e.URL}, PubDate: e.Published.Format(time.RFC1123Z), Description: e.Summary, Categories: e.Tags}
		entry := atomEntry{Title: e.Title, ID: e.URL, Link: atomLink{Href: e.URL, Rel: "alternate", Type: "text/html"},
			Published: e.Published.Format(time.RFC3339), Updated: e.Updated.Format(time.RFC3339), Summary: atomText{"html", e.Summary}}
		if full {
			item.Content = e.Content
			entry.Content = &atomText{"html", e.Content}
		}
		for _, t := range e.Tags {
			entry.Category = append(entry.Category, atomCategory{t})
		}
		r.Channel.Items = append(r.Channel.Items, item)
		a.Entries = append(a.Entries, entry)
	}
	// The two are independent, and with full posts each is the posts'
	// HTML escaped once more (serve redoes them after an edit of a recent
	// post): side by side, in buffers sized for that from the start.
	size := 4 << 10
	for _, e := range entries {
		size += 512 + 5*(len(e.Summary)+len(e.Content))/4
	}
	var atomErr error
	var wg sync.WaitGroup
	wg.Go(func() { atom, atomErr = marshalXML(a, size) })
	rss, err = marshalXML(r, size)
	wg.Wait()
	if err != nil {
		return nil, nil, err
	}
	return rss, atom, atomErr
}

// Page is one URL of the sitemap.
type Page struct {
	URL     string    // absolute
	LastMod time.Time // zero: not given
}

// Sitemap writes the sitemap of pages: the first (the home page) first,
// the rest sorted by URL.
func Sitemap(pages []Page) []byte {
	var u urlset
	for _, p := range pages {
		e := sitemapURL{Loc: p.URL}
		if !p.LastMod.IsZero() {
			e.LastMod = p.LastMod.Format("2006-01-02")
		}
		u.URLs = append(u.URLs, e)
	}
	if len(u.URLs) > 1 {
		sort.SliceStable(u.URLs[1:], func(i, j int) bool { return u.URLs[1+i].Loc < u.URLs[1+j].Loc })
	}
	b, _ := marshalXML(u, 64<<10)
	return b
}

// Absolutize rewrites the relative links of a page's HTML (root-relative,
// or relative to the page, as page-bundle images are) into absolute URLs.
// pageURL is the page's absolute URL; basePath is the site's path below
// its host ("/blog", or "" at the root), which root-relative links carry;
// abs makes a site path ("/posts/x/") absolute. Pure fragments are left
// alone.
func Absolutize(h, pageURL, basePath string, abs func(sitePath string) string) string {
	base, _ := url.Parse(pageURL)
	return replaceRelLinks(h, func(m, attr, ref string) string {
		if ref == "" || strings.HasPrefix(ref, "#") || strings.HasPrefix(ref, "//") {
			return m
		}
		if strings.HasPrefix(ref, "/") {
			return fmt.Sprintf(`%s="%s"`, attr, abs(strings.TrimPrefix(ref, basePath)))
		}
		u, err := base.Parse(html.UnescapeString(ref))
		if err != nil {
			return m
		}
		return fmt.Sprintf(`%s="%s"`, attr, html.EscapeString(u.String()))
	})
}

// relLinkRE finds href/src attributes without a scheme, which feed
// readers cannot resolve: feeds carry absolute URLs only.
var relLinkRE = regexp.MustCompile(`(href|src)="([^"#:]*(?:#[^"]*)?)"`)

// replaceRelLinks is relLinkRE.ReplaceAllStringFunc with the submatches
// handed to f, written out by hand: the regexp machine steps through every
// byte of every feed body, which made the feeds of a site with long posts
// the slowest part of a serve rebuild. TestReplaceRelLinks holds the two
// to the same answers.
func replaceRelLinks(h string, f func(match, attr, ref string) string) string {
	var b strings.Builder
	last := 0 // end of the previous match
	for i := 0; ; {
		j := strings.Index(h[i:], `="`)
		if j < 0 {
			break
		}
		j += i
		i = j + 1
		attr := ""
		switch {
		case strings.HasSuffix(h[:j], "href"):
			attr = "href"
		case strings.HasSuffix(h[:j], "src"):
			attr = "src"
		}
		start := j - len(attr)
		if attr == "" || start < last {
			continue
		}
		// [^"#:]*(?:#[^"]*)?"
		k := j + 2
		for k < len(h) && h[k] != '"' && h[k] != '#' && h[k] != ':' {
			k++
		}
		if k < len(h) && h[k] == '#' {
			for k < len(h) && h[k] != '"' {
				k++
			}
		}
		if k >= len(h) || h[k] != '"' {
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(h) + len(h)/8)
		}
		b.WriteString(h[last:start])
		b.WriteString(f(h[start:k+1], attr, h[j+2:k]))
		last = k + 1
		i = last
	}
	if last == 0 {
		return h
	}
	b.WriteString(h[last:])
	return b.String()
}

func marshalXML(v any, size int) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(size)
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

type rssFeed struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Content string     `xml:"xmlns:content,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language,omitempty"`
	LastBuildDate string    `xml:"lastBuildDate,omitempty"`
	Self          rssSelf   `xml:"atom:link"`
	Items         []rssItem `xml:"item"`
}

type rssSelf struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssItem struct {
	Title       string   `xml:"title"`
	Link        string   `xml:"link"`
	GUID        rssGUID  `xml:"guid"`
	PubDate     string   `xml:"pubDate"`
	Description string   `xml:"description"`
	Content     string   `xml:"content:encoded,omitempty"`
	Categories  []string `xml:"category"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  *atomAuthor `xml:"author,omitempty"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	Title     string         `xml:"title"`
	ID        string         `xml:"id"`
	Link      atomLink       `xml:"link"`
	Published string         `xml:"published"`
	Updated   string         `xml:"updated"`
	Summary   atomText       `xml:"summary"`
	Content   *atomText      `xml:"content,omitempty"`
	Category  []atomCategory `xml:"category"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type urlset struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}
