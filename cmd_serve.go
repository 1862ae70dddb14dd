package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/benchpress/benchpress/devserver"
	"github.com/benchpress/benchpress/generator"
	"github.com/benchpress/benchpress/generator/config"
	"github.com/benchpress/benchpress/internal/phasetrace"
)

// serveSources are the folders of a site serve watches; config.yaml is
// watched too.
var serveSources = []string{"content", "themes", "layouts", "static"}

func runServe(args []string) error {
	fs := newFlagSet("serve", "[flags]", "Build the site and serve it with live reload, rebuilding on every change to content/, themes/,\nlayouts/, static/ and config.yaml. Drafts and future posts are shown (--drafts=false --future=false\nto hide them). The site is served from memory: public/ is not touched.")
	var f buildFlags
	f.register(fs, true)
	fs.BoolVar(&f.trace, "trace", false, "log where each rebuild's time goes: debounce, load, parse, go build, sandbox, run, render, publish")
	addr := fs.String("addr", "127.0.0.1:1313", "address to listen on; a host other than loopback shows your drafts to the network")
	rerunAll(args)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("serve takes no arguments (got %q); see benchpress serve -h", fs.Args())
	}
	var err error
	if f.root, err = siteRoot(f.root, os.Stderr); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serve(ctx, f, *addr, os.Stderr, nil)
}

// serve builds, serves and rebuilds until ctx is cancelled, then shuts the
// server down gracefully. ready, if set, is called with the site's URL once
// the server accepts connections.
func serve(ctx context.Context, f buildFlags, addr string, log io.Writer, ready func(siteURL string)) error {
	con := newConsole(log, f.root, f.quiet)
	setup, err := newSiteSetup(f, true, con)
	if err != nil {
		return err
	}
	base := basePath(setup.cfg)
	s := &serveSession{ctx: ctx, f: f, log: log, con: con, setup: setup, base: base,
		dev: devserver.New(base), builder: generator.NewBuilder(setup.opts)}
	// The address is taken before the first build, which may take
	// minutes, so a busy one is said at once; connections wait in the
	// listen queue until the site is built.
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("%w: choose another address with --addr HOST:PORT", err)
	}
	s.rebuild(nil, time.Time{})

	siteURL := "http://" + ln.Addr().String() + base
	srv := &http.Server{Handler: s.dev, ReadHeaderTimeout: 10 * time.Second}
	srv.RegisterOnShutdown(s.dev.Close)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	watcher, err := devserver.Watch(f.root, serveSources, []string{config.File})
	if err != nil {
		srv.Close()
		return fmt.Errorf("watching %s: %w", f.root, err)
	}
	defer watcher.Close()
	if host, _, _ := net.SplitHostPort(ln.Addr().String()); !isLoopback(host) {
		fmt.Fprintf(log, "warning: serving on %s, reachable from other machines (drafts included)\n", host)
	}
	fmt.Fprintf(log, "serving %s (drafts and future posts %s); watching %s and %s; Ctrl+C stops\n",
		siteURL, shown(f), strings.Join(serveSources, "/, ")+"/", config.File)
	if ready != nil {
		ready(siteURL)
	}
	return s.watch(srv, served, watcher)
}

// serveSession is one run of serve: the site as last set up from
// config.yaml, its incremental builder and the server publishing its
// builds.
type serveSession struct {
	ctx     context.Context
	f       buildFlags
	log     io.Writer
	con     *console
	setup   *siteSetup
	base    string // the baseURL's path, fixed for the session
	dev     *devserver.Server
	builder *generator.Builder
}

// watch rebuilds on each batch of changes until ctx is cancelled (then
// shuts srv down), the server stops or the watcher does.
func (s *serveSession) watch(srv *http.Server, served <-chan error, watcher *devserver.Watcher) error {
	for {
		select {
		case <-s.ctx.Done():
			fmt.Fprintln(s.log, "shutting down")
			shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			err := srv.Shutdown(shutdownCtx)
			if err != nil {
				srv.Close()
			}
			return err
		case err := <-served:
			if errors.Is(err, http.ErrServerClosed) {
				return nil
			}
			return err
		case changed, ok := <-watcher.Changes():
			if !ok {
				return errors.New("file watcher stopped")
			}
			s.rebuild(changed, watcher.BatchStart())
		case err := <-watcher.Errors():
			fmt.Fprintf(s.log, "%s watcher: %v\n", stamp(), err)
		}
	}
}

// rebuild rebuilds after the changes of one batch whose first event was
// at saved (zero for the first build) and publishes the result.
func (s *serveSession) rebuild(changed []string, saved time.Time) {
	start := time.Now()
	bctx := s.ctx
	var tr *phasetrace.Trace
	if s.f.trace {
		if saved.IsZero() || saved.After(start) {
			saved = start
		}
		tr = phasetrace.New(saved)
		tr.Add("debounce", saved, start)
		bctx = phasetrace.With(s.ctx, tr)
	}
	if slices.Contains(changed, config.File) && !s.reconfigure() {
		return
	}
	s.builder.Invalidate(changed...)
	res, err := s.builder.Build(bctx)
	s.con.done()
	if s.ctx.Err() != nil {
		return
	}
	if res != nil && res.Stats.SnippetsRun > 0 {
		fmt.Fprintf(s.log, "%s run\n", plural(res.Stats.SnippetsRun, "snippet"))
	}
	if err != nil {
		fmt.Fprintf(s.log, "%s rebuild failed (still serving the last good build):\n%v\n", stamp(), err)
		s.dev.Fail(err)
		return
	}
	endPublish := phasetrace.Begin(bctx, "publish")
	s.dev.Publish(res.Files, res.Changed)
	endPublish()
	what := "built"
	if changed != nil {
		what = strings.Join(trimList(changed, 3), ", ") + ":"
	}
	fmt.Fprintf(s.log, "%s %s %s, %s, %s changed in %v\n", stamp(), what,
		plural(res.Stats.Posts, "post"), plural(res.Stats.Pages, "page"), plural(len(res.Changed), "file"), time.Since(start).Round(100*time.Microsecond))
	if tr != nil {
		fmt.Fprintf(s.log, "%s trace: %v; save to reload sent %v\n", stamp(), tr, time.Since(saved).Round(100*time.Microsecond))
	}
}

// reconfigure sets the site up again from a changed config.yaml: the
// runner and every option come from it, so the builder starts over. It
// reports false, with the error published, when the new config fails.
func (s *serveSession) reconfigure() bool {
	next, err := newSiteSetup(s.f, true, s.con)
	if err != nil {
		fmt.Fprintf(s.log, "%s rebuild failed:\n%v\n", stamp(), err)
		s.dev.Fail(err)
		return false
	}
	if b := basePath(next.cfg); b != s.base {
		fmt.Fprintf(s.log, "%s baseURL's path changed to %s: restart serve to serve the site there\n", stamp(), b)
	}
	s.setup = next
	s.builder.Reset(s.setup.opts)
	return true
}

// basePath is the path of the site's baseURL, where serve mounts it.
func basePath(cfg *config.Config) string {
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || u.Path == "" {
		return "/"
	}
	return u.Path
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func shown(f buildFlags) string {
	switch {
	case f.drafts && f.future:
		return "shown"
	case f.drafts:
		return "partly shown: drafts only"
	case f.future:
		return "partly shown: future posts only"
	}
	return "hidden"
}

func stamp() string { return time.Now().Format("15:04:05") }

func trimList(s []string, n int) []string {
	if len(s) <= n {
		return s
	}
	return append(slices.Clone(s[:n]), fmt.Sprintf("and %d more", len(s)-n))
}
