// Package server is the HTTP API behind a post's Edit and Run buttons: it
// compiles and runs a reader's edited snippet in the same sandbox, with the
// same limits, as a site build, on the site owner's own machine.
//
// # API
//
// The compile endpoint takes and returns the Go playground's JSON shape, so
// tools written for that service work against this one:
//
//	POST /compile
//	  {"Body": "package main\n...", "Version": 2}       (or form-encoded body=...&version=2)
//	-> 200
//	  {"Errors": "", "Events": [{"Message": "hi\n", "Kind": "stdout", "Delay": 0}],
//	   "Status": 0, "IsTest": false, "TestsFailed": 0, "Outcome": "ok", "Duration": 41230000}
//
// Body is one Go file, run as prog.go, or a txtar archive of several files
// (a "-- name --" line starts each). Events are the program's writes in
// order, Delay being the nanoseconds since the previous one. Errors holds the
// compiler's messages ("prog.go:6:2: undefined: y") or why the run was
// stopped (a time, memory or output limit); Status is the exit code, -1 when
// the program did not end by itself (compile error, timeout, output limit).
//
// Extensions, which other clients ignore: request fields Args (command-line
// arguments) and Stdin; response fields Outcome (ok, exit, compile-error,
// timeout, memory-limit, output-limit, killed), Duration (ns), Truncated,
// Cached (an identical program's result, served from memory), and for
// benchmarks Env (Go version, OS, architecture, CPU model and count) and
// Alongside (how many other programs were running when it started: the
// figures come from a shared server).
//
// Bench mode reruns a go bench block: "Mode": "bench" in the body (or
// /compile?mode=bench), with optional Count, Benchtime and CPU, each capped
// (Config.Bench). Body then holds _test.go files (a lone file is
// prog_test.go, and an empty package file is added for it); the test binary
// runs its benchmarks with -test.benchmem and the benchfmt text comes back
// as stdout events.
//
//	GET /health -> 200 {"Status": "ok", "Running": 1, "Waiting": 0, ...}, 503 while shutting down
//
// # Limits
//
// In the order a request meets them: CORS (a request whose Origin is not
// one of Config.Origins is refused with 403 before anything runs; requests
// without an Origin, from curl or a tool, are served), a token bucket per
// client address (429 with Retry-After), the body size cap (413), a bound
// on one client's runs in progress (429), a global bound on concurrent runs
// with a short queue (429 with Retry-After when the queue is full), and
// then the sandbox's own time, memory and output limits.
// A run whose client goes away is killed. Serve shuts down gracefully: it
// stops accepting, turns queued requests away with 503 and lets the runs in
// progress finish and answer. Every request is logged as one JSON line.
//
// # Builder API
//
// With Config.Builder set, the server also runs site builds' programs for
// machines without the sandbox (playground.sandbox: remote): GET
// /builder/v1/info and POST /builder/v1/run, for requests carrying the
// builder's token, with limits of their own (builder.go; the wire format
// is in playground/remote.go). Without it, /builder/ answers 404 saying
// how to turn it on.
//
// The package knows nothing of sites, markdown or HTML.
package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/benchpress/benchpress/internal/benchstats"
	"github.com/benchpress/benchpress/playground"
)

// Runner runs one program; *playground.Runner is one. Tests fake it.
type Runner interface {
	Run(ctx context.Context, p playground.Program) (playground.Result, error)
}

