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
	var (
		stack []string // local names of the open elements
		text  strings.Builder
		root  string
		// permaLink is the open guid's isPermaLink: a guid is a URL
		// unless it is "false".
		permaLink string
	)
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
			if root == "" {
				root = t.Name.Local
				switch root {
				case "rss", "feed", "urlset", "sitemapindex":
					c.feeds++
				}
			}
			stack = append(stack, t.Name.Local)
			text.Reset()
			if t.Name.Local == "guid" {
				permaLink = xmlAttr(t, "isPermaLink")
			}
			if t.Name.Local != "link" {
				break
			}
			href := xmlAttr(t, "href")
			switch {
			case root == "feed" && href != "":
				c.feedURL(name, parentOf(stack)+" link", href)
			case root == "rss" && t.Name.Space == "http://www.w3.org/2005/Atom" && href != "":
				c.feedURL(name, "atom:link", href)
			}
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			local := t.Name.Local
			switch {
			case root == "rss" && local == "link" && t.Name.Space == "":
				c.feedURL(name, parentOf(stack)+" link", strings.TrimSpace(text.String()))
			case root == "rss" && local == "guid" && !strings.EqualFold(permaLink, "false"):
				c.feedURL(name, "item guid", strings.TrimSpace(text.String()))
			case (root == "urlset" || root == "sitemapindex") && local == "loc":
				c.feedURL(name, "loc", strings.TrimSpace(text.String()))
			}
			stack = stack[:len(stack)-1]
		}
	}
	if root == "" {
		c.problem(name, "does not parse: no root element")
	}
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
