// Package generator turns a site directory (config.yaml, content/, themes/,
// layouts/, static/) into a static blog: it is the pipeline, and each of
// its stages that can stand alone is a package of its own. No package
// under generator/ imports this one.
//
// A build flows one way:
//
//   - config.Load reads config.yaml (package config), once;
//   - content.Load reads the posts and pages, front matter and bundles
//     into plain data, and content.Link links them (package content);
//     each post's build state (its snippets and its HTML) is kept beside
//     it, not in it (post.go);
//   - every post is parsed with its live blocks and analysed into its
//     summary, TOC and search text (package postdoc, driven by parse.go);
//     the HTML of a post without live code is made in the same pass, that
//     of a post with live code once its snippets have run, still inside
//     Load. Site.body is the one way to a post's HTML;
//   - package outpath proves that no two outputs share a path;
//   - every program runs through a SnippetRunner (the playground, cached,
//     in parallel), and each result is checked and drawn: output, a
//     benchmark report with its claims judged, or a plot (package
//     liverun);
//   - Render executes the templates (package theme loads the theme's
//     layers and finds what each page kind's templates read) on the posts'
//     data and HTML, and writes the feeds and sitemap (package feeds) and
//     the search index (package search); it neither parses nor executes
//     code;
//   - the output is written into a fresh staging directory and swapped
//     into place (package output).
//
// serve's Builder (incremental.go) runs the same pipeline and reuses what
// an edit did not change, keying pages with package inputkey. Every author
// mistake is a *diag.Error naming FILE:LINE; a build reports all of them
// at once as a diag.List.
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
	"github.com/benchpress/benchpress/generator/liverun"
	"github.com/benchpress/benchpress/generator/outpath"
	"github.com/benchpress/benchpress/generator/output"
	"github.com/benchpress/benchpress/generator/postdoc"
	"github.com/benchpress/benchpress/generator/rendercache"
	"github.com/benchpress/benchpress/generator/snippet"
	"github.com/benchpress/benchpress/generator/theme"
	"github.com/benchpress/benchpress/internal/phasetrace"
	"github.com/benchpress/benchpress/internal/sysfile"
)

// SnippetRunner runs programs (see liverun.Runner); SnippetProgress is
// one live block finished, for a progress display.
type (
	SnippetRunner   = liverun.Runner
	SnippetProgress = liverun.Progress
)

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
	// LocalRunner, in a --shard build, runs what the shard must run
	// itself whatever the shard assignment says (see liverun.Options.Local);
	// nil: Runner.
	LocalRunner SnippetRunner
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
	md       *postdoc.Markdown
	tmpl     *theme.Templates
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
	// dropBodies: a full build whose templates never read a post's Body:
	// parseAll lets go of each Body it has turned into HTML, and Render
	// of each post's HTML once its page is written, so the site's
	// markdown and HTML are never all in memory at once. Such a Site
	// renders once (renderedOnce).
	dropBodies, renderedOnce bool
}

// keptTreesBudget bounds the markdown of the trees parseAll keeps of posts
// with live code until their snippets have run: a tree takes about 14 times
// its source in memory, so at most ~30 MB. Posts beyond it are parsed again
// by liveBodies.
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
		lopts.Read = s.reader(b.readPost)
	} else {
		s.tmpl, err = theme.Load(fsys, opts.Theme, cfg)
		lopts.Read = s.reader(readPost)
		// A full build renders each post once: its markdown need not stay
		// in memory once it is HTML, unless a template reads it.
		s.dropBodies = err == nil && !s.tmpl.ReadsBody()
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
	hl, err := newHighlighter(cfg)
	if err != nil {
		return nil, err
	}
	s.md = postdoc.New(cfg, hl, diagramRenderer(ctx, s.Root, cfg.RawHTML()))
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
	err = s.runSnippets(ctx)
	endRun()
	if err != nil || s.Stats.SnippetsElsewhere > 0 {
		return s, err // a shard's part of the site is not rendered
	}
	defer phasetrace.Begin(ctx, "live bodies")()
	return s, s.liveBodies()
}

// checkOutputs proves that no two outputs share a path (see outpath.Check).
func (s *Site) checkOutputs() error {
	o := &outpath.Site{Config: s.Config, Posts: s.Content.Posts, Pages: s.Content.Pages, Tags: s.Tags,
		Assets: s.Content.Assets, FS: s.fsys, BuiltinFS: s.opts.Theme}
	for _, p := range s.allPosts() {
		dir := strings.TrimPrefix(p.URL, "/")
		for _, sn := range s.stateOf(p).snippets {
			add := func(name, what string) {
				o.Blocks = append(o.Blocks, outpath.Block{Name: dir + name, File: sn.File, Line: sn.Line, What: what + sn.Anchor()})
			}
			if sn.Verb == "bench" {
				add(sn.Anchor()+".txt", "the raw output of benchmark block ")
			}
			if sn.Opts.Plot != nil {
				add(sn.Anchor()+".csv", "the data of plot ")
			}
			if sn.Opts.Grid != nil {
				add(sn.StatesFile(), "the runs of explorable block ")
			}
		}
	}
	return outpath.Check(o)
}

// checkRerun fails a build whose --rerun names nothing it could rerun (see
// liverun.CheckRerun).
func (s *Site) checkRerun() error {
	return liverun.CheckRerun(s.opts.Rerun, func(file string) ([]*snippet.Snippet, bool) {
		for _, p := range s.allPosts() {
			if p.SourcePath == file {
				return s.stateOf(p).snippets, true
			}
		}
		return nil, false
	}, func(file string) bool {
		st, err := fs.Stat(s.fsys, file)
		return err == nil && st.Mode().IsRegular() && strings.HasPrefix(file, "content/")
	})
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

// runSnippets runs every live block through the runner (package liverun)
// and counts its programs.
func (s *Site) runSnippets(ctx context.Context) error {
	c, err := liverun.Run(ctx, s.snippets, liverun.Options{Runner: s.opts.Runner, Local: s.opts.LocalRunner, Progress: s.opts.Progress,
		Explain: s.opts.Explain, Log: s.opts.Log, Warn: s.warn, Bench: s.Config.Bench})
	s.Stats.Snippets, s.Stats.SnippetsRun, s.Stats.SnippetsCached, s.Stats.SnippetsElsewhere = c.Programs, c.Run, c.Cached, c.Elsewhere
	return err
}

// warn reports a warning through Options.Warn, or prints it to Log.
func (s *Site) warn(w diag.Warning) {
	if s.opts.Warn != nil {
		s.opts.Warn(w)
		return
	}
	fmt.Fprintln(s.opts.Log, w.String())
}
