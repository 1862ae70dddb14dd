package feeds

import (
	"net/url"
	"regexp"
	"strings"
)

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

// StripScripts is a page's HTML without what only its scripts use: live
// blocks' programs and explorable blocks' controls and other states.
func StripScripts(h string) string {
	h = programs.ReplaceAllString(h, "")
	if strings.Contains(h, "data-explore") {
		h = exploreScript.ReplaceAllString(h, "")
	}
	return h
}

// URI is an absolute URL (or a site path) as feeds, the sitemap and
// redirect pages carry it: a URI, its path percent-encoded, since a post's
// URL may hold any letter (/posts/ünï-çødé/) and an alias a space. HTML
// templates need no help: html/template encodes the URLs of href and src.
func URI(u string) string {
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
