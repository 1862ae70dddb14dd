// Package content loads a site's posts and pages from content/ into plain
// data: it walks the tree, reads each markdown file's front matter (strict:
// an unknown key or a bad date is an error at its FILE:LINE), finds page
// bundles and their files, derives slugs and URLs from permalink patterns,
// and applies drafts and future dates. It also holds the naming rules every
// output name obeys (names.go: slugs, portable names, case folding).
//
// Loading never renders: a Post's markdown is parsed, its live code run
// and its HTML made by the generator, which keeps that build state beside
// the Post rather than in it. Content reaches neither the playground,
// goldmark nor chroma (internal/archtest holds it to that).
package content

import (
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/benchpress/benchpress/generator/diag"
	"github.com/benchpress/benchpress/internal/parallel"
	"github.com/benchpress/benchpress/internal/sysfile"
)

// Post is one markdown file of content/: a dated post under content/posts/
// or an undated page (content/about.md).
type Post struct {
	Kind        string // "post" or "page"
	SourcePath  string // slash path from the site root: content/posts/x.md
	BundleDir   string // content/posts/x for a page bundle (x/index.md), else ""
	Title       string
	Subtitle    string
	Date        time.Time
	Updated     time.Time
	Draft       bool
	Future      bool // dated after the build's time: shown only by serve or --future, marked
	Tags        []string
	SummaryText string // front matter summary, markdown
	Slug        string
	Aliases     []string
	Series      string
	TOCEnabled  bool
	URL         string // site path, e.g. /posts/x/
	// Lines are where front matter values are, for errors about them.
	Lines Lines

	// Body is the file with its front matter replaced by blank lines, so
	// line N of Body is line N of the file.
	Body []byte

	// Filled in by the markdown pass.
	Summary     template.HTML // rendered HTML
	WordCount   int
	ReadingTime int // minutes
	TOC         []*TOCEntry
	Headings    []string // heading texts, for the search index
	Text        string   // plain text excerpt for the search index

	// Filled in when the site is assembled.
	Prev, Next   *Post
	SeriesPosts  []*Post
	SeriesNumber int
}

// Lines are the file lines of front matter values (0: not in the front
// matter), so that a later stage can point at the value it refuses.
type Lines struct {
	Tags    []int // each tag's
	Aliases []int // each alias's
	Slug    int   // slug:'s; 0 when the slug comes from the file name
	Summary int   // summary:'s
}

// TOCEntry is one heading of a post's table of contents.
type TOCEntry struct {
	Level    int
	ID       string
	Title    string
	Children []*TOCEntry
}

// Content is everything loaded from content/.
type Content struct {
	Posts []*Post // newest first
	Pages []*Post // by URL
	// Assets are the non-markdown files of page bundles and plain static
	// files under content/, by output path.
	Assets map[string]string // output path -> source path
}

// LoadOptions filter what Load keeps.
type LoadOptions struct {
	Drafts bool
	Future bool
	Now    time.Time
	// Permalinks are the URL patterns of posts and pages (config.yaml's
	// permalinks), with :slug, :year, :month and :day.
	Permalinks struct{ Posts, Pages string }

	// Read reads and decodes one file; nil means ReadPost. serve's Builder
	// answers from its cache for files that did not change, and a build
	// records each post's build state beside it as it is read.
	// Load calls it from several goroutines at once.
	Read func(fsys fs.FS, file string) (*Post, error)
}

