package server

// The HTTP API's handlers (POST /compile, GET /health, GET /) and the
// answers they write; request.go reads and checks what a client asks.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/benchpress/benchpress/internal/benchreport"
	"github.com/benchpress/benchpress/internal/benchstats"
	"github.com/benchpress/benchpress/playground"
)

// Response is the answer of POST /compile: the Go playground's fields,
// then benchpress's.
type Response struct {
	Errors      string
	Events      []Event
	Status      int
	IsTest      bool
	TestsFailed int

	Outcome   playground.Status `json:",omitempty"`
	Duration  time.Duration     `json:",omitempty"`
	Truncated bool              `json:",omitempty"`
	Cached    bool              `json:",omitempty"`
	Env       *playground.Env   `json:",omitempty"`
	Alongside int               `json:",omitempty"`
	// Bench is a benchmark run's report, summarised as the author's page
	// summarises it (internal/benchstats); nil when the output holds no
	// results, and then BenchError says why.
	Bench *benchstats.Report `json:",omitempty"`
	// BenchHTML is the same report as the HTML fragment the author's page
	// has, written by the build's own internal/benchreport, so the report
	// has one layout. playground.js rebuilds it from an allowlist of tags
	// and attributes rather than inserting it: a client should too.
	BenchHTML  string `json:",omitempty"`
	BenchError string `json:",omitempty"`
}

// Event is one write of the program.
type Event struct {
	Message string
	Kind    string        // "stdout" or "stderr"
	Delay   time.Duration // since the previous event
}

// response turns a result into the API's answer.
func (s *Server) response(p *playground.Program, res *playground.Result) Response {
	resp := Response{
		Events:    []Event{},
		Status:    res.ExitCode,
		Outcome:   res.Status,
		Duration:  res.Duration,
		Truncated: res.Truncated,
	}
	if res.Status == playground.StatusCompileError {
		var b strings.Builder
		for _, e := range res.Events {
			b.WriteString(e.Data)
		}
		if b.Len() == 0 {
			for _, d := range res.Diagnostics {
				fmt.Fprintf(&b, "%s:%d:%d: %s\n", d.File, d.Line, d.Col, d.Msg)
			}
		}
		resp.Errors = b.String()
		return resp
	}
	for _, e := range res.Events {
		resp.Events = append(resp.Events, Event{Message: e.Data, Kind: string(e.Stream), Delay: e.Delay})
	}
	lim := res.Limits
	if lim.Timeout == 0 { // a Runner that does not say
		lim = s.cfg.Limits.WithDefaults()
		lim.Timeout = p.Timeout
	}
	switch res.Status {
	case playground.StatusTimeout:
		resp.Errors = fmt.Sprintf("timeout: the program ran longer than %v and was stopped", lim.Timeout)
	case playground.StatusCPULimit:
		resp.Errors = fmt.Sprintf("CPU limit: the program used more than %v of CPU time and was stopped", lim.CPUTime())
	case playground.StatusMemoryLimit:
		resp.Errors = fmt.Sprintf("memory limit: the program needed more than %d MiB and was stopped", lim.Memory>>20)
	case playground.StatusOutputLimit:
		resp.Errors = fmt.Sprintf("output limit: the program printed more than %d KiB; its output was cut there", lim.Output>>10)
	case playground.StatusKilled:
		resp.Errors = fmt.Sprintf("killed by signal %d", res.ExitCode-128)
	}
	if p.Mode == playground.ModeBench {
		env := res.Env
		resp.Env = &env
	}
	return resp
}

// rerunCaption opens the caption of a rerun's report, which the page shows
// beside the author's "Benchmark results".
const rerunCaption = "Rerun results"

