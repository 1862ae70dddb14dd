package generator

import (
	"bytes"
	"context"
	"hash/maphash"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/benchpress/benchpress/generator/config"
	"github.com/benchpress/benchpress/generator/content"
	"github.com/benchpress/benchpress/generator/inputkey"
	"github.com/benchpress/benchpress/generator/outpath"
	"github.com/benchpress/benchpress/generator/search"
	"github.com/benchpress/benchpress/generator/theme"
	"github.com/benchpress/benchpress/internal/parallel"
	"github.com/benchpress/benchpress/internal/phasetrace"
	"github.com/benchpress/benchpress/internal/sysfile"
)

// A Builder builds one site again and again, as serve does after every
// save, and redoes only what a change touched. Its output is the same,
// byte for byte, as a full Build with the same Options (tests enforce it):
//
//   - Posts are decoded, parsed, run and rendered to HTML once, and kept
//     until their file (or a file of their bundle) changes. A post's stat
//     (size, mtime, inode) is checked on every build, so a change the
//     watcher missed is still seen.
//   - Snippets of kept posts are not run again; those of changed posts go
//     through the runner (whose own cache answers for unchanged code).
//   - Every templated page gets an input key, a hash of the data its
//     template is given, and keeps its bytes from the last build when the
//     key did not change. What a template can read is found by walking the
//     parse trees of its kind's template set once per load: the field
//     names it mentions. A listed post counts by those fields (and its
//     neighbours' and series', when the templates name Prev, Next or
//     SeriesPosts); the page's own post counts whole, body included. A
//     kind whose templates read .Site beyond Config and Dev (.Site.Tags,
//     .Site.Content), go two steps along Prev/Next, or hand a value whole
//     to a printing function is keyed on every post instead: the shortcut
//     never serves a stale list.
//   - A template change (Invalidate with a path under layouts/ or a
//     theme's layouts/) re-renders every page; a config change is a full
//     rebuild.
//   - Feeds and the search index are reused while the posts they are made
//     of are unchanged (each post's search entry is kept with it); the
//     sitemap, aliases, static files and the 404 page are produced on
//     every build: they are cheap.
//
// A Builder is not safe for concurrent use.
type Builder struct {
	opts Options
	seed maphash.Seed

	config []byte // config.yaml as last read; another content resets all
	tmpl   *theme.Templates
	gen    int                   // bumped whenever templates are (re)loaded
	uses   map[string]*theme.Use // per page kind: what its templates can read

	posts map[string]*postEntry // by source path
	files map[string][]byte     // the last good output
	keys  map[string]uint64     // output path -> input key, last good build

	// During one build.
	mu       sync.Mutex
	next     map[string]uint64
	kept     []string
	wideSums map[string]uint64 // per wide page kind
	dirty    map[string]bool
	dirtyDir []string
	site     *Site // the Site being built, which holds each post's state
}

// postEntry is what the Builder keeps of one markdown file.
type postEntry struct {
	stamp   fileStamp
	decoded *Post // front matter and body; never mutated
	err     error
	done    *Post      // analysed, run and rendered in the last good build
	state   *postState // done's build state
}

type fileStamp struct {
	size, mtime int64
	ino         uint64
}

// keptPost is what the Builder keeps of a post beside its HTML: the
// hash of everything about the post a template can see (its fields and
// its HTML), and memoized hashes of the fields each page kind's templates
// read.
type keptPost struct {
	sum uint64

	mu   sync.Mutex
	sums map[sumKey]uint64

	search *search.Entry // the post's search index entry, once computed
}

type sumKey struct {
	kind string
	gen  int
}

// BuildResult is one complete build held in memory.
type BuildResult struct {
	// Files holds every output file by slash path ("posts/x/index.html").
	// The map and its slices are never modified afterwards: a server can
	// serve it while the next build runs.
	Files map[string][]byte
	// Changed lists the output paths added, modified or removed since the
	// Builder's previous good build (every path on the first build).
	Changed []string
	Stats   Stats
}

// NewBuilder returns a Builder for opts. opts.Out is not used: results
// stay in memory.
func NewBuilder(opts Options) *Builder {
	return &Builder{opts: opts, seed: maphash.MakeSeed()}
}

