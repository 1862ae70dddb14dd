package generator

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"html"
	"html/template"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/benchpress/benchpress/generator/config"
	"github.com/benchpress/benchpress/generator/diag"
)

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

// relLinkRE finds href/src attributes without a scheme, which feed
// readers cannot resolve: feeds carry absolute URLs only.
var relLinkRE = regexp.MustCompile(`(href|src)="([^"#:]*(?:#[^"]*)?)"`)

// absolutize rewrites the relative links of a page's HTML (root-relative,
// or relative to the page at pageURL, as page-bundle images are) into
// absolute URLs. Pure fragments are left alone.
func (s *Site) absolutize(h, pageURL string) string {
	base, _ := url.Parse(s.Config.AbsURL(pageURL))
	root := strings.TrimSuffix(s.Config.RelURL("/"), "/")
	return replaceRelLinks(h, func(m, attr, ref string) string {
		if ref == "" || strings.HasPrefix(ref, "#") || strings.HasPrefix(ref, "//") {
			return m
		}
		if strings.HasPrefix(ref, "/") {
			return fmt.Sprintf(`%s="%s"`, attr, s.Config.AbsURL(strings.TrimPrefix(ref, root)))
		}
		u, err := base.Parse(html.UnescapeString(ref))
		if err != nil {
			return m
		}
		return fmt.Sprintf(`%s="%s"`, attr, html.EscapeString(u.String()))
	})
}

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

