// Package sitecheck checks a built static site for the faults a reader would
// hit: it reads a directory tree of HTML pages, assets, feeds and a sitemap,
// and knows nothing of how the tree was made.
//
// Check reports, for every HTML page (*.html, *.htm):
//
//   - each internal link (a, area, link, form action, meta refresh) resolves
//     to a file of the tree, a pretty URL dir/ meaning dir/index.html; a link
//     without the slash to a directory with an index.html also resolves, as
//     static hosts redirect it;
//   - each #fragment names an id (or an <a name>) on the target page, or on
//     an SVG file for /icons.svg#x; "#" and "#top" always resolve;
//   - each asset the page loads exists: src, srcset, poster, object data,
//     link href of stylesheets, icons and preloads, SVG <use> and <image>
//     href, and url() and @import in style attributes, <style> and *.css
//     files;
//   - nothing is loaded from another host (the site is self-hosted); links
//     in a href to other hosts are fine and are not fetched;
//   - no two elements of a page share an id;
//   - 404.html, which static hosts serve at any depth, has no
//     page-relative URLs.
//
// Every *.xml file must parse; RSS, Atom and sitemap documents must carry
// absolute URLs inside the site that resolve.
//
// Links are internal when they are relative, or absolute with the host of
// Options.BaseURL; either way they must stay under BaseURL's path, which is
// the tree's root (a site built for https://example.org/blog/ links to
// /blog/posts/x/, which is posts/x/index.html in the tree). Check never
// reaches the network.
//
// It sits under internal/, not generator/: it imports nothing of the build
// (internal/archtest holds it to that), and only the check command and the
// tests use it.
package sitecheck

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strings"
)

// Options configure a check.
type Options struct {
	// BaseURL is the absolute http(s) URL the site is served from, e.g.
	// "https://example.org/blog/". Required.
	BaseURL string
}

// Problem is one fault, in one file of the tree.
type Problem struct {
	Page    string // slash-separated path relative to the tree's root, e.g. posts/x/index.html
	Message string
}

func (p Problem) String() string { return p.Page + ": " + p.Message }

// Report is the outcome of a check.
type Report struct {
	// Problems are sorted by page, then message; identical problems of one
	// page (the same broken link written twice) are reported once.
	Problems []Problem
	// What was checked, for a summary line.
	Pages, Links, Assets, Feeds int
}

// Check checks the site in fsys, whose root is the site's root. The error
// is for a tree that cannot be read or a bad BaseURL; faults of the site are
// Problems.
func Check(fsys fs.FS, opts Options) (*Report, error) {
	base, err := url.Parse(opts.BaseURL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("sitecheck: base URL %q is not an absolute http(s) URL", opts.BaseURL)
	}
	c := &checker{
		fsys:   fsys,
		scheme: base.Scheme,
		host:   canonicalHost(base.Scheme, base.Host),
		prefix: strings.TrimSuffix(base.Path, "/") + "/",
		files:  map[string]bool{},
		ids:    map[string]map[string]bool{},
		seen:   map[Problem]bool{},
	}
	var pages, styles, xmls []string
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		c.files[p] = true
		switch strings.ToLower(path.Ext(p)) {
		case ".html", ".htm":
			pages = append(pages, p)
		case ".css":
			styles = append(styles, p)
		case ".xml":
			xmls = append(xmls, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(c.files) == 0 {
		return nil, errors.New("sitecheck: the site is empty (was it built?)")
	}

	// Every page is parsed before any link is resolved, so links to other
	// pages' anchors can be checked.
	var refs []ref
	for _, p := range pages {
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, err
		}
		ids, pageRefs, err := c.parsePage(p, data)
		if err != nil {
			return nil, err
		}
		c.ids[p] = ids
		refs = append(refs, pageRefs...)
	}
	for _, p := range styles {
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, err
		}
		for _, u := range cssRefs(string(data)) {
			if strings.HasPrefix(u.url, "#") {
				continue // a fragment in a stylesheet names an element of the page using it
			}
			refs = append(refs, ref{page: p, kind: asset, label: u.label, raw: u.url})
		}
	}
	for _, r := range refs {
		c.checkRef(r)
	}
	for _, p := range xmls {
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, err
		}
		c.checkXML(p, data)
	}

	sort.Slice(c.problems, func(i, j int) bool {
		a, b := c.problems[i], c.problems[j]
		if a.Page != b.Page {
			return a.Page < b.Page
		}
		return a.Message < b.Message
	})
	return &Report{Problems: c.problems, Pages: len(pages), Links: c.links, Assets: c.assets, Feeds: c.feeds}, nil
}

type checker struct {
	fsys   fs.FS
	scheme string
	host   string // the site's host, without a default port
	prefix string // the site's path, ending in "/"

	files map[string]bool
	// ids holds the ids of each HTML page, and of each SVG file once a
	// fragment has pointed into it.
	ids map[string]map[string]bool

	problems             []Problem
	seen                 map[Problem]bool
	links, assets, feeds int
}

func (c *checker) problem(page, format string, args ...any) {
	p := Problem{page, fmt.Sprintf(format, args...)}
	if !c.seen[p] {
		c.seen[p] = true
		c.problems = append(c.problems, p)
	}
}

// refKind says what a reference is for, which decides how a fault reads
// and whether another host is allowed.
type refKind int

const (
	link     refKind = iota // navigation: another host is fine
	asset                   // loaded with the page: must be in the tree
	redirect                // meta refresh: another host is fine
)