// Reset forgets everything but the last output (which the next result's
// Changed is computed against) and takes new options: after a config
// change, everything is rebuilt.
func (b *Builder) Reset(opts Options) {
	b.opts = opts
	b.config, b.tmpl, b.uses, b.posts, b.keys = nil, nil, nil, nil, nil
}

// Invalidate tells the Builder that the files at paths (slash paths from
// the site root, files or directories) changed. Content files are noticed
// by their stat anyway; templates, bundle resources and renames of whole
// directories are not.
func (b *Builder) Invalidate(paths ...string) {
	if b.dirty == nil {
		b.dirty = map[string]bool{}
	}
	for _, p := range paths {
		p = strings.TrimSuffix(filepath.ToSlash(p), "/")
		switch {
		case p == config.File:
			b.config = nil
		case p == "layouts" || strings.HasPrefix(p, "layouts/") || isThemeLayout(p):
			b.tmpl = nil
		case p == "content" || strings.HasPrefix(p, "content/"):
			b.dirty[p] = true
			b.dirtyDir = append(b.dirtyDir, p+"/")
		}
	}
}

// isThemeLayout reports whether p may hold a theme's templates: themes/,
// themes/NAME, or anything under themes/NAME/layouts. A theme's static
// files are read on every build anyway.
func isThemeLayout(p string) bool {
	parts := strings.SplitN(p, "/", 4)
	if parts[0] != "themes" {
		return false
	}
	return len(parts) <= 2 || parts[2] == "layouts"
}

// stale reports whether a post's cached data may be out of date because of
// an invalidated path: its own file, a file of its bundle, or a directory
// holding it.
func (b *Builder) stale(e *postEntry, file string) bool {
	if b.dirty[file] {
		return true
	}
	for _, d := range b.dirtyDir {
		if strings.HasPrefix(file, d) {
			return true
		}
	}
	if e.decoded != nil && e.decoded.BundleDir != "" {
		for p := range b.dirty {
			if strings.HasPrefix(p, e.decoded.BundleDir+"/") {
				return true
			}
		}
	} else {
		// A post that is not a bundle may still read files beside it
		// (stdin=, file=, expect-output=): any such file that changed
		// may change its snippets or their checks.
		for p := range b.dirty {
			if path.Dir(p) == path.Dir(file) && !strings.HasSuffix(p, ".md") {
				return true
			}
		}
	}
	return false
}

// Build brings the site up to date and returns its complete output. On
// error the Builder keeps its last good state: fix the file and build again.
func (b *Builder) Build(ctx context.Context) (*BuildResult, error) {
	cfg, err := fs.ReadFile(sysfile.DirFS(b.opts.Root), config.File)
	if err != nil || !bytes.Equal(cfg, b.config) {
		b.Reset(b.opts)
		b.config = cfg
	}
	if b.posts == nil {
		b.posts = map[string]*postEntry{}
	}
	b.next, b.kept, b.wideSums = map[string]uint64{}, nil, map[string]uint64{}
	defer func() { b.next, b.kept, b.wideSums = nil, nil, nil }()

	endLoad := phasetrace.Begin(ctx, "load")
	s, err := load(ctx, b.opts, b)
	endLoad()
	if err != nil {
		if s != nil {
			return &BuildResult{Stats: s.Stats}, err
		}
		return nil, err
	}
	b.dirty, b.dirtyDir = nil, nil // every post has been checked against them
	b.site = s
	defer func() { b.site = nil }()

	// Every post's data (summary, word count, search text) and HTML is
	// known: hash the new and changed posts before any page, which may
	// show its neighbours', is keyed.
	posts := s.allPosts()
	parallel.For(len(posts), func(i int) {
		p := posts[i]
		if st := s.stateOf(p); st.kept == nil {
			st.kept = &keptPost{sum: inputkey.Post(b.seed, p, st.html)}
		}
	})
	for kind, use := range b.uses {
		if use.Wide {
			var h maphash.Hash
			h.SetSeed(b.seed)
			for _, p := range posts {
				inputkey.Uint(&h, b.listSum(p, kind, use))
			}
			b.wideSums[kind] = h.Sum64()
		}
	}

	out := &memOutput{files: make(map[string][]byte, len(b.files))}
	s.reuse = b
	endRender := phasetrace.Begin(ctx, "render pages")
	err = s.Render(out)
	endRender()
	if err != nil {
		return &BuildResult{Stats: s.Stats}, err
	}
	for _, name := range b.kept {
		out.files[name] = b.files[name]
	}
	s.Stats.Files = len(out.files)
	res := &BuildResult{Files: out.files, Stats: s.Stats}
	kept := make(map[string]bool, len(b.kept))
	for _, name := range b.kept {
		kept[name] = true
	}
	for name, data := range out.files {
		if kept[name] {
			continue
		}
		if old, ok := b.files[name]; !ok || !bytes.Equal(old, data) {
			res.Changed = append(res.Changed, name)
		}
	}
	for name := range b.files {
		if _, ok := out.files[name]; !ok {
			res.Changed = append(res.Changed, name)
		}
	}
	sort.Strings(res.Changed)

	b.files, b.keys = out.files, b.next
	for _, p := range posts {
		if e := b.posts[p.SourcePath]; e != nil {
			e.done, e.state = p, s.stateOf(p)
		}
	}
	return res, nil
}

