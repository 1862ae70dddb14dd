package main

import (
	"context"
	"errors"
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
	"github.com/benchpress/benchpress/generator/config"
	"github.com/benchpress/benchpress/generator/diag"
	"github.com/benchpress/benchpress/generator/output"
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
	shard          string // --shard I/N: run this shard's snippets, render nothing
	quiet          bool   // -q: no warnings about stored results
	trace          bool   // serve --trace: log where each rebuild's time goes
}

func runBuild(args []string) error {
	fs := newFlagSet("build", "[flags]", "Build the site into public/: run every live code block (cached), render, and swap the\nnew output into place. A failed build leaves the previous public/ untouched.")
	var f buildFlags
	f.register(fs, false)
	rerunAll(args)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("build takes no arguments (got %q)%s; see benchpress build -h", fs.Args(), rerunHint(f.rerun, fs.Args()))
	}
	var err error
	if f.root, err = siteRoot(f.root, os.Stderr); err != nil {
		return err
	}
	batchGC()
	start := time.Now()
	con := newConsole(os.Stderr, f.root, f.quiet)
	if f.shard != "" {
		return con.failed(untilSignal(os.Stderr, signalGrace, func(ctx context.Context) error {
			return buildShard(ctx, f, con)
		}))
	}
	var st *generator.Stats
	err = untilSignal(os.Stderr, signalGrace, func(ctx context.Context) (err error) {
		st, err = buildSite(ctx, f, false, con)
		return err
	})
	if err != nil {
		return con.failed(err)
	}
	out := f.out
	if out == "" {
		out = filepath.Join(f.root, "public")
	}
	fmt.Fprintf(os.Stderr, "built %s, %s, %s into %s in %v\n", plural(st.Posts, "post"), plural(st.Pages, "page"), plural(st.Files, "file"), out, time.Since(start).Round(time.Millisecond))
	return nil
}

// signalGrace is how long a build may take to stop after SIGINT or SIGTERM
// before the process exits regardless (a single huge post can keep the
// markdown parser busy for seconds, and it cannot be interrupted).
const signalGrace = 3 * time.Second

// untilSignal runs work with a context that SIGINT or SIGTERM cancels. The
// build then stops early and leaves the previous output as it was; the
// command exits 128+signal (130 for Ctrl+C, 143 for SIGTERM). A signal
// that comes once the build has begun to put its new output in place does
// not stop it: the build finishes, says so, and exits 0 (the context's
// output.Gate settles which came first, so the user is never told the
// previous output was kept when it was replaced). If the work has not
// returned grace after the signal, or a second signal comes, the process
// exits at once: the output is only ever replaced by one atomic rename (or
// on Windows a rename dance the next build recovers from), so exiting at
// any moment leaves it whole, and the next build removes the staging
// directory left behind (the build lock says it is stale).
func untilSignal(stderr io.Writer, grace time.Duration, work func(context.Context) error) error {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	return untilSignalOn(sigs, stderr, grace, work)
}

// untilSignalOn is untilSignal with the signals arriving on sigs.
func untilSignalOn(sigs <-chan os.Signal, stderr io.Writer, grace time.Duration, work func(context.Context) error) error {
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	gate := new(output.Gate)
	ctx = output.WithGate(ctx, gate)
	done := make(chan struct{})
	defer close(done)
	go func() {
		var sig os.Signal
		select {
		case sig = <-sigs:
		case <-done:
			return
		}
		stopped := gate.Stop()
		if stopped {
			cancel(signalled{sig})
			fmt.Fprintf(stderr, "benchpress: %v: stopping the build; the previous output is left as it was\n", sig)
		} else {
			fmt.Fprintf(stderr, "benchpress: %v: the new output is already being put in place; finishing the build\n", sig)
		}
		select {
		case <-done:
			return
		case <-sigs:
		case <-time.After(grace):
		}
		if stopped {
			fmt.Fprintf(stderr, "benchpress: %v: exiting without waiting for the build to stop\n", sig)
		} else {
			fmt.Fprintf(stderr, "benchpress: %v: exiting without waiting for the build to finish; the output is whole, the previous or the new\n", sig)
		}
		os.Exit(signalled{sig}.code())
	}()
	err := work(ctx)
	var s signalled
	if cause := context.Cause(ctx); errors.As(cause, &s) {
		return exitCode(s.code())
	}
	return err
}

