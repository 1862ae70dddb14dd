package generator

import (
	"bytes"
	"errors"
	"fmt"
	"hash/maphash"
	"html/template"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/benchpress/benchpress/generator/config"
	"github.com/benchpress/benchpress/generator/diag"
	"github.com/benchpress/benchpress/generator/snippet"
	"github.com/benchpress/benchpress/internal/parallel"
	"github.com/benchpress/benchpress/internal/sysfile"
	"golang.org/x/text/unicode/norm"
	"gopkg.in/yaml.v3"
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
	tagLines    []int // file line of each tag, for errors
	aliasLines  []int // file line of each alias
	slugLine    int   // file line of slug:, 0 when the slug comes from the file name
	summaryLine int   // file line of summary:
	Series      string
	TOCEnabled  bool
	URL         string // site path, e.g. /posts/x/

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
	Snippets    []*snippet.Snippet
	deferred    bool          // not parsed by Load: parsed and analysed once, while rendering
	lazyBody    bool          // Body was dropped after loading; Site.withBody reads it again
	bodySum     uint64        // the dropped Body's hash, to notice a file changed mid-build
	rendered    *renderedBody // serve's Builder: the body as HTML, kept across rebuilds

	// Filled in when the site is assembled.
	Prev, Next   *Post
	SeriesPosts  []*Post
	SeriesNumber int
}

// TOCEntry is one heading of a post's table of contents.
type TOCEntry struct {
	Level    int
	ID       string
	Title    string
	Children []*TOCEntry
}

var frontMatterKeys = []string{"title", "subtitle", "date", "updated", "draft", "tags", "summary", "slug", "aliases", "series", "toc"}

// splitFrontMatter separates YAML front matter ("---" lines) from the body.
// It returns the YAML, the body with the front matter blanked out (so body
// line numbers equal file line numbers) and the file line of the YAML's
// first line. It overwrites data: the body is a tail of it.
func splitFrontMatter(file string, data []byte) (yml, body []byte, err error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !bytes.HasPrefix(data, []byte("---\n")) && !bytes.HasPrefix(data, []byte("---\r\n")) {
		return nil, nil, diag.Errorf(file, 1, "missing front matter: start the file with a line \"---\", then at least `title:`, then \"---\"")
	}
	start := bytes.IndexByte(data, '\n') + 1
	rest := data[start:]
	end := -1
	for off := 0; off < len(rest); {
		nl := bytes.IndexByte(rest[off:], '\n')
		line := rest[off:]
		if nl >= 0 {
			line = rest[off : off+nl]
		}
		if string(bytes.TrimRight(line, "\r \t")) == "---" {
			end = off
			break
		}
		if nl < 0 {
			break
		}
		off += nl + 1
	}
	if end < 0 {
		return nil, nil, diag.Errorf(file, 1, "front matter is not closed: add a line \"---\" after the last key")
	}
	yml = bytes.Clone(rest[:end])
	closeEnd := start + end + 3
	if nl := bytes.IndexByte(data[closeEnd:], '\n'); nl >= 0 {
		closeEnd += nl + 1
	} else {
		closeEnd = len(data)
	}
	// The front matter's n lines take at least n bytes: blank them in
	// place, so the body shares data's memory instead of copying it.
	n := bytes.Count(data[:closeEnd], []byte("\n"))
	body = data[closeEnd-n:]
	for i := range n {
		body[i] = '\n'
	}
	return yml, body, nil
}