// Load reads every markdown file under content/ in fsys (the site
// root). Errors name file and line; all files are checked before returning.
func Load(fsys fs.FS, opt LoadOptions) (*Content, error) {
	c := &Content{Assets: map[string]string{}}
	if st, err := fs.Stat(fsys, "content"); err == nil && !st.IsDir() {
		// A walk of a file finds no posts: an empty blog would replace
		// the last good one.
		return nil, diag.Errorf("content", 0, "this is a file, not a directory: posts go in content/posts/ and pages in content/")
	}
	mdFiles, linksOut, err := walk(fsys)
	if err != nil {
		if errors.Is(err, sysfile.ErrOutside) {
			// content/ itself links out: an error, never an empty blog
			// that replaces the last good one.
			return nil, diag.ReadError("content", err)
		}
		if _, statErr := fs.Stat(fsys, "content"); errors.Is(statErr, fs.ErrNotExist) {
			return c, nil // a site without content yet builds an empty blog
		}
		return nil, err
	}
	var list diag.List
	sort.Strings(mdFiles)
	mdFiles = checkSourceNames(mdFiles, &list)
	bundles := map[string]bool{}
	for _, p := range mdFiles {
		if path.Base(p) == "index.md" {
			bundles[path.Dir(p)] = true
		}
	}
	// A walk never descends into a linked directory, but one that leads
	// out of the site is an error, as under static/, not a directory
	// skipped in silence. A link in a page bundle is a file of the page,
	// refused when it is copied or named by a snippet, at its line.
	for _, e := range linksOut {
		if !isInBundle(e.File, bundles) {
			list.Add(e)
		}
	}
	var files []string
	for _, file := range mdFiles {
		if !isBundleIndex(file) && path.Dir(file) != "content" && path.Dir(file) != "content/posts" && isInBundle(file, bundles) {
			continue // a markdown file inside a bundle is a resource, not a page
		}
		files = append(files, file)
	}
	c.read(fsys, files, opt, &list)
	c.addAssets(fsys)
	sort.SliceStable(c.Posts, func(i, j int) bool {
		a, b := c.Posts[i], c.Posts[j]
		if !a.Date.Equal(b.Date) {
			return a.Date.After(b.Date)
		}
		return a.SourcePath < b.SourcePath
	})
	sort.Slice(c.Pages, func(i, j int) bool { return c.Pages[i].URL < c.Pages[j].URL })
	return c, list.Err()
}

// walk lists the markdown files under content/ (hidden files and
// directories and editor backups left out), and the links among its other
// files that lead out of the site.
func walk(fsys fs.FS) (mdFiles []string, linksOut []*diag.Error, err error) {
	err = fs.WalkDir(fsys, "content", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 && !strings.HasSuffix(p, ".md") {
			if _, err := fs.Stat(fsys, p); errors.Is(err, sysfile.ErrOutside) {
				linksOut = append(linksOut, diag.ReadError(p, err))
				return nil
			}
		}
		if d.IsDir() {
			if p != "content" && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") || strings.HasSuffix(d.Name(), "~") {
			return nil
		}
		if strings.HasSuffix(p, ".md") {
			mdFiles = append(mdFiles, p)
		}
		return nil
	})
	return mdFiles, linksOut, err
}

// read reads and decodes files, keeps the posts and pages opt lets in,
// and gives each its URL; two with one URL are an error at the second.
func (c *Content) read(fsys fs.FS, files []string, opt LoadOptions, list *diag.List) {
	read := ReadPost
	if opt.Read != nil {
		read = opt.Read
	}
	// Reading and decoding the files is independent per file: do it on
	// every core, then check them in file order, as before.
	posts := make([]*Post, len(files))
	errs := make([]error, len(files))
	parallel.For(len(files), func(i int) {
		posts[i], errs[i] = read(fsys, files[i])
	})
	byURL := map[string]string{}
	for i, file := range files {
		p, err := posts[i], errs[i]
		if err != nil {
			list.Add(err)
			continue
		}
		if p.Draft && !opt.Drafts {
			continue
		}
		p.Future = p.Kind == "post" && p.Date.After(opt.Now)
		if p.Future && !opt.Future {
			continue
		}
		pattern := opt.Permalinks.Posts
		if p.Kind == "page" {
			pattern = opt.Permalinks.Pages
		}
		p.URL = ExpandPermalink(pattern, p.Slug, p.Date)
		if other, dup := byURL[p.URL]; dup {
			list.Add(diag.Errorf(file, 1, "URL %s is also produced by %s: give one of them another `slug:`", p.URL, other))
			continue
		}
		byURL[p.URL] = file
		if p.Kind == "post" {
			c.Posts = append(c.Posts, p)
		} else {
			c.Pages = append(c.Pages, p)
		}
	}
}

// addAssets adds the files of every page bundle (but its markdown and
// hidden files), under the page's URL.
func (c *Content) addAssets(fsys fs.FS) {
	for _, p := range append(append([]*Post{}, c.Posts...), c.Pages...) {
		if p.BundleDir == "" {
			continue
		}
		_ = fs.WalkDir(fsys, p.BundleDir, func(f string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasSuffix(f, ".md") || strings.HasPrefix(d.Name(), ".") {
				return nil
			}
			rel := strings.TrimPrefix(f, p.BundleDir+"/")
			c.Assets[strings.TrimPrefix(p.URL, "/")+rel] = f
			return nil
		})
	}
}