// signalled is the cause of a build cancelled by a signal.
type signalled struct{ sig os.Signal }

func (s signalled) Error() string { return "interrupted by " + s.sig.String() }

func (s signalled) code() int {
	if n, ok := s.sig.(syscall.Signal); ok {
		return 128 + int(n)
	}
	return 1
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
	fs.StringVar(&f.root, "source", "", sourceFlagHelp)
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
		fs.StringVar(&f.shard, "shard", "", "run only shard I of N (e.g. 2/4) of the snippets that need running, store their results and render nothing;\nmerge the shards' stores with merge-results, then build --frozen")
	}
	fs.StringVar(&f.sandbox, "sandbox", "", "override playground.sandbox from config.yaml (linux, none or remote)")
	fs.BoolVar(&f.quiet, "q", false, "quiet: leave out warnings about results taken from the results store (the build that ran them warned)")
}

// rerunAll rewrites a bare -rerun, which means all, into -rerun=all.
func rerunAll(args []string) {
	for i, a := range args {
		if a == "-rerun" || a == "--rerun" {
			args[i] = "--rerun=all"
		}
	}
}

// rerunHint explains arguments left over after a bare --rerun (which means
// all): a target written after a space, --rerun content/posts/x.md, is
// the likely mistake, since the flag takes its target only after "=".
func rerunHint(rerun string, args []string) string {
	if rerun != "all" || !strings.Contains(args[0], ".md") {
		return ""
	}
	return ": to rerun one post or block, join it to the flag: --rerun=" + args[0]
}

// siteSetup is a build's generator options with the playground wired in.
type siteSetup struct {
	cfg    *config.Config
	opts   generator.Options
	runner *playground.Runner
	frozen bool
	con    *console
}

// newSiteSetup reads config.yaml and wires the snippet runner and progress
// into the generator options: build and serve both start here.
func newSiteSetup(f buildFlags, dev bool, con *console) (*siteSetup, error) {
	log := con.w
	switch f.sandbox {
	case "", "linux", "none", "remote":
	default:
		return nil, usagef("--sandbox %q: want linux, none or remote", f.sandbox)
	}
	cfg, err := config.Load(f.root)
	if err != nil {
		return nil, err
	}
	frozen := f.frozen || (cfg.Playground.FrozenInCI && os.Getenv("CI") == "true")
	// Each snippet would fail with "no stored result" though its result
	// is stored: the two flags ask for opposite things.
	if f.rerun != "" && frozen {
		if f.frozen {
			return nil, usagef("--rerun runs snippets again and --frozen runs none: use one or the other")
		}
		return nil, fmt.Errorf("--rerun runs snippets again, but %s sets playground.frozenInCI and CI=true makes this build --frozen: drop --rerun, or frozenInCI", config.File)
	}
	var shard playground.Shard
	if f.shard != "" {
		if shard, err = playground.ParseShard(f.shard); err != nil {
			return nil, err
		}
		if frozen && !f.frozen {
			return nil, fmt.Errorf("--shard runs snippets, but %s sets playground.frozenInCI and CI=true makes this build --frozen: drop frozenInCI to shard the runs in CI", config.File)
		}
	}
	runner, err := newSnippetRunner(f.root, cfg, runnerOptions{rerun: f.rerun, frozen: frozen, sandbox: f.sandbox, shard: shard, log: log})
	if err != nil {
		return nil, err
	}
	opts := generator.Options{
		Root: f.root, Config: cfg, Out: f.out, Drafts: f.drafts, Future: f.future,
		Theme: defaultTheme(), Runner: runner, Dev: dev, Log: log, Explain: f.explain,
		Progress: con.progress, Warn: con.warn, Rerun: f.rerun,
	}
	if !shard.IsZero() {
		// The rounds of extra runs of the bench blocks this shard ran are
		// its own to run (liverun.Options.Local): the same runner,
		// unsharded. Its log would only repeat the warnings runner's
		// construction has printed (sandbox none, plain http).
		local, err := newSnippetRunner(f.root, cfg, runnerOptions{rerun: f.rerun, sandbox: f.sandbox, log: io.Discard})
		if err != nil {
			return nil, err
		}
		opts.LocalRunner = local
	}
	return &siteSetup{cfg: cfg, opts: opts, runner: runner, frozen: frozen, con: con}, nil
}