// ref is one URL found in a file.
type ref struct {
	page  string   // the file it was found in
	base  *url.URL // what it resolves against, if not the page (a <base href>)
	kind  refKind
	label string // what carries it, as "img src"
	raw   string // as written
}

// pageURL is the URL the file at p is served from.
func (c *checker) pageURL(p string) *url.URL {
	return &url.URL{Scheme: c.scheme, Host: c.host, Path: c.prefix + p}
}

func (c *checker) checkRef(r ref) {
	raw := strings.TrimSpace(r.raw)
	if r.kind == link {
		c.links++
	} else {
		c.assets++
	}
	if raw == "" {
		if r.kind != link { // an empty href is the page itself
			c.problem(r.page, "empty %s", r.label)
		}
		return
	}
	u, err := url.Parse(raw)
	if err != nil {
		c.problem(r.page, "bad URL in %s %s: %v", r.label, raw, errors.Unwrap(err))
		return
	}
	base := r.base
	if base == nil {
		base = c.pageURL(r.page)
		if r.page == "404.html" && u.Scheme == "" && u.Host == "" && u.Path != "" && !strings.HasPrefix(u.Path, "/") {
			// Static hosts serve 404.html for any missing URL, /a/b/c
			// included, where a page-relative URL means something else.
			c.problem(r.page, "relative URL in %s %s: 404.html is served at any depth; use %s", r.label, raw, c.prefix+strings.TrimPrefix(u.Path, "./"))
			return
		}
	}
	abs := base.ResolveReference(u)
	if abs.Scheme != "http" && abs.Scheme != "https" {
		return // data:, mailto:, tel:, javascript: ...
	}
	if canonicalHost(abs.Scheme, abs.Host) != c.host {
		if r.kind == asset {
			c.problem(r.page, "foreign host in %s: %s", r.label, raw)
		}
		return // a link or redirect to another site is fine
	}
	rel, ok := c.sitePath(abs.Path)
	if !ok {
		c.problem(r.page, "%s: outside the site's base path %s", c.describe(r, raw), c.prefix)
		return
	}
	file, found := c.lookup(rel)
	if !found {
		c.problem(r.page, "%s: %s", c.describe(r, raw), missingFile(rel))
		return
	}
	frag := abs.Fragment
	if frag == "" || strings.HasPrefix(frag, ":~:") { // empty, or a text fragment
		return
	}
	ids := c.idsOf(file)
	if ids == nil || ids[frag] {
		return // not a document with ids, or found
	}
	if strings.EqualFold(frag, "top") && isHTML(file) {
		return // browsers scroll to the top
	}
	where := "in " + file
	if file == r.page {
		where = "on this page"
	}
	what := c.describe(r, raw)
	if r.kind == link {
		what = "missing anchor " + raw
	}
	c.problem(r.page, "%s: no id %q %s", what, frag, where)
}

// describe names a reference in a message about a missing target.
func (c *checker) describe(r ref, raw string) string {
	switch r.kind {
	case link:
		return "broken link " + raw
	case redirect:
		return "broken redirect " + raw
	}
	return "missing " + r.label + " " + raw
}

// sitePath maps a URL path to a path in the tree ("" for the root), if it
// is under the site's base path.
func (c *checker) sitePath(p string) (string, bool) {
	if p == "" || p+"/" == c.prefix {
		return "", true
	}
	if !strings.HasPrefix(p, c.prefix) {
		return "", false
	}
	return strings.TrimPrefix(p, c.prefix), true
}

// lookup finds the file a site path is served from: dir/ is
// dir/index.html, and dir (no slash) redirects to it on static hosts.
func (c *checker) lookup(rel string) (string, bool) {
	if rel == "" || strings.HasSuffix(rel, "/") {
		f := rel + "index.html"
		return f, c.files[f]
	}
	if c.files[rel] {
		return rel, true
	}
	if f := rel + "/index.html"; c.files[f] {
		return f, true
	}
	return rel, false
}

func missingFile(rel string) string {
	switch {
	case rel == "" || strings.HasSuffix(rel, "/"):
		return "no file " + rel + "index.html"
	case path.Ext(rel) == "":
		return "no file " + rel + " or " + rel + "/index.html"
	}
	return "no file " + rel
}

// idsOf returns the ids of an HTML page or SVG file, or nil for any other
// kind of file, whose fragments are not checked.
func (c *checker) idsOf(file string) map[string]bool {
	if ids, ok := c.ids[file]; ok {
		return ids
	}
	var ids map[string]bool
	if strings.EqualFold(path.Ext(file), ".svg") {
		if data, err := fs.ReadFile(c.fsys, file); err == nil {
			ids = svgIDs(data)
		}
	}
	c.ids[file] = ids
	return ids
}

func isHTML(file string) bool {
	ext := strings.ToLower(path.Ext(file))
	return ext == ".html" || ext == ".htm"
}

// canonicalHost lower-cases a host and drops the scheme's default port.
func canonicalHost(scheme, host string) string {
	host = strings.ToLower(host)
	if (scheme == "http" && strings.HasSuffix(host, ":80")) || (scheme == "https" && strings.HasSuffix(host, ":443")) {
		host = host[:strings.LastIndexByte(host, ':')]
	}
	return host
}

// inside reports whether an absolute URL in a feed or sitemap is a page of
// the site, returning its path in the tree.
func (c *checker) inside(u *url.URL) (string, bool) {
	if u.Scheme != c.scheme || canonicalHost(u.Scheme, u.Host) != c.host {
		return "", false
	}
	return c.sitePath(u.Path)
}