// parseFrontMatter decodes the front matter of file into p. Unknown keys
// are errors: a typo such as "tilte" must not silently drop data.
func parseFrontMatter(file string, yml []byte, p *Post) diag.List {
	const offset = 1 // the YAML starts on the line after the opening ---
	var doc yaml.Node
	if err := yaml.Unmarshal(yml, &doc); err != nil {
		return config.YAMLErrors(file, offset, err)
	}
	var list diag.List
	if len(doc.Content) == 0 {
		return diag.List{diag.Errorf(file, 1, "front matter is empty: add at least `title: ...`")}
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return diag.List{diag.Errorf(file, m.Line+offset, "front matter must be a mapping of keys to values")}
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		line := k.Line + offset
		if seen[k.Value] {
			list.Add(diag.Errorf(file, line, "key %q appears twice", k.Value))
			continue
		}
		seen[k.Value] = true
		str := func() string {
			if v.Kind != yaml.ScalarNode {
				list.Add(diag.Errorf(file, line, "%s must be a single value", k.Value))
				return ""
			}
			return v.Value
		}
		strs := func() ([]string, []int) {
			switch v.Kind {
			case yaml.ScalarNode:
				if v.Tag == "!!null" {
					return nil, nil
				}
				// A list key holds a list, always: tags: go, rust is one
				// string to YAML, not two tags, and tags: 5 one number.
				// Refusing every scalar keeps the rule one sentence long.
				items := strings.Split(v.Value, ",")
				for i := range items {
					items[i] = strings.TrimSpace(items[i])
				}
				list.Add(diag.Errorf(file, line, "%s %q is one value: write a list, e.g. [%s]", k.Value, v.Value, strings.Join(items, ", ")))
				return nil, nil
			case yaml.SequenceNode:
				var out []string
				var lines []int
				for _, e := range v.Content {
					if e.Kind != yaml.ScalarNode {
						list.Add(diag.Errorf(file, e.Line+offset, "%s must be a list of words", k.Value))
						continue
					}
					out = append(out, e.Value)
					lines = append(lines, e.Line+offset)
				}
				return out, lines
			}
			list.Add(diag.Errorf(file, line, "%s must be a list, e.g. [a, b]", k.Value))
			return nil, nil
		}
		boolean := func() bool {
			var b bool
			if v.Kind != yaml.ScalarNode || v.Decode(&b) != nil {
				list.Add(diag.Errorf(file, line, "%s must be true or false, got %q", k.Value, v.Value))
			}
			return b
		}
		date := func() time.Time {
			s := str()
			t, err := parseDate(s)
			if err != nil && s != "" {
				list.Add(diag.Errorf(file, line, "%s %q is not a date: write YYYY-MM-DD or RFC 3339 (2006-01-02T15:04:05Z07:00)", k.Value, s))
			}
			return t
		}
		switch k.Value {
		case "title":
			p.Title = str()
		case "subtitle":
			p.Subtitle = str()
		case "date":
			p.Date = date()
		case "updated":
			p.Updated = date()
		case "draft":
			p.Draft = boolean()
		case "tags":
			p.Tags, p.tagLines = strs()
			for i, t := range p.Tags {
				slug := slugify(t)
				switch {
				case slug == "":
					list.Add(diag.Errorf(file, p.tagLines[i], "tag %q has no letters or digits, so it has no page (its URL would be empty): rename it", t))
				case len(slug) > maxName:
					list.Add(diag.Errorf(file, p.tagLines[i], "tag slug is longer than %d bytes (%d), too long for a file name: shorten the tag", maxName, len(slug)))
				case deviceName(slug) != "":
					list.Add(diag.Errorf(file, p.tagLines[i], "tag %q would have its page in a directory %q, the name of a device on Windows (%s): rename the tag", t, slug, deviceName(slug)))
				}
			}
		case "summary":
			p.SummaryText, p.summaryLine = str(), line
		case "slug":
			p.Slug = str()
			switch {
			case p.Slug == "":
			case !norm.NFC.IsNormalString(p.Slug):
				list.Add(diag.Errorf(file, line, "slug %+q is not in Unicode's composed form (NFC), so it would not match the same slug typed elsewhere: write %q", p.Slug, norm.NFC.String(p.Slug)))
			case slugify(p.Slug) != p.Slug:
				list.Add(diag.Errorf(file, line, "slug %q may hold only lower-case letters, digits and dashes; try %q", p.Slug, slugify(p.Slug)))
			default:
				p.slugLine = line
				if err := checkSlug(p.Slug, "shorten it", "choose another"); err != nil {
					list.Add(diag.Errorf(file, line, "%v", err))
				}
			}
		case "aliases":
			p.Aliases, p.aliasLines = strs()
			for i, a := range p.Aliases {
				if err := config.CheckSitePath(a); err != nil {
					list.Add(diag.Errorf(file, p.aliasLines[i], "alias %q %v", a, err))
				}
			}
		case "series":
			p.Series = str()
		case "toc":
			p.TOCEnabled = boolean()
		default:
			list.Add(diag.Errorf(file, line, "unknown front matter key %q (known keys: %s)", k.Value, strings.Join(frontMatterKeys, ", ")))
		}
	}
	if strings.TrimSpace(p.Title) == "" {
		list.Add(diag.Errorf(file, 1+offset-1, "front matter has no title: add `title: ...`"))
	}
	if p.Kind == "post" && p.Date.IsZero() && !seen["date"] {
		list.Add(diag.Errorf(file, 1, "post has no date: add `date: YYYY-MM-DD` to the front matter"))
	}
	return list
}

func parseDate(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02", time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("bad date %q", s)
}

// Content is everything loaded from content/.
type Content struct {
	Posts []*Post // newest first
	Pages []*Post // by URL
	// Assets are the non-markdown files of page bundles and plain static
	// files under content/, by output path.
	Assets map[string]string // output path -> source path
}

// LoadOptions filter what LoadContent keeps.
type LoadOptions struct {
	Drafts bool
	Future bool
	Now    time.Time

	// read replaces readPost: a Builder answers from its cache for files
	// that did not change.
	read func(fsys fs.FS, file string) (*Post, error)
	// dropBodies: keep no Body for posts without live code. A full build
	// reads each one again when it renders the post, so the site's
	// markdown is never all in memory at once.
	dropBodies bool
}