// templates returns the parsed templates, loading them after a change.
func (b *Builder) templates(fsys fs.FS, cfg *config.Config) (*theme.Templates, error) {
	if b.tmpl != nil {
		return b.tmpl, nil
	}
	t, err := theme.Load(fsys, b.opts.Theme, cfg)
	if err != nil {
		return nil, err
	}
	b.tmpl, b.uses, b.keys = t, t.Uses(), nil // every page renders again
	b.gen++
	return t, nil
}

// readPost answers content.Load from the cache when a file did not change:
// with the analysed, rendered post of the last good build and its state
// if there is one.
func (b *Builder) readPost(fsys fs.FS, file string) (*Post, *postState, error) {
	var stamp fileStamp
	if st, err := os.Stat(filepath.Join(b.opts.Root, filepath.FromSlash(file))); err == nil {
		stamp = fileStamp{size: st.Size(), mtime: st.ModTime().UnixNano()}
		stamp.ino = inode(st)
	}
	b.mu.Lock()
	e := b.posts[file]
	b.mu.Unlock()
	if e == nil || e.stamp != stamp || stamp == (fileStamp{}) || b.stale(e, file) {
		p, err := content.ReadPost(fsys, file)
		e = &postEntry{stamp: stamp, decoded: p, err: err}
		b.mu.Lock()
		b.posts[file] = e
		b.mu.Unlock()
	}
	if e.err != nil {
		return nil, nil, e.err
	}
	src, st := e.done, &postState{}
	if src == nil {
		src = e.decoded
	} else {
		st.snippets, st.html, st.kept = e.state.snippets, e.state.html, e.state.kept
	}
	cp := *src
	cp.Prev, cp.Next, cp.SeriesPosts, cp.SeriesNumber = nil, nil, nil, 0
	return &cp, st, nil
}

