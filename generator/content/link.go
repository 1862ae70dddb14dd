package content

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/benchpress/benchpress/generator/diag"
)

// Term is a tag and the posts carrying it.
type Term struct {
	Name  string
	Slug  string
	URL   string
	Posts []*Post
}

// Link links the posts (newest first) together: Prev and Next, the posts
// of each series in order, and the tags' terms by slug with their pages'
// URLs from tagPattern. Two tags that differ in more than letter case but
// share a slug (C++ and C) would share one page: that is an error at the
// second one's line, as are two whose slugs differ only in case.
func Link(posts []*Post, tagPattern string) (tags []*Term, series map[string][]*Post, err error) {
	var list diag.List
	for i, p := range posts {
		if i+1 < len(posts) {
			p.Prev = posts[i+1]
		}
		if i > 0 {
			p.Next = posts[i-1]
		}
	}
	series = map[string][]*Post{}
	for i := len(posts) - 1; i >= 0; i-- {
		if p := posts[i]; p.Series != "" {
			series[p.Series] = append(series[p.Series], p)
			p.SeriesNumber = len(series[p.Series])
		}
	}
	for _, p := range posts {
		if p.Series != "" {
			p.SeriesPosts = series[p.Series]
		}
	}
	bySlug := map[string]*Term{}
	firstUse := map[string]string{} // slug -> FILE:LINE of the name its page shows
	foldedSlugs := map[string]*Term{}
	for _, p := range posts {
		seen := map[string]bool{}
		for j, t := range p.Tags {
			slug := Slugify(t)
			line := 1
			if j < len(p.Lines.Tags) {
				line = p.Lines.Tags[j]
			}
			term := bySlug[slug]
			if term != nil && !strings.EqualFold(term.Name, t) {
				list.Add(diag.Errorf(p.SourcePath, line, "tag %q and tag %q (%s) would share the page %s: use one spelling for both", t, term.Name, firstUse[slug], term.URL))
			}
			if other, ok := foldedSlugs[FoldKey(slug)]; ok && other.Slug != slug && !seen[slug] {
				// ſ and s: two slugs, one directory on macOS and Windows.
				list.Add(diag.Errorf(p.SourcePath, line, "tag %q and tag %q (%s) would have pages whose URLs differ only in case (%s and %s), which macOS and Windows store as one: use one spelling for both", t, other.Name, firstUse[other.Slug], ExpandPermalink(tagPattern, slug, time.Time{}), other.URL))
				continue
			}
			if slug == "" || seen[slug] {
				continue
			}
			seen[slug] = true
			if term == nil {
				term = &Term{Name: t, Slug: slug, URL: ExpandPermalink(tagPattern, slug, time.Time{})}
				bySlug[slug] = term
				foldedSlugs[FoldKey(slug)] = term
				firstUse[slug] = fmt.Sprintf("%s:%d", p.SourcePath, line)
				tags = append(tags, term)
			}
			term.Posts = append(term.Posts, p)
		}
	}
	sort.Slice(tags, func(i, j int) bool { return tags[i].Slug < tags[j].Slug })
	return tags, series, list.Err()
}
