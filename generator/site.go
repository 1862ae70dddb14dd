// Package generator turns a site directory (config.yaml, content/, themes/,
// layouts/, static/) into a static blog: it is the pipeline, and each of
// its stages that can stand alone is a package of its own.
//
// A build flows one way:
//
//   - config.Load reads config.yaml (package config), once;
//   - LoadContent reads the posts and pages, front matter and bundles
//     (content.go);
//   - the markdown of posts with live code is parsed (package markdown)
//     and their live blocks collected and completed into programs
//     (package snippet; parse.go joins the two);
//   - every program runs through a SnippetRunner (the playground, cached,
//     in parallel), and each result is checked and drawn: output, a
//     benchmark report (package benchreport) or a plot;
//   - templates render every page (render.go, templates.go), with the
//     feeds and sitemap (package feeds) and the search index (package
//     search); collisions.go has proven first that no two outputs share a
//     path;
//   - the output is written into a fresh staging directory and swapped
//     into place (package output). No renderer executes code.
//
// serve's Builder (incremental.go) runs the same pipeline and reuses what
// an edit did not change. Every author mistake is a *diag.Error naming
// FILE:LINE; a build reports all of them at once as a diag.List.
package generator

import (
	"context"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/benchpress/benchpress/generator/config"
	"github.com/benchpress/benchpress/generator/diag"
	"github.com/benchpress/benchpress/generator/markdown"
	"github.com/benchpress/benchpress/generator/output"
	"github.com/benchpress/benchpress/generator/snippet"
	"github.com/benchpress/benchpress/internal/benchstats"
	"github.com/benchpress/benchpress/internal/parallel"
	"github.com/benchpress/benchpress/internal/sysfile"
	"github.com/benchpress/benchpress/playground"
)

// SnippetRunner runs programs; the playground's Runner is the real one,
// tests use fakes. results[i] and errs[i] belong to progs[i].
type SnippetRunner interface {
	RunAll(ctx context.Context, progs []playground.Program, progress func(playground.Progress)) ([]playground.Result, []error)
}

// SnippetProgress is one live block finished (run, or its result taken
// from the store), for a progress display: the count done so far, where
// the block is and how it ended.
type SnippetProgress struct {
	Done, Total int
	File        string // content/posts/x.md
	Line        int    // the opening fence
	Name        string // the block's name=, if it has one
	// Result is the block's result (Cached: from the store), or nil when
	// Err is set (an infrastructure fault, or another shard runs it).
	Result *playground.Result
	Err    error
}

// Options configure a build.
type Options struct {
	Root string // site root (holds config.yaml)
	// Config is the site's config.yaml, read once by the caller (which
	// needs it to set up the runner); nil: the build reads it.
	Config *config.Config
	Out    string // output directory; default Root/public
	Drafts bool
	Future bool
	Now    time.Time // for future-dated posts; default time.Now()
	// Theme is the built-in default theme (the contents of themes/default).
	// A site's themes/<name>/ and layouts/ override it file by file.
	Theme  fs.FS
	Runner SnippetRunner
	// Dev marks a serve build: pages get the live-reload script.
	Dev bool
	// Bench defaults for go bench blocks.
	Bench playground.BenchOptions
	// Log receives progress and summary lines; nil discards them.
	Log io.Writer
	// Progress is called after each snippet, by one goroutine at a time.
	Progress func(SnippetProgress)
	// Warn receives the build's warnings (problems that do not fail it);
	// nil prints them to Log, one "FILE:LINE: message" line each.
	Warn func(diag.Warning)
	// Explain logs, for every snippet that ran, why it was not cached.
	Explain bool
	// Rerun is --rerun's target ("all", content/posts/x.md or
	// content/posts/x.md#name); the build fails when it names no post or
	// block. The Runner does the rerunning.
	Rerun string
}

// Stats summarise a build.
type Stats struct {
	Posts, Pages, Files int
	Snippets            int // live blocks in the site
	SnippetsRun         int // executed in this build
	SnippetsCached      int // taken from the results store
	// SnippetsElsewhere are left to other shards (a --shard build); a
	// Site with any cannot render.
	SnippetsElsewhere int
}

