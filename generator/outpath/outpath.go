// Package outpath says where each output of a build is written (a page's
// URL as a file, the URLs of the home page's pages and of the tags index)
// and proves, before anything renders, that no two outputs share a path,
// that every path stays inside the output directory, and that each is
// written the same on Linux, macOS and Windows (check.go).
//
// It reads the site's plain data (package content's posts and tags, the
// config, the theme's static files), never a page.
package outpath

import (
	"fmt"
	"strings"

	"github.com/benchpress/benchpress/generator/config"
)

// File maps a site path to the file that serves it: pretty URLs
// ("/posts/x/") become directories with an index.html.
func File(url string) string {
	p := strings.TrimPrefix(url, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		return p + "index.html"
	}
	if !strings.Contains(p[strings.LastIndex(p, "/")+1:], ".") {
		return p + "/index.html"
	}
	return p
}

// Pager is the URL of page n of the home page.
func Pager(n int) string {
	if n == 1 {
		return "/"
	}
	return fmt.Sprintf("/page/%d/", n)
}

// TagsIndex is the URL of the page listing every tag: the directory
// above permalinks.tags' pages, or /tags/.
func TagsIndex(cfg *config.Config) string {
	u := strings.TrimSuffix(cfg.Permalinks.Tags, "/")
	u = u[:strings.LastIndex(u, "/")+1]
	if u == "/" {
		return "/tags/"
	}
	return u
}
