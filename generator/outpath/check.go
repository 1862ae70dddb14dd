package outpath

import (
	"cmp"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"

	"github.com/benchpress/benchpress/generator/config"
	"github.com/benchpress/benchpress/generator/content"
	"github.com/benchpress/benchpress/generator/diag"
	"github.com/benchpress/benchpress/generator/output"
	"github.com/benchpress/benchpress/generator/theme"
)

// claim is one file of the output and what produces it.
type claim struct {
	file string // the site file responsible, "" for a generated page
	line int
	what string // how a message names the producer
	fix  string // what the author can change when its name is refused
}

// Site is what a build will write, as Check needs it.
type Site struct {
	Config        *config.Config
	Posts, Pages  []*content.Post
	Tags          []*content.Term
	Assets        map[string]string // bundle files: output path -> source path
	FS, BuiltinFS fs.FS             // the site, and the built-in theme (for static files)
	// Blocks are the files live blocks write beside their posts' pages
	// (a benchmark's raw output, a plot's data).
	Blocks []Block
}

// Block is one file a live block writes beside its post's page.
type Block struct {
	Name string // output path
	File string // the block's post
	Line int    // its fence
	What string // how a message names the file
}

// Check proves, before anything renders, that no two things the
// build writes land on the same output file and that every output path
// stays inside the output directory. Generated pages (home and its pages,
// archive, tag pages, feeds, sitemap, search index, 404) are claimed
// first, so a post, page, alias, bundle file or static file that would
// silently replace one is reported at its own file and line.
//
// Every output path must also be written the same on Linux, macOS and
// Windows: no component that one of them refuses or changes (a device
// name such as con.html, a character such as : or ?, a trailing dot or
// space, more than 255 bytes), and no two paths that differ only in case,
// which macOS's and Windows' file systems store as one file.
func Check(s *Site) error {
	o := &outputClaims{
		search: s.Config.SearchEnabled(),
		claims: map[string]claim{},
		// Each output path adds itself and its directories: size for that.
		folds: make(content.FoldSet[claim], 4*(len(s.Posts)+len(s.Pages)+len(s.Tags))+len(s.Assets)),
	}
	claimGenerated(s, o)
	claimPosts(s, o)
	// Map order would make which of two clashing files is reported vary
	// from build to build.
	for _, dst := range slices.Sorted(maps.Keys(s.Assets)) {
		o.claim(dst, claim{s.Assets[dst], 0, "this bundle file", "rename the file"})
	}
	claimStatic(s, o)
	return o.list.Err()
}

// outputClaims are the output paths claimed so far, and the errors found.
type outputClaims struct {
	claims map[string]claim
	folds  content.FoldSet[claim]
	list   diag.List
	// search reserves search/ for the search index.
	search bool
}

// claim claims one output path, or reports why it cannot have it.
func (o *outputClaims) claim(name string, c claim) {
	if err := output.CheckName(name); err != nil {
		o.list.Add(diag.Errorf(c.file, c.line, "%s would be written to %q, which %v", c.what, name, err))
		return
	}
	if err := content.PortablePath(name); err != nil {
		file, fix := c.file, cmp.Or(c.fix, "rename it")
		if file == "" {
			// Of the generated pages, only the tags' take their
			// names from the site: from permalinks.tags, since a tag
			// with a bad slug is refused at its line.
			file, fix = config.File, "change permalinks.tags"
		}
		o.list.Add(diag.Errorf(file, c.line, "%s would be written to %q, but %v: %s", c.what, content.ShortName(name), err, fix))
		return
	}
	if mine, other, prev := o.folds.Add(name, c); prev != nil {
		o.list.Add(diag.Errorf(c.file, c.line, "%s and %s differ only in case (%q and %q), which macOS and Windows store as one file: give one of them another URL", c.what, prev.by(), mine, other))
		return
	}
	if prev, dup := o.claims[name]; dup {
		o.list.Add(diag.Errorf(c.file, c.line, "%s would replace %s at %s: give one of them another URL", c.what, prev.by(), "/"+strings.TrimSuffix(name, "index.html")))
		return
	}
	// search/ is the search index's: its chunks are named only once
	// the words are known.
	if o.search && strings.HasPrefix(strings.ToLower(name), "search/") && c.file != "" {
		o.list.Add(diag.Errorf(c.file, c.line, "%s would be written to %q, inside search/, which holds the search index: %s", c.what, name, cmp.Or(c.fix, "rename it")))
		return
	}
	o.claims[name] = c
}