// benchReport summarises a benchmark run's output against the request's
// baseline, as data and as the page's HTML. A baseline the reader's
// (perhaps edited) program no longer has costs the ratios, said in a
// warning, not the report.
func (s *Server) benchReport(resp *Response, raw string, req *Request, p *playground.Program) {
	res, err := benchstats.Analyse(raw, req.Baseline)
	var lost error
	if err != nil && req.Baseline != "" {
		lost = err
		res, err = benchstats.Analyse(raw, "")
	}
	if err != nil {
		resp.BenchError = err.Error()
		return
	}
	res.Noise = s.cfg.Bench.Noise
	resp.Bench = res.Report()
	blk := benchreport.Block{ID: req.ReportID, Caption: rerunCaption, Benchtime: p.Bench.Benchtime}
	if blk.ID == "" {
		blk.ID = "rerun"
	}
	if e := resp.Env; e != nil {
		blk.Env = benchreport.Env{GoVersion: e.GoVersion, GOOS: e.GOOS, GOARCH: e.GOARCH, CPU: e.CPU,
			Load: e.Load.String(), Busy: e.Load.Busy()}
	}
	if lost != nil {
		w := fmt.Sprintf("No ratios: %v.", lost)
		resp.Bench.Warnings = append(resp.Bench.Warnings, w)
		blk.Notes = append(blk.Notes, w)
	}
	resp.BenchHTML = string(benchreport.Render(res, blk))
}

// compile is POST /compile.
func (s *Server) compile(w http.ResponseWriter, r *http.Request) {
	if !s.cors(w, r, "POST, OPTIONS") {
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST, OPTIONS")
		s.fail(w, http.StatusMethodNotAllowed, "use POST")
		return
	}
	if s.limiter != nil {
		if ok, wait := s.limiter.allow(s.client(r)); !ok {
			note(w, slog.String("refused", "rate"))
			w.Header().Set("Retry-After", strconv.Itoa(seconds(wait)))
			s.fail(w, http.StatusTooManyRequests, fmt.Sprintf("too many runs from your address: try again in %d s", seconds(wait)))
			return
		}
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBody)
	req, err := decodeRequest(r, s.cfg.MaxBody)
	var prog playground.Program
	if err == nil {
		prog, err = s.program(req)
	}
	if err != nil {
		var br *badRequest
		errors.As(err, &br)
		note(w, slog.String("refused", "request"))
		s.fail(w, br.status, br.msg)
		return
	}
	note(w, slog.String("mode", string(prog.Mode)))
	key := cacheKey(&prog)
	if resp, ok := s.cache.get(key); ok {
		resp.Cached = true
		note(w, slog.String("outcome", string(resp.Outcome)), slog.Bool("cached", true))
		writeJSON(w, http.StatusOK, resp)
		return
	}

	client := s.client(r)
	if !s.mine.take(client) {
		note(w, slog.String("refused", "per-client"))
		w.Header().Set("Retry-After", strconv.Itoa(seconds(s.gate.retryAfter())))
		s.fail(w, http.StatusTooManyRequests, fmt.Sprintf("you already have %d programs running or waiting: wait for them to finish", s.cfg.PerClient))
		return
	}
	defer s.mine.give(client)
	queued := time.Now()
	release, err := s.gate.enter(r.Context())
	switch {
	case errors.Is(err, errBusy):
		wait := s.gate.retryAfter()
		note(w, slog.String("refused", "busy"))
		w.Header().Set("Retry-After", strconv.Itoa(seconds(wait)))
		s.fail(w, http.StatusTooManyRequests, fmt.Sprintf("the server is busy: try again in %d s", seconds(wait)))
		return
	case errors.Is(err, errDraining):
		note(w, slog.String("refused", "shutdown"))
		w.Header().Set("Retry-After", "5")
		s.fail(w, http.StatusServiceUnavailable, "the server is restarting: try again in a few seconds")
		return
	case err != nil:
		note(w, slog.String("refused", "client gone"))
		w.WriteHeader(499) // nginx's "client closed request": nobody reads it
		return
	}
	alongside := s.gate.running() - 1
	start := time.Now()
	res, err := func() (playground.Result, error) {
		defer func() { release(time.Since(start)) }()
		return s.cfg.Runner.Run(r.Context(), prog)
	}()
	note(w, slog.Float64("queue_ms", float64(start.Sub(queued).Microseconds())/1000),
		slog.Float64("run_ms", msSince(start)))
	if err != nil {
		if r.Context().Err() != nil {
			note(w, slog.String("outcome", "client gone"))
			w.WriteHeader(499)
			return
		}
		note(w, slog.String("error", err.Error()))
		s.fail(w, http.StatusInternalServerError, "the server could not run the program; its log says why")
		return
	}
	resp := s.response(&prog, &res)
	if prog.Mode == playground.ModeBench {
		resp.Alongside = max(alongside, 0)
		if res.Status == playground.StatusOK {
			s.benchReport(&resp, res.Stdout(), req, &prog)
		}
	}
	if cacheable(&prog, &res) {
		s.cache.put(key, resp)
	}
	note(w, slog.String("outcome", string(res.Status)))
	writeJSON(w, http.StatusOK, resp)
}

