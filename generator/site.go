// Package generator turns a site directory (config.yaml, content/, themes/,
// layouts/, static/) into a static blog: it is the pipeline, and each of
// its stages that can stand alone is a package of its own.
//
// A build flows one way:
//
//   - config.Load reads config.yaml (package config), once;
//   - content.Load reads the posts and pages, front matter and bundles
//     into plain data, and content.Link links them (package content);
//     each post's build state (its snippets, its route to HTML) is kept
//     beside it, not in it (post.go), and Site.body is the one way to a
//     post's HTML;
//   - the markdown of posts with live code is parsed (package markdown)
//     and their live blocks collected and completed into programs
//     (package snippet; parse.go joins the two and fills each post's
//     summary, TOC and search text);
//   - every program runs through a SnippetRunner (the playground, cached,
//     in parallel), and each result is checked and drawn: output, a
//     benchmark report (package benchreport, bench.go and claims.go) or a
//     plot;
//   - templates render every page (render.go; templates.go loads the
//     theme's layers, templateuse.go finds what each page kind's templates
//     read), with the feeds and sitemap (package feeds, feeds.go) and the
//     search index (package search); collisions.go has proven first that
//     no two outputs share a path;
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
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/benchpress/benchpress/generator/config"
	"github.com/benchpress/benchpress/generator/content"
	"github.com/benchpress/benchpress/generator/diag"
	"github.com/benchpress/benchpress/generator/output"
	"github.com/benchpress/benchpress/generator/rendercache"
	"github.com/benchpress/benchpress/generator/snippet"
	"github.com/benchpress/benchpress/internal/benchstats"
	"github.com/benchpress/benchpress/internal/phasetrace"
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
	Snippets            int // runs of live blocks: one a block, one a combination of an explorable block
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
	reuse    pageReuser         // serve's Builder, or nil
	cards    *rendercache.Cache // social cards drawn or cached

	// state is each post's build state (see postState), written while
	// loading only.
	state   map[*Post]*postState
	stateMu sync.Mutex
	// treeBytes counts the markdown of the trees parseAll keeps (in
	// postState.tree), under keptTreesBudget.
	treeBytes atomic.Int64
}

