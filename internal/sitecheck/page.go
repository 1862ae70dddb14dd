package sitecheck

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// parsePage collects a page's ids and the URLs it refers to, and reports
// its duplicate ids.
func (c *checker) parsePage(p string, data []byte) (map[string]bool, []ref, error) {
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", p, err)
	}
	pg := &pageScan{page: p, ids: map[string]bool{}, count: map[string]int{}}
	// A <base href> changes what every relative URL of the page resolves
	// against; only the first one counts.
	if b := find(doc, func(n *html.Node) bool { return n.DataAtom == atom.Base && hasAttr(n, "href") }); b != nil {
		if u, err := url.Parse(strings.TrimSpace(attr(b, "href"))); err == nil {
			pg.base = c.pageURL(p).ResolveReference(u)
		}
	}
	pg.walk(doc)
	for id, n := range pg.count {
		if n > 1 {
			c.problem(p, "duplicate id %q (%d elements)", id, n)
		}
	}
	return pg.ids, pg.refs, nil
}

type pageScan struct {
	page  string
	base  *url.URL
	ids   map[string]bool
	count map[string]int
	refs  []ref
}

func (s *pageScan) add(kind refKind, label, raw string) {
	s.refs = append(s.refs, ref{page: s.page, base: s.base, kind: kind, label: label, raw: raw})
}

// assetRels are the link relations whose target is loaded with the page.
var assetRels = map[string]bool{
	"stylesheet": true, "icon": true, "apple-touch-icon": true, "mask-icon": true,
	"manifest": true, "preload": true, "modulepreload": true, "prefetch": true,
}

func (s *pageScan) walk(n *html.Node) {
	if n.Type == html.ElementNode {
		s.element(n)
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		s.walk(ch)
	}
}

func (s *pageScan) element(n *html.Node) {
	tag := n.Data
	for _, a := range n.Attr {
		switch {
		case a.Key == "id" && a.Namespace == "":
			s.ids[a.Val] = true
			s.count[a.Val]++
		case a.Key == "name" && n.DataAtom == atom.A:
			s.ids[a.Val] = true // a legacy anchor target; names may repeat
		case a.Key == "src":
			s.add(asset, tag+" src", a.Val)
		case a.Key == "srcset":
			for _, u := range srcsetURLs(a.Val) {
				s.add(asset, tag+" srcset", u)
			}
		case a.Key == "poster" && n.DataAtom == atom.Video, a.Key == "data" && n.DataAtom == atom.Object:
			s.add(asset, tag+" "+a.Key, a.Val)
		case a.Key == "style":
			for _, u := range cssRefs(a.Val) {
				s.add(asset, u.label, u.url)
			}
		case a.Key == "href":
			s.href(n, a.Val)
		case a.Key == "action" && n.DataAtom == atom.Form:
			s.add(link, "form action", a.Val)
		}
	}
	switch {
	case n.DataAtom == atom.Meta && strings.EqualFold(attr(n, "http-equiv"), "refresh"):
		if target, ok := refreshURL(attr(n, "content")); ok {
			s.add(redirect, "meta refresh", target)
		}
	case n.DataAtom == atom.Style:
		var css strings.Builder
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			if ch.Type == html.TextNode {
				css.WriteString(ch.Data)
			}
		}
		for _, u := range cssRefs(css.String()) {
			s.add(asset, u.label, u.url)
		}
	}
}

// href sorts an href (or SVG xlink:href) by what its element does with it.
func (s *pageScan) href(n *html.Node, val string) {
	switch n.Data {
	case "a", "area":
		s.add(link, n.Data+" href", val)
	case "use", "image", "feImage":
		s.add(asset, n.Data+" href", val)
	case "link":
		rels := strings.Fields(strings.ToLower(attr(n, "rel")))
		kind := link
		for _, r := range rels {
			switch {
			case r == "preconnect" || r == "dns-prefetch":
				return // names a host, loads nothing by itself
			case assetRels[r]:
				kind = asset
			}
		}
		s.add(kind, "link href", val)
	}
}

// refreshURL returns the target of a meta refresh's content, "5; url=/x/".
func refreshURL(content string) (string, bool) {
	s := strings.TrimLeft(content, " \t\n\f\r")
	s = strings.TrimLeft(s, "0123456789.")
	s = strings.TrimLeft(s, " \t\n\f\r")
	if s == "" || (s[0] != ';' && s[0] != ',') {
		return "", false
	}
	s = strings.TrimLeft(s[1:], " \t\n\f\r")
	if len(s) >= 3 && strings.EqualFold(s[:3], "url") {
		if rest := strings.TrimLeft(s[3:], " \t\n\f\r"); strings.HasPrefix(rest, "=") {
			s = strings.TrimLeft(rest[1:], " \t\n\f\r")
		}
	}
	if s != "" && (s[0] == '"' || s[0] == '\'') {
		q := s[0]
		s = s[1:]
		if i := strings.IndexByte(s, q); i >= 0 {
			s = s[:i]
		}
	}
	return s, s != ""
}

// srcsetURLs returns the URLs of a srcset's image candidates,
// "a.png 1x, b.png 2x". A URL ends at whitespace (so data: URLs with commas
// survive) or, without descriptors, at a trailing comma.
func srcsetURLs(v string) []string {
	var urls []string
	for {
		v = strings.TrimLeft(v, " \t\n\f\r,")
		if v == "" {
			return urls
		}
		end := strings.IndexAny(v, " \t\n\f\r")
		if end < 0 {
			end = len(v)
		}
		u := v[:end]
		v = v[end:]
		if strings.HasSuffix(u, ",") {
			urls = append(urls, strings.TrimRight(u, ","))
			continue
		}
		urls = append(urls, u)
		// Skip the descriptors, up to a comma outside parentheses.
		depth, i := 0, 0
	descriptors:
		for ; i < len(v); i++ {
			switch v[i] {
			case '(':
				depth++
			case ')':
				if depth > 0 {
					depth--
				}
			case ',':
				if depth == 0 {
					break descriptors
				}
			}
		}
		v = v[i:]
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return true
		}
	}
	return false
}

// find returns the first node, in document order, for which match is true.
func find(n *html.Node, match func(*html.Node) bool) *html.Node {
	if n.Type == html.ElementNode && match(n) {
		return n
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if m := find(ch, match); m != nil {
			return m
		}
	}
	return nil
}
