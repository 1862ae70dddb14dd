package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/benchpress/benchpress/generator"
	"github.com/benchpress/benchpress/playground"
)

// buildFlags are the flags build and serve share.
type buildFlags struct {
	root, out      string
	drafts, future bool
	rerun          string
	explain        bool
	frozen         bool
	prune          bool
	sandbox        string
}

func runBuild(args []string) error {
	fs := newFlagSet("build", "[flags]", "Build the site into public/: run every live code block (cached), render, and swap the\nnew output into place. A failed build leaves the previous public/ untouched.")
	var f buildFlags
	f.register(fs, false)
	rerunAll(args)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("build takes no arguments (got %q); see benchpress build -h", fs.Args())
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	batchGC()
	start := time.Now()
	st, err := buildSite(ctx, f, false, os.Stderr)
	if err != nil {
		return err
	}
	out := f.out
	if out == "" {
		out = filepath.Join(f.root, "public")
	}
	fmt.Fprintf(os.Stderr, "built %d posts, %d pages, %d files into %s in %v\n", st.Posts, st.Pages, st.Files, out, time.Since(start).Round(time.Millisecond))
	return nil
}

// batchGC sets the garbage collector for a one-shot build, unless GOGC
// says otherwise: a build allocates about 260 MiB per 1,000 posts while
// holding little (every page is written out as soon as it renders), so
// collecting at 5x the live heap instead of 2x saves about 13% of the
// build's CPU for some tens of MiB of peak RSS (README, Performance).
func batchGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
}

// register defines the flags build and serve share. serve shows drafts and
// future posts unless told otherwise, and writes no output directory.
func (f *buildFlags) register(fs *flag.FlagSet, serve bool) {
	fs.StringVar(&f.root, "source", ".", "site root (the directory holding config.yaml)")
	if !serve {
		fs.StringVar(&f.out, "out", "", "output directory (default SOURCE/public)")
	}
	fs.BoolVar(&f.drafts, "drafts", serve, "include drafts")
	fs.BoolVar(&f.future, "future", serve, "include posts dated in the future")
	fs.StringVar(&f.rerun, "rerun", "", "rerun snippets instead of using stored results: all, a post (content/posts/x.md) or one block (content/posts/x.md#name)")
	fs.BoolVar(&f.explain, "explain", false, "say for each snippet that ran why its stored result could not be used")
	fs.BoolVar(&f.frozen, "frozen", false, "execute nothing: every snippet's result must be in the results store (no Go toolchain needed)")
	if !serve {
		fs.BoolVar(&f.prune, "prune", false, "after a successful build, delete stored results no snippet uses any more")
	}
	fs.StringVar(&f.sandbox, "sandbox", "", "override playground.sandbox from config.yaml (linux or none)")
}

// rerunAll rewrites a bare -rerun, which means all, into -rerun=all.
func rerunAll(args []string) {
	for i, a := range args {
		if a == "-rerun" || a == "--rerun" {
			args[i] = "--rerun=all"
		}
	}
}

// siteSetup is a build's generator options with the playground wired in.
type siteSetup struct {
	cfg      *generator.Config
	opts     generator.Options
	runner   *playground.Runner
	frozen   bool
	progress *progress
}

// newSiteSetup reads config.yaml and wires the snippet runner and progress
// into the generator options: build and serve both start here.
func newSiteSetup(f buildFlags, dev bool, log io.Writer) (*siteSetup, error) {
	cfg, err := generator.LoadConfig(f.root)
	if err != nil {
		return nil, err
	}
	frozen := f.frozen || (cfg.Playground.FrozenInCI && os.Getenv("CI") == "true")
	runner, err := newSnippetRunner(f.root, cfg, runnerOptions{rerun: f.rerun, frozen: frozen, sandbox: f.sandbox, log: log})
	if err != nil {
		return nil, err
	}
	progress := newProgress(log)
	opts := generator.Options{
		Root: f.root, Out: f.out, Drafts: f.drafts, Future: f.future,
		Theme: defaultTheme(), Runner: runner, Dev: dev, Log: log, Explain: f.explain,
		Progress: progress.update,
	}
	return &siteSetup{cfg: cfg, opts: opts, runner: runner, frozen: frozen, progress: progress}, nil
}

// buildSite runs one build with the playground wired in, printing snippet
// progress on a terminal and summary lines otherwise.
func buildSite(ctx context.Context, f buildFlags, dev bool, log io.Writer) (*generator.Stats, error) {
	setup, err := newSiteSetup(f, dev, log)
	if err != nil {
		return nil, err
	}
	runner, frozen := setup.runner, setup.frozen
	st, err := generator.Build(ctx, setup.opts)
	setup.progress.done()
	if st != nil && st.Snippets > 0 {
		fmt.Fprintf(log, "%d snippets: %d run, %d cached\n", st.Snippets, st.SnippetsRun, st.SnippetsCached)
	}
	if err != nil {
		return nil, err
	}
	if frozen {
		if oldest := runner.Oldest(); !oldest.IsZero() {
			fmt.Fprintf(log, "frozen build: oldest stored result is from %s (%s ago)\n", oldest.Format("2006-01-02"), time.Since(oldest).Round(time.Hour))
		}
	}
	if f.prune {
		n, err := runner.Prune()
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(log, "pruned %d stored results no snippet uses\n", n)
	}
	return st, nil
}

// progress shows done/total and the current snippet on a terminal, and
// nothing until the summary otherwise (CI logs stay readable).
type progress struct {
	w     io.Writer
	tty   bool
	shown bool
	last  time.Time
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 && os.Getenv("TERM") != "dumb" {
			p.tty = true
		}
	}
	return p
}

func (p *progress) update(done, total int, id string) {
	if !p.tty {
		return
	}
	if done < total && time.Since(p.last) < 50*time.Millisecond {
		return
	}
	p.last = time.Now()
	post, _, _ := strings.Cut(id, "#")
	fmt.Fprintf(p.w, "\r\x1b[Ksnippets %d/%d  %s", done, total, post)
	p.shown = true
}

func (p *progress) done() {
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
