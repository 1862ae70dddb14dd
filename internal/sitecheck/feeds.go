package sitecheck

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"net/url"
	"strings"
)

// checkXML checks that an XML file parses and, for RSS, Atom and sitemaps,
// that every URL they give readers and crawlers is an absolute URL of the
// site that resolves.
func (c *checker) checkXML(name string, data []byte) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	w := xmlWalk{c: c, name: name}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			c.problem(name, "does not parse: %v", err)
			return
		}
		switch t := tok.(type) {
		case xml.StartElement:
			w.start(t)
		case xml.CharData:
			w.text.Write(t)
		case xml.EndElement:
			w.end(t)
		}
	}
	if w.root == "" {
		c.problem(name, "does not parse: no root element")
	}
}

// xmlWalk is checkXML's state within one file.
type xmlWalk struct {
	c     *checker
	name  string
	stack []string // local names of the open elements
	text  strings.Builder
	root  string
	// permaLink is the open guid's isPermaLink: a guid is a URL
	// unless it is "false".
	permaLink string
}

func (w *xmlWalk) start(t xml.StartElement) {
	if w.root == "" {
		w.root = t.Name.Local
		switch w.root {
		case "rss", "feed", "urlset", "sitemapindex":
			w.c.feeds++
		}
	}
	w.stack = append(w.stack, t.Name.Local)
	w.text.Reset()
	if t.Name.Local == "guid" {
		w.permaLink = xmlAttr(t, "isPermaLink")
	}
	if t.Name.Local != "link" {
		return
	}
	href := xmlAttr(t, "href")
	switch {
	case w.root == "feed" && href != "":
		w.c.feedURL(w.name, parentOf(w.stack)+" link", href)
	case w.root == "rss" && t.Name.Space == "http://www.w3.org/2005/Atom" && href != "":
		w.c.feedURL(w.name, "atom:link", href)
	}
}

func (w *xmlWalk) end(t xml.EndElement) {
	local := t.Name.Local
	switch {
	case w.root == "rss" && local == "link" && t.Name.Space == "":
		w.c.feedURL(w.name, parentOf(w.stack)+" link", strings.TrimSpace(w.text.String()))
	case w.root == "rss" && local == "guid" && !strings.EqualFold(w.permaLink, "false"):
		w.c.feedURL(w.name, "item guid", strings.TrimSpace(w.text.String()))
	case (w.root == "urlset" || w.root == "sitemapindex") && local == "loc":
		w.c.feedURL(w.name, "loc", strings.TrimSpace(w.text.String()))
	}
	w.stack = w.stack[:len(w.stack)-1]
}

func parentOf(stack []string) string {
	if len(stack) < 2 {
		return ""
	}
	return stack[len(stack)-2]
}

func xmlAttr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

// feedURL checks one URL of a feed or sitemap: absolute, of the site, and
// served by a file of the tree.
func (c *checker) feedURL(file, label, raw string) {
	c.links++
	u, err := url.Parse(raw)
	switch {
	case raw == "":
		c.problem(file, "empty %s", label)
		return
	case err != nil:
		c.problem(file, "bad URL in %s %s: %v", label, raw, errors.Unwrap(err))
		return
	case !u.IsAbs() || u.Host == "":
		c.problem(file, "%s %s is not absolute", label, raw)
		return
	}
	rel, ok := c.inside(u)
	if !ok {
		c.problem(file, "%s %s is outside the site %s://%s%s", label, raw, c.scheme, c.host, c.prefix)
		return
	}
	if _, found := c.lookup(rel); !found {
		c.problem(file, "broken %s %s: %s", label, raw, missingFile(rel))
	}
}

// svgIDs returns the ids of an SVG file, for fragments such as
// /icons.svg#arrow. A file that does not parse has none.
func svgIDs(data []byte) map[string]bool {
	ids := map[string]bool{}
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			return ids
		}
		if t, ok := tok.(xml.StartElement); ok {
			if id := xmlAttr(t, "id"); id != "" {
				ids[id] = true
			}
		}
	}
}