// Config configures a Server. Zero values take the defaults noted.
type Config struct {
	// Runner runs the programs (required). It should have no results store:
	// readers' programs are not worth keeping on disk.
	Runner Runner
	// Limits are the Runner's limits, for the messages that name them.
	// Zero: playground.DefaultLimits.
	Limits playground.Limits
	// Timeout is the wall-clock limit of a run; default Limits.Timeout.
	Timeout time.Duration
	// Origins may call the API from a browser ("https://blog.example").
	// Empty: no cross-origin browser request is served.
	Origins []string
	// Rate is the sustained requests per second a client may make to
	// /compile and Burst how many it may make at once; Rate 0 turns the
	// limit off. Default burst: 5.
	Rate  float64
	Burst int
	// BehindProxy takes the client address from the last X-Forwarded-For
	// entry, which a reverse proxy in front of the server appends. Without
	// a proxy it would let clients pick their own rate-limit bucket.
	BehindProxy bool
	// Concurrency bounds the programs running at once (default 2) and
	// Queue the requests waiting for a turn (default 2*Concurrency); the
	// excess gets 429.
	Concurrency int
	Queue       int
	// PerClient bounds one client's runs in progress, running or waiting
	// (default 2), so a burst of endless loops from one address cannot hold
	// every slot; -1: no bound.
	PerClient int
	// MaxBody caps a request body (default 64 KiB).
	MaxBody int64
	// CacheSize is how many results of identical programs are kept in
	// memory (default 256; -1: none). Timeouts and other kills, and
	// benchmarks, are never kept.
	CacheSize int
	// Bench caps bench mode.
	Bench BenchCaps
	// Log receives one JSON access-log line per request; nil: none.
	Log *slog.Logger
	// Builder, if set, offers the builder API (builder.go) under
	// /builder/v1/; without it those paths answer 404 saying why.
	Builder *Builder
}

// BenchCaps bound what a benchmark rerun may ask for.
type BenchCaps struct {
	Count      int           // cap of Count, and its default: 6 (benchstats.MinRuns)
	Benchtime  time.Duration // cap of a time Benchtime, and its default: 100ms
	Iterations int           // cap of an "Nx" Benchtime: 1e7
	CPUs       int           // most -test.cpu values: 4, each at most 64
	Timeout    time.Duration // wall-clock limit of a benchmark run: 60s
	Disabled   bool          // refuse bench mode
	// Noise is the widest time interval, a fraction of the median, the
	// report shows as a ± percentage before it calls the time noisy: the
	// site's bench.noise, benchstats.DefaultNoise by default.
	Noise float64
}

// The defaults of Config's and BenchCaps' zero fields; the playground
// serve command's flags default to them too.
const (
	DefaultBurst        = 5
	DefaultPerClient    = 2
	DefaultCacheSize    = 256
	DefaultMaxBody      = 64 << 10
	DefaultBenchTimeout = 60 * time.Second
)

func (c *Config) setDefaults() {
	c.Limits = c.Limits.WithDefaults()
	if c.Timeout <= 0 {
		c.Timeout = c.Limits.Timeout
	}
	if c.Burst <= 0 {
		c.Burst = DefaultBurst
	}
	if c.Concurrency <= 0 {
		c.Concurrency = 2
	}
	if c.Queue < 0 {
		c.Queue = 0
	} else if c.Queue == 0 {
		c.Queue = 2 * c.Concurrency
	}
	if c.PerClient == 0 {
		c.PerClient = DefaultPerClient
	}
	if c.MaxBody <= 0 {
		c.MaxBody = DefaultMaxBody
	}
	if c.CacheSize == 0 {
		c.CacheSize = DefaultCacheSize
	}
	b := &c.Bench
	if b.Count <= 0 {
		b.Count = benchstats.MinRuns // the fewest runs with a confidence interval
	}
	if !(b.Noise > 0) {
		b.Noise = benchstats.DefaultNoise
	}
	if b.Benchtime <= 0 {
		b.Benchtime = 100 * time.Millisecond
	}
	if b.Iterations <= 0 {
		b.Iterations = 1e7
	}
	if b.CPUs <= 0 {
		b.CPUs = 4
	}
	if b.Timeout <= 0 {
		b.Timeout = DefaultBenchTimeout
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
}

// Server answers the API. It is an http.Handler; Serve runs it with
// graceful shutdown.
type Server struct {
	cfg     Config
	origins map[string]bool
	limiter *rateLimiter
	gate    *gate
	mine    *perClient
	cache   *resultCache
	mux     *http.ServeMux
	builder *builder
}

// New returns a Server for cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Runner == nil {
		return nil, errors.New("server: no Runner")
	}
	cfg.setDefaults()
	s := &Server{
		cfg:     cfg,
		origins: map[string]bool{},
		gate:    newGate(cfg.Concurrency, cfg.Queue),
		mine:    &perClient{max: cfg.PerClient, runs: map[string]int{}},
		cache:   newResultCache(cfg.CacheSize),
		mux:     http.NewServeMux(),
	}
	for _, o := range cfg.Origins {
		o = strings.TrimRight(o, "/")
		if o == "" {
			continue
		}
		if o == "*" || !strings.Contains(o, "://") || strings.Count(o, "/") > 2 {
			return nil, errors.New("server: origin " + o + " must be scheme://host[:port], e.g. https://blog.example")
		}
		s.origins[o] = true
	}
	if cfg.Rate > 0 {
		s.limiter = newRateLimiter(cfg.Rate, cfg.Burst)
	}
	s.mux.HandleFunc("/compile", s.compile)
	s.mux.HandleFunc("/health", s.health)
	s.mux.HandleFunc("/{$}", s.index)
	if cfg.Builder != nil {
		b, err := newBuilder(*cfg.Builder)
		if err != nil {
			return nil, err
		}
		s.builder = b
		s.mux.HandleFunc("/builder/v1/info", b.info)
		s.mux.HandleFunc("/builder/v1/run", b.run)
	} else {
		s.mux.HandleFunc("/builder/", builderAbsent)
	}
	return s, nil
}

