package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/benchpress/benchpress/generator/config"
	"github.com/benchpress/benchpress/internal/benchstats"
	"github.com/benchpress/benchpress/playground"
	"github.com/benchpress/benchpress/playground/server"
)

func runPlayground(args []string) error {
	if len(args) == 0 || args[0] != "serve" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			fmt.Fprintln(os.Stderr, "usage: benchpress playground serve [flags]\n\nRun 'benchpress playground serve -h' for its flags.")
			return nil
		}
		return usagef("usage: benchpress playground serve [flags] (see benchpress playground serve -h)")
	}
	return playgroundServe(args[1:])
}

// playgroundServe is `benchpress playground serve`: the thin verb over
// playground/server.
func playgroundServe(args []string) error {
	fs := newFlagSet("playground serve", "[flags]",
		"Serve the API behind Edit and Run (set playground.url in the site's config.yaml to its address):\n"+
			"POST /compile runs a reader's program in the same Linux sandbox, with the same limits, as a build\n"+
			"(the Go playground's JSON shape), GET /health reports load. Logs are JSON lines on stderr.\n"+
			"SIGINT or SIGTERM stops accepting and lets runs in progress finish.\n\n"+
			"With "+playground.TokenEnv+" set, it also runs builds' programs for machines without the sandbox\n"+
			"(playground.sandbox: remote): the builder API under /builder/v1/, for requests carrying that token.")
	addr := fs.String("addr", "127.0.0.1:8090", "address to listen on (behind a reverse proxy, keep it on loopback and add --behind-proxy)")
	root := fs.String("source", ".", "site root: its config.yaml, if any, gives the default --origin (baseURL's) and the limits and modules (playground section)")
	var origins stringList
	fs.Var(&origins, "origin", "site origin allowed to call the API from a browser, e.g. https://blog.example (repeatable or comma-separated; default: config.yaml's baseURL)")
	rate := fs.String("rate", "20/m", "runs a client address may start, sustained: N/s, N/m, N/h, or off")
	burst := fs.Int("burst", server.DefaultBurst, "runs a client address may start at once")
	concurrency := fs.Int("concurrency", runtime.NumCPU(), "programs running at once")
	queue := fs.Int("queue", 0, "requests waiting for a turn beyond --concurrency, then 429 (default 2 x concurrency; -1: none)")
	perClient := fs.Int("per-client", server.DefaultPerClient, "runs one client address may have in progress, running or waiting (-1: no bound)")
	maxBody := fs.Int64("max-body", server.DefaultMaxBody, "largest request body in bytes")
	timeout := fs.Duration("timeout", 0, "wall-clock limit of a run (default config.yaml's playground.timeout, else 10s)")
	benchTimeout := fs.Duration("bench-timeout", server.DefaultBenchTimeout, "wall-clock limit of a benchmark run")
	benchCount := fs.Int("bench-count", benchstats.MinRuns, fmt.Sprintf("most times a benchmark rerun may run each benchmark (and the default; %d is the fewest with a confidence interval)", benchstats.MinRuns))
	noBench := fs.Bool("no-bench", false, "refuse benchmark reruns")
	cache := fs.Int("cache", server.DefaultCacheSize, "results of identical programs kept in memory (0: none)")
	builderBody := fs.Int64("builder-max-body", 32<<20, "largest builder API request in bytes (with "+playground.TokenEnv+" set)")
	builderQueue := fs.Int("builder-queue", 16, "builder API requests waiting for their turn (one runs at a time), then 429")
	builderTime := fs.Duration("builder-max-time", server.DefaultBuilderMaxTime, "longest a builder API request may keep the runner; its programs still running then fail")
	behindProxy := fs.Bool("behind-proxy", false, "take the client address from the last X-Forwarded-For entry (only behind a proxy that sets it)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("playground serve takes no arguments (got %q)", fs.Args())
	}
	perSec, err := server.ParseRate(*rate)
	if err != nil {
		return err
	}
	// The server would quietly put its defaults in place of these, while
	// the start-up log showed the value given.
	for _, c := range []struct {
		bad  bool
		flag string
		want string
	}{
		{*burst < 1, "burst", "at least 1"},
		{*concurrency < 1, "concurrency", "at least 1"},
		{*queue < -1, "queue", "-1 (none), 0 (2 x concurrency) or more"},
		{*perClient == 0 || *perClient < -1, "per-client", "-1 (no bound) or at least 1"},
		{*maxBody < 1, "max-body", "at least 1 (bytes)"},
		{*timeout < 0, "timeout", "positive, or 0 for config.yaml's playground.timeout"},
		{*benchTimeout <= 0, "bench-timeout", "positive, e.g. 60s"},
		{*benchCount < 1, "bench-count", "at least 1 (--no-bench refuses reruns)"},
		{*cache < 0, "cache", "0 (none) or more"},
		{*builderBody < 1, "builder-max-body", "at least 1 (bytes)"},
		{*builderQueue < 0, "builder-queue", "0 or more"},
		{*builderTime <= 0, "builder-max-time", "positive, e.g. 2h"},
	} {
		if c.bad {
			return usagef("--%s %s: must be %s", c.flag, fs.Lookup(c.flag).Value, c.want)
		}
	}
	// A --source that is no directory is a typo: the server would run with
	// the default limits and origins instead of the site's.
	if st, err := os.Stat(*root); err != nil || !st.IsDir() {
		return usagef("--source %s: no such directory: name the site's root (the directory holding config.yaml)", *root)
	}

	// The site's playground section, when there is a site: readers' runs get
	// the limits and modules the author's runs had.
	pcfg := playground.Config{Sandbox: "linux", Parallelism: *concurrency}
	var siteOrigins []string
	var noise float64
	if _, err := os.Stat(filepath.Join(*root, config.File)); err == nil {
		cfg, err := config.Load(*root)
		if err != nil {
			return err
		}
		site := cfg.Playground.Runner(*root)
		pcfg.Limits, pcfg.Modules = site.Limits, site.Modules
		siteOrigins = originsOf(cfg.BaseURL)
		noise = float64(cfg.Bench.Noise)
	}
	if *timeout > 0 {
		pcfg.Limits.Timeout = *timeout
	}
	if len(origins) == 0 {
		origins = siteOrigins
	}
	if *queue == 0 {
		*queue = 2 * *concurrency
	}
	if *cache == 0 {
		*cache = -1
	}
	// Never a results store: readers' programs are not the site's.
	runner, err := playground.New(pcfg)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	var builder *server.Builder
	if tok := os.Getenv(playground.TokenEnv); tok != "" {
		builder = &server.Builder{Token: tok, Version: benchpressVersion(), Parallelism: *concurrency,
			MaxBody: *builderBody, Queue: *builderQueue, MaxTime: *builderTime, Log: os.Stderr}
	}
	srv, err := server.New(server.Config{
		Runner:      runner,
		Limits:      pcfg.Limits,
		Origins:     origins,
		Rate:        perSec,
		Burst:       *burst,
		BehindProxy: *behindProxy,
		Concurrency: *concurrency,
		Queue:       *queue,
		PerClient:   *perClient,
		MaxBody:     *maxBody,
		CacheSize:   *cache,
		Bench:       server.BenchCaps{Count: *benchCount, Timeout: *benchTimeout, Disabled: *noBench, Noise: noise},
		Log:         log,
		Builder:     builder,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("%w: choose another address with --addr HOST:PORT", err)
	}
	log.Info("listening", slog.String("url", "http://"+ln.Addr().String()+"/compile"),
		slog.Any("origins", []string(origins)), slog.String("rate", *rate), slog.Int("burst", *burst),
		slog.Int("concurrency", *concurrency), slog.Int("queue", *queue), slog.Bool("builder_api", builder != nil))
	if len(origins) == 0 {
		log.Warn("no --origin and no config.yaml baseURL: browsers on other sites may not call this server")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The first run after a start would compile the standard library the
	// way programs are built (when the Go build cache lacks it) and read
	// the sandbox binary from disk: do it now, not for the first reader.
	go func() {
		start := time.Now()
		if err := runner.Warm(ctx); err != nil {
			log.Warn("warm-up run failed", slog.String("error", err.Error()))
			return
		}
		log.Info("warmed up", slog.Float64("took_ms", float64(time.Since(start).Microseconds())/1000))
	}()
	return srv.Serve(ctx, ln)
}

// originsOf is the origin of a site's baseURL; a loopback one comes with
// its other spellings, since `benchpress serve` prints 127.0.0.1 while
// configs say localhost.
func originsOf(baseURL string) []string {
	u, err := url.Parse(baseURL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil
	}
	out := []string{u.Scheme + "://" + u.Host}
	host, port := u.Hostname(), u.Port()
	if host == "localhost" || host == "127.0.0.1" || host == "::1" {
		out = nil
		for _, h := range []string{"localhost", "127.0.0.1", "[::1]"} {
			o := u.Scheme + "://" + h
			if port != "" {
				o += ":" + port
			}
			out = append(out, o)
		}
	}
	return out
}

// stringList is a repeatable, comma-separated flag.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }

func (l *stringList) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}