// Site is a loaded site: configuration, content with snippets run, and
// templates, ready to render.
type Site struct {
	Root    string
	Config  *config.Config
	Content *Content
	Tags    []*Term
	Series  map[string][]*Post
	Dev     bool

	opts     Options
	ctx      context.Context // a signal ends it: loading and rendering stop early
	fsys     fs.FS
	md       *postMarkdown
	tmpl     *templates
	snippets []*snippet.Snippet
	Stats    Stats
	reuse    pageReuser   // serve's Builder, or nil
	cards    *renderCache // social cards drawn or cached

	// trees holds the syntax trees parseAll made of posts with live code
	// (*Post -> *markdown.Doc), so that body renders them rather than parse
	// each post twice; a tree is dropped when its post renders. treeBytes
	// counts their markdown, kept under keptTreesBudget.
	trees     sync.Map
	treeBytes atomic.Int64
}

// keptTreesBudget bounds the markdown of the trees parseAll keeps for
// rendering: a tree takes about 14 times its source in memory, so at most
// ~30 MB. Posts beyond it are parsed again when they render.
const keptTreesBudget = 2 << 20

// keptTree returns, once, the tree parseAll kept for p, or nil.
func (s *Site) keptTree(p *Post) *markdown.Doc {
	if doc, ok := s.trees.LoadAndDelete(p); ok {
		return doc.(*markdown.Doc)
	}
	return nil
}

// Term is a tag and the posts carrying it.
type Term struct {
	Name  string
	Slug  string
	URL   string
	Posts []*Post
}

// Build loads, runs and renders the site at opts.Root into opts.Out,
// atomically: on any error the previous output is left untouched.
func Build(ctx context.Context, opts Options) (*Stats, error) {
	if opts.Out == "" {
		opts.Out = filepath.Join(opts.Root, "public")
	}
	if err := output.Check(opts.Root, opts.Out); err != nil {
		return nil, err
	}
	log := opts.Log
	if log == nil {
		log = io.Discard
	}
	unlock, err := output.Lock(ctx, opts.Out, log)
	if err != nil {
		return nil, err
	}
	defer unlock()
	site, err := Load(ctx, opts)
	if err != nil {
		if site != nil {
			return &site.Stats, err // snippets ran; the caller can summarise them
		}
		return nil, err
	}
	staging, err := output.Stage(opts.Out)
	if err != nil {
		return nil, err
	}
	if err := site.Render(staging); err != nil {
		staging.Discard()
		return nil, err
	}
	// Commit checks ctx, and a stop through its Gate, in the same step
	// that decides to swap.
	if err := staging.Commit(ctx); err != nil {
		return nil, err
	}
	return &site.Stats, nil
}

// Load reads the site, parses every post and runs its snippets. The
// returned Site renders without executing anything. When snippets fail,
// Load returns the error and also the Site, for its Stats; do not render it.
func Load(ctx context.Context, opts Options) (*Site, error) {
	return load(ctx, opts, nil)
}