// keep is called by Render for every templated page. It returns true when
// the page's input key equals the last build's, so its bytes are reused.
// The key covers every field of Page; TestPageFieldsKeyed fails when Page
// grows one this function does not know.
func (b *Builder) keep(kind string, pg *Page) bool {
	use := b.uses[kind]
	if use == nil {
		return false
	}
	var h maphash.Hash
	h.SetSeed(b.seed)
	h.WriteString(kind + "\x00" + pg.Kind + "\x00" + pg.Title + "\x00" + pg.Description + "\x00" + pg.URL + "\x00")
	if p := pg.Post; p != nil && pg.Content == b.site.stateOf(p).html {
		inputkey.Uint(&h, 0) // the post's body: its kept sum below covers it
	} else {
		h.WriteString(string(pg.Content))
	}
	if p := pg.Post; p != nil {
		// The page's own post: everything, body included.
		inputkey.Uint(&h, 1, b.site.stateOf(p).kept.sum, b.neighbours(p, kind, use))
	}
	if pg.Pager != nil {
		inputkey.Uint(&h, 2, uint64(pg.Pager.Number), uint64(pg.Pager.Total))
		h.WriteString(pg.Pager.PrevURL + "\x00" + pg.Pager.NextURL + "\x00")
	}
	if t := pg.Term; t != nil {
		h.WriteString(t.Name + "\x00" + t.Slug + "\x00" + t.URL + "\x00")
		inputkey.Uint(&h, 3, uint64(len(t.Posts)))
		for _, p := range t.Posts {
			inputkey.Uint(&h, b.listSum(p, kind, use))
		}
	}
	inputkey.Uint(&h, 4, uint64(len(pg.Posts)))
	for _, p := range pg.Posts {
		inputkey.Uint(&h, b.listSum(p, kind, use))
	}
	inputkey.Uint(&h, 5, uint64(len(pg.Years)))
	for _, y := range pg.Years {
		inputkey.Uint(&h, uint64(y.Year), uint64(len(y.Posts)))
		for _, p := range y.Posts {
			inputkey.Uint(&h, b.listSum(p, kind, use))
		}
	}
	if use.Wide {
		inputkey.Uint(&h, 6, b.wideSums[kind])
	}
	key := h.Sum64()
	name := outpath.File(pg.URL)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.next[name] = key
	if old, ok := b.keys[name]; ok && old == key {
		if _, ok := b.files[name]; ok {
			b.kept = append(b.kept, name)
			return true
		}
	}
	return false
}

// listSum hashes what a page of kind can read of a post it lists: the
// fields its templates name, and those of the post's neighbours and series
// when the templates name Prev, Next or SeriesPosts.
func (b *Builder) listSum(p *Post, kind string, use *theme.Use) uint64 {
	return b.fieldSum(p, kind, use) ^ b.neighbours(p, kind, use)*0x9E3779B97F4A7C15
}

func (b *Builder) neighbours(p *Post, kind string, use *theme.Use) uint64 {
	var h maphash.Hash
	h.SetSeed(b.seed)
	if use.All || use.Names["Prev"] {
		inputkey.Uint(&h, b.fieldSum(p.Prev, kind, use))
	}
	if use.All || use.Names["Next"] {
		inputkey.Uint(&h, b.fieldSum(p.Next, kind, use))
	}
	if use.All || use.Names["SeriesPosts"] || use.Names["SeriesNumber"] {
		inputkey.Uint(&h, uint64(p.SeriesNumber), uint64(len(p.SeriesPosts)))
		for _, q := range p.SeriesPosts {
			inputkey.Uint(&h, b.fieldSum(q, kind, use))
		}
	}
	return h.Sum64()
}

// fieldSum hashes the fields of p that kind's templates name (all of them,
// body included, when the templates could read a post whole).
func (b *Builder) fieldSum(p *Post, kind string, use *theme.Use) uint64 {
	if p == nil {
		return 0
	}
	r := b.site.stateOf(p).kept
	if use.All {
		return r.sum
	}
	k := sumKey{kind, b.gen}
	r.mu.Lock()
	sum, ok := r.sums[k]
	r.mu.Unlock()
	if ok {
		return sum
	}
	sum = inputkey.Fields(b.seed, p, use.Names)
	r.mu.Lock()
	if r.sums == nil {
		r.sums = map[sumKey]uint64{}
	}
	r.sums[k] = sum
	r.mu.Unlock()
	return sum
}

func (b *Builder) keepFiles(posts []*Post, names ...string) bool {
	var h maphash.Hash
	h.SetSeed(b.seed)
	for _, n := range names {
		h.WriteString(n + "\x00")
	}
	inputkey.Uint(&h, uint64(len(posts)))
	for _, p := range posts {
		r := b.site.stateOf(p).kept
		if r == nil {
			return false
		}
		inputkey.Uint(&h, r.sum)
	}
	key := h.Sum64()
	b.mu.Lock()
	defer b.mu.Unlock()
	same := true
	for _, n := range names {
		b.next[n] = key
		_, ok := b.files[n]
		same = same && ok && b.keys[n] == key
	}
	if !same {
		return false
	}
	b.kept = append(b.kept, names...)
	return true
}

// memOutput collects a build's files in memory.
type memOutput struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (o *memOutput) WriteFile(name string, data []byte) error {
	o.mu.Lock()
	o.files[name] = bytes.Clone(data)
	o.mu.Unlock()
	return nil
}