// cors applies the origin policy and answers preflight requests. It
// returns false when it has answered the request.
func (s *Server) cors(w http.ResponseWriter, r *http.Request, methods string) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true // not a cross-origin browser request: curl, a tool, a same-origin GET
	}
	h := w.Header()
	h.Add("Vary", "Origin")
	if !s.origins[origin] {
		if sameOrigin(origin, r) {
			return true
		}
		note(w, slog.String("refused", "origin"))
		s.fail(w, http.StatusForbidden, "origin "+origin+" may not use this playground (see --origin)")
		return false
	}
	h.Set("Access-Control-Allow-Origin", origin)
	h.Set("Access-Control-Expose-Headers", "Retry-After")
	if r.Method == http.MethodOptions {
		h.Set("Access-Control-Allow-Methods", methods)
		h.Set("Access-Control-Allow-Headers", "Content-Type")
		h.Set("Access-Control-Max-Age", "600")
		w.WriteHeader(http.StatusNoContent)
		return false
	}
	return true
}

// sameOrigin reports whether a browser sent origin for a page of this very
// host, as when the API is proxied under the site's own address.
func sameOrigin(origin string, r *http.Request) bool {
	u, err := url.Parse(origin)
	return err == nil && u.Host != "" && strings.EqualFold(u.Host, r.Host)
}

// health is GET /health.
func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	if !s.cors(w, r, "GET, HEAD, OPTIONS") {
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD, OPTIONS")
		s.fail(w, http.StatusMethodNotAllowed, "use GET")
		return
	}
	type builds struct{ Running, Waiting int }
	st := struct {
		Status             string
		Running, Waiting   int
		Concurrency, Queue int
		Cached, Clients    int
		// Builds are the builder API's requests, when it is on.
		Builds *builds `json:",omitempty"`
	}{"ok", s.gate.running(), s.gate.waiting(), s.cfg.Concurrency, s.cfg.Queue, s.cache.len(), 0, nil}
	if s.limiter != nil {
		st.Clients = s.limiter.size()
	}
	if s.builder != nil {
		st.Builds = &builds{s.builder.gate.running(), s.builder.gate.waiting()}
	}
	code := http.StatusOK
	if s.gate.isDraining() {
		st.Status, code = "shutting down", http.StatusServiceUnavailable
	}
	writeJSON(w, code, st)
}

// index is GET /: a pointer for a human who opens the server's address.
func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, "benchpress playground: POST /compile {\"Body\": \"package main ...\"} runs a Go program; GET /health\n")
}

// fail answers with an error in the response's own shape, so a client
// reads Errors whatever happened.
func (s *Server) fail(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, Response{Errors: msg, Events: []Event{}, Status: -1})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	w.Write(append(b, '\n'))
}