// load is Load with serve's Builder, whose cache answers for unchanged
// posts (already parsed, analysed, run and rendered) and templates.
func load(ctx context.Context, opts Options, b *Builder) (*Site, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	cfg := opts.Config
	var err error
	if cfg == nil || (b != nil && !cfg.ReadFrom(b.config)) {
		if cfg, err = config.Load(opts.Root); err != nil {
			return nil, err
		}
	}
	fsys := sysfile.DirFS(opts.Root)
	s := &Site{Root: opts.Root, Config: cfg, opts: opts, fsys: fsys, Dev: opts.Dev, ctx: ctx}
	var list diag.List
	lopts := LoadOptions{Drafts: opts.Drafts, Future: opts.Future, Now: opts.Now}
	if b != nil {
		s.tmpl, err = b.templates(fsys, cfg)
		lopts.read = b.readPost
	} else {
		s.tmpl, err = loadTemplates(fsys, opts.Theme, cfg)
		// A full build renders each post once: its markdown need not stay
		// in memory from loading to rendering, unless a template reads it.
		lopts.dropBodies = err == nil && !readsBody(s.tmpl)
	}
	list.Add(err)
	s.Content, err = LoadContent(fsys, cfg, lopts)
	list.Add(err)
	if err := list.Err(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.md = newMarkdown(cfg, diagramRenderer(ctx, s.Root))
	list.Add(s.parseAll())
	if err := list.Err(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	list.Add(s.assemble())
	list.Add(s.checkOutputs())
	list.Add(s.checkRerun())
	if err := list.Err(); err != nil {
		return nil, err
	}
	if err := s.runSnippets(ctx); err != nil {
		return s, err
	}
	return s, nil
}

// checkRerun fails a build whose --rerun names no post, a post without live
// code, or no block of the post: rerunning nothing must not look like success.
func (s *Site) checkRerun() error {
	target := s.opts.Rerun
	if target == "" || target == "all" {
		return nil
	}
	target = filepath.ToSlash(filepath.Clean(target))
	file, block, hasBlock := strings.Cut(target, "#")
	var post *Post
	for _, p := range s.allPosts() {
		if p.SourcePath == file {
			post = p
		}
	}
	switch {
	case post == nil:
		return fmt.Errorf("--rerun=%s: no such post in this build (name it from the site root, e.g. content/posts/x.md)", s.opts.Rerun)
	case len(post.Snippets) == 0:
		return fmt.Errorf("--rerun=%s: %s has no live code blocks", s.opts.Rerun, file)
	case !hasBlock:
		return nil
	}
	var names []string
	for _, sn := range post.Snippets {
		if sn.Program.ID == target {
			return nil
		}
		if sn.Opts.Name != "" {
			names = append(names, sn.Opts.Name)
		}
	}
	return fmt.Errorf("--rerun=%s: %s has no block named %q (its named blocks: %s)", s.opts.Rerun, file, block, orDefault(strings.Join(names, ", "), "none; add name=... to a fence"))
}

// stopped reports whether the build was cancelled (a signal, or serve's
// next save): the parallel loops skip their remaining work.
func (s *Site) stopped() bool { return s.ctx != nil && s.ctx.Err() != nil }

// readsBody reports whether any template may read a post's Body.
func readsBody(t *templates) bool {
	for _, use := range templateUses(t) {
		if use.all || use.names["Body"] {
			return true
		}
	}
	return false
}

// withBody runs f with p.Body loaded: a full build drops the bodies of
// posts without live code after loading them (LoadOptions.dropBodies) and
// reads each one again here, for the one pass that renders it.
func (s *Site) withBody(p *Post, f func() error) error {
	if !p.lazyBody || p.Body != nil {
		return f()
	}
	body, err := readBody(s.fsys, p)
	if err != nil {
		return err
	}
	p.Body = body
	defer func() { p.Body = nil }()
	return f()
}

func (s *Site) allPosts() []*Post {
	return append(append(make([]*Post, 0, len(s.Content.Posts)+len(s.Content.Pages)), s.Content.Posts...), s.Content.Pages...)
}

// parseAll is the first markdown pass of posts with live code: snippets,
// table of contents, summary, word count and search text. Their trees are
// kept for rendering up to keptTreesBudget, so memory does not grow with
// the site; beyond it, rendering parses again. Posts without live code are
// parsed once, when they render.
func (s *Site) parseAll() error {
	posts := s.allPosts()
	errs := make([]diag.List, len(posts))
	parallel.For(len(posts), func(i int) {
		p := posts[i]
		if p.rendered != nil || s.stopped() {
			return // serve's Builder kept it from the last build, snippets run
		}
		if !snippet.HasLive(p.Body) {
			// No live code: one parse at render time does everything.
			p.deferred = true
			return
		}
		doc, perrs := s.md.parse(p, true)
		errs[i] = perrs
		errs[i].Add(s.analyse(p, doc))
		if s.treeBytes.Add(int64(len(p.Body))) <= keptTreesBudget {
			s.trees.Store(p, doc)
		}
		named := map[string]*snippet.Snippet{}
		dir := path.Dir(p.SourcePath)
		for _, sn := range p.Snippets {
			if err := sn.Build(s.fsys, dir, named, s.opts.Bench); err != nil {
				errs[i].Add(diag.Errorf(sn.File, sn.Line, "go %s: %v", sn.Verb, err))
			}
			if sn.Opts.Name != "" {
				named[sn.Opts.Name] = sn
			}
		}
	})
	var list diag.List
	for _, e := range errs {
		list.Add(e)
	}
	for _, p := range posts {
		if p.rendered == nil {
			s.snippets = append(s.snippets, p.Snippets...)
		}
	}
	return list.Err()
}

// analyse fills a post's TOC, summary, word count and plain text from its
// tree. Its error is the front matter summary's, which it parses.
func (s *Site) analyse(p *Post, doc *markdown.Doc) error {
	o := doc.Outline()
	p.Headings = nil
	var toc []*TOCEntry
	for _, h := range o.Headings {
		p.Headings = append(p.Headings, h.Title)
		if h.ID != "" && h.Level >= 2 && h.Level <= 4 {
			toc = append(toc, &TOCEntry{Level: h.Level, ID: h.ID, Title: h.Title})
		}
	}
	p.TOC = nestTOC(toc)
	p.WordCount = o.Words
	p.ReadingTime = (o.Words + 219) / 220
	if p.ReadingTime < 1 {
		p.ReadingTime = 1
	}
	p.Text = o.Text
	buf := markdown.GetBuffer(1 << 10)
	defer markdown.PutBuffer(buf)
	var err error
	if p.SummaryText != "" {
		if cerr := s.md.Convert([]byte(p.SummaryText), buf); cerr != nil {
			err = diag.Errorf(p.SourcePath, p.summaryLine, "summary: %v", cerr)
		}
	} else {
		_ = doc.RenderSummary(buf)
	}
	p.Summary = template.HTML(stripFootnoteRefs(buf.String()))
	return err
}

// stripFootnoteRefs drops footnote links from summaries: their targets
// live on the post's page, not on list pages.
func stripFootnoteRefs(h string) string {
	for {
		i := strings.Index(h, `<sup id="fnref`)
		if i < 0 {
			return h
		}
		j := strings.Index(h[i:], "</sup>")
		if j < 0 {
			return h
		}
		h = h[:i] + h[i+j+len("</sup>"):]
	}
}

func nestTOC(flat []*TOCEntry) []*TOCEntry {
	var root []*TOCEntry
	var stack []*TOCEntry
	for _, e := range flat {
		for len(stack) > 0 && stack[len(stack)-1].Level >= e.Level {
			stack = stack[:len(stack)-1]
		}
		if len(stack) == 0 {
			root = append(root, e)
		} else {
			parent := stack[len(stack)-1]
			parent.Children = append(parent.Children, e)
		}
		stack = append(stack, e)
	}
	return root
}

// assemble links posts together: prev/next, series, tags. Two tags that
// differ in more than letter case but share a slug (C++ and C) would share
// one page: that is an error at the second one's line.
func (s *Site) assemble() error {
	var list diag.List
	posts := s.Content.Posts
	for i, p := range posts {
		if i+1 < len(posts) {
			p.Prev = posts[i+1]
		}
		if i > 0 {
			p.Next = posts[i-1]
		}
	}
	s.Series = map[string][]*Post{}
	for i := len(posts) - 1; i >= 0; i-- {
		if p := posts[i]; p.Series != "" {
			s.Series[p.Series] = append(s.Series[p.Series], p)
			p.SeriesNumber = len(s.Series[p.Series])
		}
	}
	for _, p := range posts {
		if p.Series != "" {
			p.SeriesPosts = s.Series[p.Series]
		}
	}
	bySlug := map[string]*Term{}
	firstUse := map[string]string{} // slug -> FILE:LINE of the name its page shows
	foldedSlugs := map[string]*Term{}
	for _, p := range posts {
		seen := map[string]bool{}
		for j, t := range p.Tags {
			slug := slugify(t)
			line := 1
			if j < len(p.tagLines) {
				line = p.tagLines[j]
			}
			term := bySlug[slug]
			if term != nil && !strings.EqualFold(term.Name, t) {
				list.Add(diag.Errorf(p.SourcePath, line, "tag %q and tag %q (%s) would share the page %s: use one spelling for both", t, term.Name, firstUse[slug], term.URL))
			}
			if other, ok := foldedSlugs[foldKey(slug)]; ok && other.Slug != slug && !seen[slug] {
				// ſ and s: two slugs, one directory on macOS and Windows.
				list.Add(diag.Errorf(p.SourcePath, line, "tag %q and tag %q (%s) would have pages whose URLs differ only in case (%s and %s), which macOS and Windows store as one: use one spelling for both", t, other.Name, firstUse[other.Slug], expandPermalink(s.Config.Permalinks.Tags, slug, time.Time{}), other.URL))
				continue
			}
			if slug == "" || seen[slug] {
				continue
			}
			seen[slug] = true
			if term == nil {
				term = &Term{Name: t, Slug: slug, URL: expandPermalink(s.Config.Permalinks.Tags, slug, time.Time{})}
				bySlug[slug] = term
				foldedSlugs[foldKey(slug)] = term
				firstUse[slug] = position(p.SourcePath, line)
				s.Tags = append(s.Tags, term)
			}
			term.Posts = append(term.Posts, p)
		}
	}
	sort.Slice(s.Tags, func(i, j int) bool { return s.Tags[i].Slug < s.Tags[j].Slug })
	s.Stats.Posts, s.Stats.Pages = len(s.Content.Posts), len(s.Content.Pages)
	return list.Err()
}

// TagURL returns the URL of a tag's page.
func (s *Site) TagURL(tag string) string {
	return expandPermalink(s.Config.Permalinks.Tags, slugify(tag), time.Time{})
}

// runSnippets runs every live block through the runner in one batch, then
// checks each result against what its fence expects. Every failing snippet
// is reported, not just the first.
func (s *Site) runSnippets(ctx context.Context) error {
	s.Stats.Snippets = len(s.snippets)
	if len(s.snippets) == 0 {
		return nil
	}
	if s.opts.Runner == nil {
		sn := s.snippets[0]
		return diag.Errorf(sn.File, sn.Line, "live code blocks need the playground, but this build has none")
	}
	progs := make([]playground.Program, len(s.snippets))
	for i, sn := range s.snippets {
		progs[i] = sn.Program
	}
	results, errs := s.opts.Runner.RunAll(ctx, progs, s.progress())
	var list diag.List
	var benches []*benchBlock
	for i, sn := range s.snippets {
		if i < len(errs) && playground.IsOtherShard(errs[i]) {
			// Another machine runs it; the merged store will hold it.
			s.Stats.SnippetsElsewhere++
			continue
		}
		if i < len(errs) && errs[i] != nil {
			sn.Err = errs[i]
		} else if i < len(results) {
			r := results[i]
			sn.Result = &r
			if r.Cached {
				s.Stats.SnippetsCached++
			} else {
				s.Stats.SnippetsRun++
				if s.opts.Explain {
					fmt.Fprintf(s.opts.Log, "%s:%d: ran: %s\n", sn.File, sn.Line, orDefault(r.Reason, "not cached"))
				}
			}
		}
		errsOf := sn.Check()
		if len(errsOf) == 0 && sn.Verb == "bench" && sn.Result != nil {
			res, err := analyseBench(sn, float64(s.Config.Bench.Noise))
			if err != nil {
				errsOf.Add(diag.Errorf(sn.File, sn.Line, "go bench: %v", err))
			} else {
				benches = append(benches, &benchBlock{sn: sn, res: res})
			}
		}
		if len(errsOf) == 0 && sn.Opts.Plot != nil && sn.Result != nil {
			if err := sn.RenderPlot(); err != nil {
				errsOf.Add(diag.Errorf(sn.File, sn.Line, "plot: %v", err))
			}
		}
		list.Add(errsOf)
	}
	// Claims are judged before the reports are written: a report says
	// which of its block's claims these runs could not confirm.
	s.judgeClaims(ctx, benches)
	for _, b := range benches {
		s.renderBench(b, &list)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return list.Err()
}

// progress adapts the runner's reports to Options.Progress, with each
// block's position; nil when nobody listens.
func (s *Site) progress() func(playground.Progress) {
	if s.opts.Progress == nil {
		return nil
	}
	byID := make(map[string]*snippet.Snippet, len(s.snippets))
	for _, sn := range s.snippets {
		if byID[sn.Program.ID] == nil {
			byID[sn.Program.ID] = sn
		}
	}
	return func(p playground.Progress) {
		sp := SnippetProgress{Done: p.Done, Total: p.Total, File: p.ID, Result: p.Result, Err: p.Err}
		if sn := byID[p.ID]; sn != nil {
			sp.File, sp.Line, sp.Name = sn.File, sn.Line, sn.Opts.Name
		}
		s.opts.Progress(sp)
	}
}

// warn reports a warning through Options.Warn, or prints it to Log.
func (s *Site) warn(w diag.Warning) {
	if s.opts.Warn != nil {
		s.opts.Warn(w)
		return
	}
	fmt.Fprintln(s.opts.Log, w.String())
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// renderBench writes a benchmark block's report, with its verdicts: its
// refuted claims are errors, its inconclusive ones warnings the report
// repeats; it warns about noisy rows and a busy machine.
func (s *Site) renderBench(b *benchBlock, errs *diag.List) {
	sn := b.sn
	sn.RawRef = sn.Anchor() + ".txt"
	unconfirmed := b.report(s, errs)
	for _, n := range b.res.NoisyRows() {
		file, line := benchLine(sn, n.Name)
		s.warn(diag.Warning{File: file, Line: line, Stored: sn.Result.Cached,
			Msg: fmt.Sprintf("Benchmark%s is noisy (±%s): rerun on a quieter machine", n.Name, n.Spread)})
	}
	if l := sn.Result.Env.Load; l.Busy() {
		s.warn(diag.Warning{File: sn.File, Line: sn.Line, Stored: sn.Result.Cached,
			Msg: fmt.Sprintf("the machine was busy while these benchmarks ran (%s; busy means others above %s of the CPUs or steal above %s): rerun on a quieter machine",
				l, benchstats.Pct(playground.BusyOthers), benchstats.Pct(playground.BusySteal))})
	}
	sn.Bench = string(renderBenchReport(b.res, sn, unconfirmed))
}