// buildSite runs one build with the playground wired in, printing snippet
// progress (see console) and summary lines.
func buildSite(ctx context.Context, f buildFlags, dev bool, con *console) (*generator.Stats, error) {
	log := con.w
	setup, err := newSiteSetup(f, dev, con)
	if err != nil {
		return nil, err
	}
	runner, frozen := setup.runner, setup.frozen
	if f.prune {
		if err := checkPrune(f, setup.cfg, time.Now()); err != nil {
			return nil, err
		}
	}
	if !dev && os.Getenv("CI") == "true" {
		warnLocalBaseURL(setup.cfg, con)
	}
	st, err := generator.Build(ctx, setup.opts)
	con.done()
	if st != nil && st.Snippets > 0 {
		fmt.Fprintf(log, "%s: %d run, %d cached%s\n", plural(st.Snippets, "snippet"), st.SnippetsRun, st.SnippetsCached, con.summary())
	}
	if err != nil {
		return nil, err
	}
	if frozen {
		if oldest := runner.Oldest(); !oldest.IsZero() {
			fmt.Fprintf(log, "frozen build: oldest stored result is from %s (%s)\n", oldest.Format("2006-01-02"), ago(time.Since(oldest)))
		}
	}
	if f.prune {
		n, err := runner.Prune()
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(log, "pruned %s no snippet uses\n", plural(n, "stored result"))
	}
	return st, nil
}

// buildShard runs one shard's part of the snippets that need running
// (--shard I/N) and stores their results; it renders nothing, so it needs
// neither the output directory nor its lock. The final render is a
// --frozen build from the shards' merged stores.
func buildShard(ctx context.Context, f buildFlags, con *console) error {
	log := con.w
	if _, err := playground.ParseShard(f.shard); err != nil {
		return usageError{err}
	}
	switch {
	case f.frozen:
		return usagef("--shard %s: --frozen runs no snippet: use it for the final render, after merging the shards' stores", f.shard)
	case f.prune:
		return usagef("--shard %s: --prune deletes what other shards need: prune after merging", f.shard)
	case f.out != "":
		return usagef("--shard %s: --out: a shard build writes no output", f.shard)
	}
	setup, err := newSiteSetup(f, false, con)
	if err != nil {
		return err
	}
	shard := setup.runner.Shard()
	start := time.Now()
	site, err := generator.Load(ctx, setup.opts)
	con.done()
	if site != nil && site.Stats.Snippets > 0 {
		st := site.Stats
		fmt.Fprintf(log, "shard %s: %s: %d run here, %d cached, %d left to other shards%s\n", shard, plural(st.Snippets, "snippet"), st.SnippetsRun, st.SnippetsCached, st.SnippetsElsewhere, con.summary())
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(log, "shard %s: results stored in %s in %v; nothing rendered (merge the shards' stores with `benchpress merge-results`, then render with `benchpress build --frozen`)\n",
		shard, filepath.Join(f.root, setup.cfg.Playground.Results), time.Since(start).Round(time.Millisecond))
	return nil
}

// ago says how long ago something was, in the unit a reader counts it in:
// "344h0m0s ago" was what Go's Duration printed for two weeks.
func ago(d time.Duration) string {
	switch {
	case d < time.Hour:
		return "less than an hour ago"
	case d < 48*time.Hour:
		return plural(int(d/time.Hour), "hour") + " ago"
	}
	return plural(int(d/(24*time.Hour)), "day") + " ago"
}

// warnLocalBaseURL warns a CI build whose baseURL is this machine's: CI
// publishes what it builds, and the feeds, the sitemap and the social
// cards would send readers to their own localhost.
func warnLocalBaseURL(cfg *config.Config, con *console) {
	if !cfg.LocalBaseURL() {
		return
	}
	con.warn(diag.Warning{File: config.File, Line: cfg.Line("baseURL"),
		Msg: fmt.Sprintf("baseURL %s is this machine's address, but this is a CI build (CI=true): its feeds, sitemap and social cards would send readers to their own machine; set baseURL to the published site's URL", cfg.BaseURL)})
}