// checkSourceNames refuses markdown files whose names some system cannot
// hold (a Windows device name, a character Windows refuses, a name too
// long) or that differ from another's only in case: a site must check
// out, and build, the same on Linux, macOS and Windows. It returns the
// files that pass.
func checkSourceNames(files []string, list *diag.List) []string {
	kept := files[:0:0]
	folds := make(FoldSet[string], 2*len(files))
	for _, f := range files {
		if err := PortablePath(strings.TrimPrefix(f, "content/")); err != nil {
			list.Add(diag.Errorf(f, 1, "%v: rename it", err))
			continue
		}
		if mine, other, prev := folds.Add(f, f); prev != nil {
			list.Add(diag.Errorf(f, 1, "this file and %s differ only in case (%q and %q), which macOS and Windows store as one: rename one of them", *prev, mine, other))
			continue
		}
		kept = append(kept, f)
	}
	return kept
}

// ReadPost reads and decodes one markdown file: everything about a post
// that depends only on its path and bytes. The result is never shared:
// later stages fill in its other fields.
func ReadPost(fsys fs.FS, file string) (*Post, error) {
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, diag.ReadError(file, err)
	}
	return Decode(file, data)
}

// Decode decodes one markdown file's bytes, file being its slash path from
// the site root. It overwrites data: Body is a tail of it.
func Decode(file string, data []byte) (*Post, error) {
	p := &Post{SourcePath: file, Kind: "page"}
	if strings.HasPrefix(file, "content/posts/") {
		p.Kind = "post"
	}
	if isBundleIndex(file) {
		p.BundleDir = path.Dir(file)
	}
	if err := checkUTF8(file, data); err != nil {
		return nil, err
	}
	yml, body, err := splitFrontMatter(file, data)
	if err != nil {
		return nil, err
	}
	p.Body = body
	if errs := parseFrontMatter(file, yml, p); len(errs) > 0 {
		return nil, errs
	}
	if p.Slug == "" {
		base := strings.TrimSuffix(path.Base(file), ".md")
		if p.BundleDir != "" {
			base = path.Base(p.BundleDir)
		}
		p.Slug = Slugify(base)
		if err := checkSlug(p.Slug, "set a shorter `slug:` in the front matter, or rename the file", "set `slug:` in the front matter, or rename the file"); err != nil {
			return nil, diag.Errorf(file, 1, "%v", err)
		}
	}
	return p, nil
}

// checkSlug reports why a slug (letters, marks, digits and dashes) cannot
// be a file name on every system, a name too long or a Windows device
// name, with what to do about each.
func checkSlug(slug, shorten, other string) error {
	if len(slug) > MaxName {
		return fmt.Errorf("slug is longer than %d bytes (%d): %s", MaxName, len(slug), shorten)
	}
	if dev := DeviceName(slug); dev != "" {
		return fmt.Errorf("slug %q is the name of a device on Windows (%s): %s", slug, dev, other)
	}
	return nil
}

// isBundleIndex reports whether file is the index.md of a page bundle.
func isBundleIndex(file string) bool {
	return path.Base(file) == "index.md" && path.Dir(file) != "content" && path.Dir(file) != "content/posts"
}

func isInBundle(file string, bundles map[string]bool) bool {
	for d := path.Dir(file); d != "content" && d != "."; d = path.Dir(d) {
		if bundles[d] {
			return true
		}
	}
	return false
}

// ExpandPermalink replaces :slug, :year, :month and :day in pattern.
func ExpandPermalink(pattern, slug string, date time.Time) string {
	if !strings.Contains(pattern, ":") {
		return pattern
	}
	b := make([]byte, 0, len(pattern)+len(slug))
	for i := 0; i < len(pattern); {
		c := pattern[i]
		if c == ':' {
			rest := pattern[i:]
			switch {
			case strings.HasPrefix(rest, ":slug"):
				b = append(b, slug...)
				i += len(":slug")
				continue
			case strings.HasPrefix(rest, ":year"):
				b = date.AppendFormat(b, "2006")
				i += len(":year")
				continue
			case strings.HasPrefix(rest, ":month"):
				b = date.AppendFormat(b, "01")
				i += len(":month")
				continue
			case strings.HasPrefix(rest, ":day"):
				b = date.AppendFormat(b, "02")
				i += len(":day")
				continue
			}
		}
		b = append(b, c)
		i++
	}
	return string(b)
}