// LoadContent reads every markdown file under content/ in fsys (the site
// root). Errors name file and line; all files are checked before returning.
func LoadContent(fsys fs.FS, cfg *config.Config, opt LoadOptions) (*Content, error) {
	c := &Content{Assets: map[string]string{}}
	var list diag.List
	var mdFiles []string
	var linksOut []*diag.Error // links out of the site, but posts
	err := fs.WalkDir(fsys, "content", func(p string, d fs.DirEntry, err error) error {
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
	byURL := map[string]string{}
	read := readPost
	if opt.read != nil {
		read = opt.read
	}
	var files []string
	for _, file := range mdFiles {
		if !isBundleIndex(file) && path.Dir(file) != "content" && path.Dir(file) != "content/posts" && isInBundle(file, bundles) {
			continue // a markdown file inside a bundle is a resource, not a page
		}
		files = append(files, file)
	}
	// Reading and decoding the files is independent per file: do it on
	// every core, then check them in file order, as before.
	posts := make([]*Post, len(files))
	errs := make([]error, len(files))
	parallel.For(len(files), func(i int) {
		posts[i], errs[i] = read(fsys, files[i])
		if p := posts[i]; p != nil && opt.dropBodies && !snippet.HasLive(p.Body) {
			p.bodySum = maphash.Bytes(bodySeed, p.Body)
			p.Body, p.lazyBody = nil, true
		}
	})
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
		pattern := cfg.Permalinks.Posts
		if p.Kind == "page" {
			pattern = cfg.Permalinks.Pages
		}
		p.URL = expandPermalink(pattern, p.Slug, p.Date)
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

// checkSourceNames refuses markdown files whose names some system cannot
// hold (a Windows device name, a character Windows refuses, a name too
// long) or that differ from another's only in case: a site must check
// out, and build, the same on Linux, macOS and Windows. It returns the
// files that pass.
func checkSourceNames(files []string, list *diag.List) []string {
	kept := files[:0:0]
	folds := make(foldSet, 2*len(files))
	for _, f := range files {
		if err := portablePath(strings.TrimPrefix(f, "content/")); err != nil {
			list.Add(diag.Errorf(f, 1, "%v: rename it", err))
			continue
		}
		if mine, other, prev := folds.add(f, claim{file: f, line: 1}); prev != nil {
			list.Add(diag.Errorf(f, 1, "this file and %s differ only in case (%q and %q), which macOS and Windows store as one: rename one of them", prev.file, mine, other))
			continue
		}
		kept = append(kept, f)
	}
	return kept
}

// readPost reads and decodes one markdown file: everything about a post
// that depends only on its path and bytes. The result is never shared:
// later stages fill in its other fields.
func readPost(fsys fs.FS, file string) (*Post, error) {
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, diag.ReadError(file, err)
	}
	return decodePost(file, data)
}

var bodySeed = maphash.MakeSeed()

// readBody reads a dropped Body again (see LoadOptions.dropBodies).
func readBody(fsys fs.FS, p *Post) ([]byte, error) {
	data, err := fs.ReadFile(fsys, p.SourcePath)
	if err != nil {
		return nil, diag.ReadError(p.SourcePath, err)
	}
	_, body, err := splitFrontMatter(p.SourcePath, data)
	if err != nil || maphash.Bytes(bodySeed, body) != p.bodySum {
		return nil, diag.Errorf(p.SourcePath, 0, "the file changed while the site was being built: build again")
	}
	return body, nil
}

func decodePost(file string, data []byte) (*Post, error) {
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
		p.Slug = slugify(base)
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
	if len(slug) > maxName {
		return fmt.Errorf("slug is longer than %d bytes (%d): %s", maxName, len(slug), shorten)
	}
	if dev := deviceName(slug); dev != "" {
		return fmt.Errorf("slug %q is the name of a device on Windows (%s): %s", slug, dev, other)
	}
	return nil
}

// checkUTF8 refuses a file that is not UTF-8, at the line of the first
// bad byte: the raw bytes would otherwise reach the HTML, the feeds and
// the search index, where every reader shows them differently.
func checkUTF8(file string, data []byte) error {
	if utf8.Valid(data) {
		return nil
	}
	for off := 0; off < len(data); {
		r, size := utf8.DecodeRune(data[off:])
		if r == utf8.RuneError && size == 1 {
			line := 1 + bytes.Count(data[:off], []byte("\n"))
			return diag.Errorf(file, line, "invalid UTF-8 (byte 0x%02x): save the file as UTF-8", data[off])
		}
		off += size
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

// expandPermalink replaces :slug, :year, :month and :day in pattern.
func expandPermalink(pattern, slug string, date time.Time) string {
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

// Slugify is the slug benchpress derives from a title or file name.
func Slugify(s string) string { return slugify(s) }