// keptTreesBudget bounds the markdown of the trees parseAll keeps for
// rendering: a tree takes about 14 times its source in memory, so at most
// ~30 MB. Posts beyond it are parsed again when they render.
const keptTreesBudget = 2 << 20

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
	s := &Site{Root: opts.Root, Config: cfg, opts: opts, fsys: fsys, Dev: opts.Dev, ctx: ctx, state: map[*Post]*postState{}}
	var list diag.List
	lopts := content.LoadOptions{Drafts: opts.Drafts, Future: opts.Future, Now: opts.Now}
	if b != nil {
		s.tmpl, err = b.templates(fsys, cfg)
		lopts.Read = s.reader(b.readPost, false)
	} else {
		s.tmpl, err = loadTemplates(fsys, opts.Theme, cfg)
		// A full build renders each post once: its markdown need not stay
		// in memory from loading to rendering, unless a template reads it.
		lopts.Read = s.reader(readPost, err == nil && !readsBody(s.tmpl))
	}
	list.Add(err)
	lopts.Permalinks.Posts, lopts.Permalinks.Pages = cfg.Permalinks.Posts, cfg.Permalinks.Pages
	endContent := phasetrace.Begin(ctx, "load content")
	s.Content, err = content.Load(fsys, lopts)
	endContent()
	list.Add(err)
	if err := list.Err(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if s.md, err = newMarkdown(cfg, diagramRenderer(ctx, s.Root, cfg.RawHTML())); err != nil {
		return nil, err
	}
	endParse := phasetrace.Begin(ctx, "parse")
	list.Add(s.parseAll())
	endParse()
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
	endRun := phasetrace.Begin(ctx, "snippets")
	defer endRun()
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
	case len(s.stateOf(post).snippets) == 0:
		return fmt.Errorf("--rerun=%s: %s has no live code blocks", s.opts.Rerun, file)
	case !hasBlock:
		return nil
	}
	var names []string
	for _, sn := range s.stateOf(post).snippets {
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

func (s *Site) allPosts() []*Post {
	return append(append(make([]*Post, 0, len(s.Content.Posts)+len(s.Content.Pages)), s.Content.Posts...), s.Content.Pages...)
}

// assemble links posts together (content.Link) and counts them.
func (s *Site) assemble() error {
	var err error
	s.Tags, s.Series, err = content.Link(s.Content.Posts, s.Config.Permalinks.Tags)
	s.Stats.Posts, s.Stats.Pages = len(s.Content.Posts), len(s.Content.Pages)
	return err
}

// TagURL returns the URL of a tag's page.
func (s *Site) TagURL(tag string) string {
	return content.ExpandPermalink(s.Config.Permalinks.Tags, content.Slugify(tag), time.Time{})
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
	// A block runs one program, an explorable block (params=) one per
	// combination: each is counted as a run of its own.
	var progs []playground.Program
	for _, sn := range s.snippets {
		progs = append(progs, sn.Programs()...)
	}
	s.Stats.Snippets = len(progs)
	results, errs := s.opts.Runner.RunAll(ctx, progs, s.progress())
	var list diag.List
	var benches []*benchBlock
	i := 0
	for _, sn := range s.snippets {
		n := len(sn.Programs())
		elsewhere := s.record(sn, progs[i:i+n], results, errs, i)
		i += n
		if elsewhere && sn.States == nil {
			continue
		}
		// An explorable block's combinations run here are checked here;
		// those of other shards are checked where the merged store is
		// built from, and its page only there.
		errsOf := sn.Check()
		if len(errsOf) == 0 && sn.Verb == "bench" && sn.Result != nil {
			res, err := analyseBench(sn, float64(s.Config.Bench.Noise))
			if err != nil {
				errsOf.Add(diag.Errorf(sn.File, sn.Line, "go bench: %v", err))
			} else {
				benches = append(benches, &benchBlock{sn: sn, res: res})
			}
		}
		if len(errsOf) == 0 && sn.Opts.Plot != nil && sn.Result != nil && sn.States == nil {
			if err := sn.RenderPlot(); err != nil {
				errsOf.Add(diag.Errorf(sn.File, sn.Line, "plot: %v", err))
			}
		}
		if len(errsOf) == 0 && sn.SameOutputs() {
			s.warn(diag.Warning{File: sn.File, Line: sn.Line, Stored: sn.Result.Cached,
				Msg: "every combination of params= printed the same output: does the program read its flags (flag.Int(...), then flag.Parse())?"})
		}
		if len(errsOf) == 0 && sn.States != nil && !elsewhere {
			if err := sn.RenderStates(); err != nil {
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

// record gives a block the results of its programs, progs, which are
// results[first:] and errs[first:], and counts them; it reports whether
// another shard runs any of them.
func (s *Site) record(sn *snippet.Snippet, progs []playground.Program, results []playground.Result, errs []error, first int) (elsewhere bool) {
	for k, p := range progs {
		i := first + k
		switch {
		case i < len(errs) && playground.IsOtherShard(errs[i]):
			// Another machine runs it; the merged store will hold it.
			s.Stats.SnippetsElsewhere++
			elsewhere = true
		case i < len(errs) && errs[i] != nil:
			sn.SetRun(k, nil, errs[i])
		case i < len(results):
			r := results[i]
			sn.SetRun(k, &r, nil)
			if r.Cached {
				s.Stats.SnippetsCached++
				continue
			}
			s.Stats.SnippetsRun++
			if s.opts.Explain {
				fmt.Fprintf(s.opts.Log, "%s:%d: ran%s: %s\n", sn.File, sn.Line, comboOf(sn, p.ID), orDefault(r.Reason, "not cached"))
			}
		}
	}
	return elsewhere
}

// progress adapts the runner's reports to Options.Progress, with each
// block's position; nil when nobody listens.
func (s *Site) progress() func(playground.Progress) {
	if s.opts.Progress == nil {
		return nil
	}
	byID := make(map[string]*snippet.Snippet, len(s.snippets))
	for _, sn := range s.snippets {
		for _, p := range sn.Programs() {
			if byID[p.ID] == nil {
				byID[p.ID] = sn
			}
		}
	}
	return func(p playground.Progress) {
		sp := SnippetProgress{Done: p.Done, Total: p.Total, File: p.ID, Result: p.Result, Err: p.Err}
		if sn := byID[p.ID]; sn != nil {
			sp.File, sp.Line, sp.Name = sn.File, sn.Line, sn.Opts.Name+comboOf(sn, p.ID)
		}
		s.opts.Progress(sp)
	}
}

// comboOf names the combination of an explorable block that program id
// runs, " (vnodes=10, nodes=5)"; "" for any other program.
func comboOf(sn *snippet.Snippet, id string) string {
	if c, ok := strings.CutPrefix(id, sn.Program.ID+"?"); ok {
		return " (" + strings.ReplaceAll(c, ";", ", ") + ")"
	}
	return ""
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