// feeds renders RSS 2.0 and Atom for the newest posts. Dates come from the
// posts, never the clock, so identical input gives identical feeds.
func (s *Site) feeds(bodies []template.HTML) (rss, atom []byte, err error) {
	cfg := s.Config
	posts := s.Content.Posts[:s.feedLimit()]
	var newest time.Time
	for _, p := range posts {
		if u := lastUpdated(p); u.After(newest) {
			newest = u
		}
	}
	if newest.IsZero() {
		newest = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	r := rssFeed{Version: "2.0", Content: "http://purl.org/rss/1.0/modules/content/", Atom: "http://www.w3.org/2005/Atom",
		Channel: rssChannel{Title: cfg.Title, Link: cfg.AbsURL("/"), Description: orDefault(cfg.Description, cfg.Title), Language: cfg.Language,
			LastBuildDate: newest.Format(time.RFC1123Z), Self: rssSelf{Href: cfg.AbsURL("/index.xml"), Rel: "self", Type: "application/rss+xml"}}}
	a := atomFeed{Title: cfg.Title, ID: cfg.AbsURL("/"), Updated: newest.Format(time.RFC3339),
		Links: []atomLink{{Href: cfg.AbsURL("/atom.xml"), Rel: "self", Type: "application/atom+xml"}, {Href: cfg.AbsURL("/"), Rel: "alternate", Type: "text/html"}}}
	if cfg.Author != "" {
		a.Author = &atomAuthor{Name: cfg.Author}
	}
	for i, p := range posts {
		link := cfg.AbsURL(p.URL)
		summary := s.absolutize(string(p.Summary), p.URL)
		item := rssItem{Title: p.Title, Link: link, GUID: rssGUID{"true", link}, PubDate: p.Date.Format(time.RFC1123Z), Description: summary, Categories: p.Tags}
		entry := atomEntry{Title: p.Title, ID: link, Link: atomLink{Href: link, Rel: "alternate", Type: "text/html"},
			Published: p.Date.Format(time.RFC3339), Updated: lastUpdated(p).Format(time.RFC3339), Summary: atomText{"html", summary}}
		if cfg.Feed.Full && i < len(bodies) {
			full := s.absolutize(string(bodies[i]), p.URL)
			item.Content = full
			entry.Content = &atomText{"html", full}
		}
		for _, t := range p.Tags {
			entry.Category = append(entry.Category, atomCategory{t})
		}
		r.Channel.Items = append(r.Channel.Items, item)
		a.Entries = append(a.Entries, entry)
	}
	rss, err = marshalXML(r)
	if err != nil {
		return nil, nil, err
	}
	atom, err = marshalXML(a)
	return rss, atom, err
}

func marshalXML(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type urlset struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

func (s *Site) sitemap() []byte {
	var u urlset
	add := func(p string, t time.Time) {
		e := sitemapURL{Loc: s.Config.AbsURL(p)}
		if !t.IsZero() {
			e.LastMod = t.Format("2006-01-02")
		}
		u.URLs = append(u.URLs, e)
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
	sort.SliceStable(u.URLs[1:], func(i, j int) bool { return u.URLs[1+i].Loc < u.URLs[1+j].Loc })
	b, _ := marshalXML(u)
	return b
}

// syntaxCSS is the one highlighting stylesheet: the light style by
// default, the dark one under prefers-color-scheme and data-theme.
func syntaxCSS(cfg *config.Config) ([]byte, error) {
	light, ok := styles.Registry[cfg.Highlight.Light]
	if !ok {
		return nil, diag.Errorf(config.File, 0, "highlight.light: unknown chroma style %q (try github, friendly, solarized-light)", cfg.Highlight.Light)
	}
	dark, ok := styles.Registry[cfg.Highlight.Dark]
	if !ok {
		return nil, diag.Errorf(config.File, 0, "highlight.dark: unknown chroma style %q (try github-dark, monokai, dracula)", cfg.Highlight.Dark)
	}
	f := chromahtml.New(chromahtml.WithClasses(true))
	var l, d bytes.Buffer
	if err := f.WriteCSS(&l, light); err != nil {
		return nil, err
	}
	if err := f.WriteCSS(&d, dark); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	out.WriteString("/* Generated by benchpress from chroma styles " + cfg.Highlight.Light + " (light) and " + cfg.Highlight.Dark + " (dark). */\n")
	darkCSS := overrideCSS(l.String(), d.String())
	out.WriteString(scopeCSS(l.String(), ""))
	// Dark colours are for screens only: a page printed in dark mode gets
	// the light style on white paper.
	out.WriteString("@media screen and (prefers-color-scheme: dark) {\n")
	out.WriteString(scopeCSS(darkCSS, ":root:not([data-theme=light]) "))
	out.WriteString("}\n@media screen {\n")
	out.WriteString(scopeCSS(darkCSS, ":root[data-theme=dark] "))
	out.WriteString("}\n")
	return out.Bytes(), nil
}

// overrideCSS returns the dark stylesheet made to fully override the light
// one it is layered on: a property the light style sets for a selector and
// the dark one does not (github sets .nx's color, github-dark leaves it to
// the text colour) is reset with "unset", or light colours would leak
// into dark mode, unreadable on the dark background.
func overrideCSS(light, dark string) string {
	type rule struct {
		sel   string
		decls []string
	}
	parse := func(css string) ([]rule, map[string][]string) {
		var rules []rule
		bySel := map[string][]string{}
		for _, line := range strings.Split(css, "\n") {
			m := cssRuleRE.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			var decls []string
			for _, d := range strings.Split(strings.Trim(strings.TrimSpace(m[3]), "{}"), ";") {
				if d = strings.TrimSpace(d); d != "" {
					decls = append(decls, d)
				}
			}
			sel := strings.TrimSpace(m[2])
			rules = append(rules, rule{sel, decls})
			bySel[sel] = append(bySel[sel], decls...)
		}
		return rules, bySel
	}
	prop := func(decl string) string { p, _, _ := strings.Cut(decl, ":"); return strings.TrimSpace(p) }
	lightRules, lightBySel := parse(light)
	darkRules, darkBySel := parse(dark)
	has := func(decls []string, p string) bool {
		for _, d := range decls {
			if prop(d) == p {
				return true
			}
		}
		return false
	}
	var b strings.Builder
	write := func(sel string, decls []string) {
		var all []string
		for _, d := range lightBySel[sel] {
			if p := prop(d); !has(decls, p) && !has(all, p) {
				all = append(all, p+": unset")
			}
		}
		all = append(all, decls...)
		if len(all) > 0 {
			b.WriteString(sel + " { " + strings.Join(all, "; ") + " }\n")
		}
	}
	for _, r := range darkRules {
		write(r.sel, r.decls)
	}
	for _, r := range lightRules {
		if _, ok := darkBySel[r.sel]; !ok {
			write(r.sel, nil)
			darkBySel[r.sel] = nil
		}
	}
	return b.String()
}

var cssRuleRE = regexp.MustCompile(`^(/\*[^*]*\*/ )?([^{]+)(\{.*)$`)

// scopeCSS prefixes every selector of chroma's stylesheet with scope.
func scopeCSS(css, scope string) string {
	var b strings.Builder
	for _, line := range strings.Split(css, "\n") {
		m := cssRuleRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		sels := strings.Split(m[2], ",")
		for i, sel := range sels {
			sels[i] = scope + strings.TrimSpace(sel)
		}
		b.WriteString(strings.Join(sels, ", "))
		b.WriteString(" ")
		b.WriteString(m[3])
		b.WriteString("\n")
	}
	return b.String()
}