// by names the producer of a claim for a message, with its position.
func (c claim) by() string {
	if c.file != "" {
		return fmt.Sprintf("%s (%s)", c.what, position(c.file, c.line))
	}
	return c.what
}

// claimGenerated claims the pages and files the build makes of its own.
func claimGenerated(s *Site, o *outputClaims) {
	generated := func(url, what string) { o.claim(File(url), claim{what: what}) }
	per := s.Config.Paginate
	pages := max((len(s.Posts)+per-1)/per, 1)
	generated("/", "the home page")
	for n := 2; n <= pages; n++ {
		generated(Pager(n), fmt.Sprintf("page %d of the home page", n))
	}
	generated("/archive/", "the archive")
	generated(TagsIndex(s.Config), "the tags index")
	for _, t := range s.Tags {
		generated(t.URL, fmt.Sprintf("the page of tag %q", t.Name))
	}
	for _, f := range []string{"/404.html", "/index.xml", "/atom.xml", "/sitemap.xml", "/robots.txt", "/css/syntax.css"} {
		generated(f, "the generated "+strings.TrimPrefix(f, "/"))
	}
	if s.Config.SearchEnabled() {
		generated("/search/index.json", "the search index")
	}
}

// claimPosts claims the pages of posts and pages, their aliases, and the
// files of their live blocks.
func claimPosts(s *Site, o *outputClaims) {
	posts := append(slices.Clip(s.Posts), s.Pages...)
	for _, p := range posts {
		line := max(p.Lines.Slug, 1)
		o.claim(File(p.URL), claim{p.SourcePath, line, fmt.Sprintf("this %s (URL %s)", p.Kind, content.ShortName(p.URL)), "set another `slug:`, or change permalinks in config.yaml"})
	}
	for _, p := range posts {
		for i, a := range p.Aliases {
			line := 1
			if i < len(p.Lines.Aliases) {
				line = p.Lines.Aliases[i]
			}
			o.claim(File(a), claim{p.SourcePath, line, fmt.Sprintf("alias %s", content.ShortName(a)), "change the alias"})
		}
	}
	// A live block's files beside its page: a benchmark's raw text, a
	// plot's data.
	for _, b := range s.Blocks {
		o.claim(b.Name, claim{b.File, b.Line, b.What, "rename the block (name= in the fence)"})
	}
}

// claimStatic claims the site's and its themes' static files.
func claimStatic(s *Site, o *outputClaims) {
	files, err := theme.Static(s.FS, s.BuiltinFS, s.Config)
	if files == nil {
		return // the layers' error is copyStatic's to report
	}
	o.list.Add(err)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		l := files[name]
		if l.Builtin {
			// The built-in theme's files are the lowest layer: any
			// clash is the site's to fix, and reported there. A site
			// file that differs from one only in case is too.
			if mine, other, prev := o.folds.Add(name, claim{what: "the theme's static file " + name}); prev != nil && prev.file != "" {
				o.list.Add(diag.Errorf(prev.file, prev.line, "%s and the theme's static file %s differ only in case (%q and %q), which macOS and Windows store as one file: %s", prev.what, name, other, mine, cmp.Or(prev.fix, "rename it")))
			}
			continue
		}
		o.claim(name, claim{l.Display + "/" + name, 0, "this static file", "rename the file"})
	}
}

// position is FILE:LINE, or FILE when the line is unknown.
func position(file string, line int) string {
	if line > 0 {
		return fmt.Sprintf("%s:%d", file, line)
	}
	return file
}