// ServeHTTP logs every request and hands it to its endpoint.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	lw := &logWriter{ResponseWriter: w, status: http.StatusOK}
	s.mux.ServeHTTP(lw, r)
	attrs := []slog.Attr{
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int("status", lw.status),
		slog.Int64("bytes", lw.bytes),
		slog.String("client", s.client(r)),
		slog.Float64("ms", msSince(start)),
	}
	if o := r.Header.Get("Origin"); o != "" {
		attrs = append(attrs, slog.String("origin", o))
	}
	attrs = append(attrs, lw.attrs...)
	level := slog.LevelInfo
	if lw.status >= 500 && lw.status != http.StatusServiceUnavailable {
		level = slog.LevelError
	}
	s.cfg.Log.LogAttrs(r.Context(), level, "request", attrs...)
}

func msSince(t time.Time) float64 {
	return float64(time.Since(t).Microseconds()) / 1000
}

// logWriter records what the access log reports.
type logWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
	attrs  []slog.Attr // endpoint-specific: outcome, run time, why refused
}

func (w *logWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *logWriter) Write(b []byte) (int, error) {
	w.wrote = true
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *logWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// note adds attributes to the request's access-log line.
func note(w http.ResponseWriter, attrs ...slog.Attr) {
	if lw, ok := w.(*logWriter); ok {
		lw.attrs = append(lw.attrs, attrs...)
	}
}

// client names the rate-limit bucket of a request: its address, or for
// IPv6 its /64, which one client usually holds whole.
func (s *Server) client(r *http.Request) string {
	addr := r.RemoteAddr
	if host, _, err := net.SplitHostPort(addr); err == nil {
		addr = host
	}
	if s.cfg.BehindProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			last := xff[len(xff)-1]
			if i := strings.LastIndexByte(last, ','); i >= 0 {
				last = last[i+1:]
			}
			if last = strings.TrimSpace(last); last != "" {
				addr = last
			}
		}
	}
	ip := net.ParseIP(addr)
	if ip == nil {
		return addr
	}
	if ip.To4() == nil {
		return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
	}
	return ip.String()
}

// Serve answers on ln until ctx is done, then shuts down gracefully: it
// stops accepting connections, turns queued requests away with 503, waits
// for the runs in progress to finish and answer, and returns nil. It
// returns early only if the listener fails.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	longest := max(s.cfg.Timeout, s.cfg.Bench.Timeout)
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		// A queued run waits for others, then runs itself.
		WriteTimeout:   2*longest + 30*time.Second,
		IdleTimeout:    60 * time.Second,
		MaxHeaderBytes: 16 << 10,
		ErrorLog:       slog.NewLogLogger(s.cfg.Log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.cfg.Log.Info("shutting down", slog.Int("running", s.gate.running()), slog.Int("waiting", s.gate.waiting()))
	s.gate.drain()
	if s.builder != nil {
		s.builder.drain()
	}
	sctx, cancel := context.WithTimeout(context.Background(), longest+10*time.Second)
	defer cancel()
	err := hs.Shutdown(sctx)
	if err != nil {
		// Past every run's own limit: kill what is left.
		hs.Close()
	}
	<-errc
	s.cfg.Log.Info("stopped")
	return err
}
