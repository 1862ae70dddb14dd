// Package devserver is what `benchpress serve` puts in front of a build:
// an HTTP handler that serves a complete site from memory, swapped in one
// step after every rebuild, and tells open pages to reload over
// Server-Sent Events.
//
// The contract, from the browser's side:
//
//   - GET /_benchpress/reload.js is the live-reload script (pages of a dev
//     build load it); it knows the id of the build it was served with.
//   - GET /_benchpress/events is an event stream. On connect it sends
//     "hello" {build, errors?}; after a rebuild, "reload" {build, paths}, or
//     "css" {build, paths} when only stylesheets changed (the script swaps
//     them without reloading); "failed" {errors, text} when a rebuild
//     failed (the script shows an overlay; the last good site is still
//     served); "ok" {build} when a failure was fixed with no output change.
//     A page whose build id differs from hello's reloads, so pages catch up
//     after a server restart.
//   - Every other path is a file of the current build: "/x/" and "/x" serve
//     x/index.html (the latter redirects to "/x/"), a miss serves 404.html
//     with status 404, and nothing is cached. An HTML page that does not
//     load the reload script (a theme without {{if .Site.Dev}}) gets it
//     added before </body>.
package devserver

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"math/rand/v2"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/benchpress/benchpress/generator/diag"
)

//go:embed reload.js
var reloadJS string

// Prefix is where the dev endpoints live, under the site's base path.
const Prefix = "/_benchpress/"

// Server serves the last good build and pushes events to open pages.
type Server struct {
	base  string // the site's base path, "/" or "/blog/"
	nonce string // differs on every start, so pages reload after a restart

	site atomic.Pointer[snapshot]

	mu      sync.Mutex
	seq     int
	failure *failure // the last rebuild failed; nil when it succeeded
	clients map[*client]bool
	done    chan struct{}
	closed  bool
}

type snapshot struct {
	files map[string][]byte
	build string
}

type failure struct {
	Errors []Problem `json:"errors"`
	Text   string    `json:"text"`
}

// Problem is one error of a failed build, as the overlay shows it.
type Problem struct {
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	Msg  string `json:"msg"`
}

type client struct {
	events chan []byte
}

// New returns a Server for a site whose base URL has the path base ("/"
// when the site lives at the root of its host). It serves a "building"
// page until the first Publish.
func New(base string) *Server {
	if !strings.HasPrefix(base, "/") {
		base = "/" + base
	}
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	return &Server{
		base:    base,
		nonce:   fmt.Sprintf("%08x", rand.Uint32()),
		clients: map[*client]bool{},
		done:    make(chan struct{}),
	}
}

// Publish swaps in a new build: files is the complete site (never modified
// afterwards), changed the output paths that differ from the previous one.
// Open pages reload, or only swap their stylesheets when nothing but CSS
// changed.
func (s *Server) Publish(files map[string][]byte, changed []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	hadFailure := s.failure != nil
	s.failure = nil
	cur := s.site.Load()
	if cur != nil && len(changed) == 0 {
		if hadFailure {
			s.broadcast("ok", map[string]any{"build": cur.build})
		}
		return
	}
	s.seq++
	next := &snapshot{files: files, build: fmt.Sprintf("%s-%d", s.nonce, s.seq)}
	s.site.Store(next)
	if cur == nil {
		s.broadcast("reload", map[string]any{"build": next.build, "paths": []string{}})
		return
	}
	event := "css"
	for _, c := range changed {
		if path.Ext(c) != ".css" {
			event = "reload"
			break
		}
	}
	s.broadcast(event, map[string]any{"build": next.build, "paths": changed})
}

// Fail reports a failed rebuild to every open page; the last good build
// stays served. Positions of generator errors are kept apart for the
// overlay.
func (s *Server) Fail(err error) {
	f := &failure{Text: err.Error(), Errors: Problems(err)}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failure = f
	s.broadcast("failed", f)
}

// Problems splits an error into the overlay's entries: one per
// diag.Error, with file and line.
func Problems(err error) []Problem {
	var list diag.List
	var one *diag.Error
	switch {
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = diag.List{one}
	default:
		return []Problem{{Msg: err.Error()}}
	}
	out := make([]Problem, len(list))
	for i, e := range list {
		out[i] = Problem{File: e.File, Line: e.Line, Msg: e.Msg}
	}
	return out
}

// Close ends every event stream, so an http.Server's Shutdown does not
// wait for them (register it with RegisterOnShutdown).
func (s *Server) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.closed = true
		close(s.done)
	}
}

// broadcast sends an event to every client; one that cannot keep up is
// dropped (its page reconnects and gets a fresh hello). s.mu is held.
func (s *Server) broadcast(event string, data any) {
	msg := formatEvent(event, data)
	for c := range s.clients {
		select {
		case c.events <- msg:
		default:
			delete(s.clients, c)
			close(c.events)
		}
	}
}

func formatEvent(event string, data any) []byte {
	b, _ := json.Marshal(data)
	return []byte("event: " + event + "\ndata: " + string(b) + "\n\n")
}

// ServeHTTP serves the dev endpoints and the current build.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	if s.base != "/" {
		switch {
		case strings.HasPrefix(p, s.base):
			p = "/" + strings.TrimPrefix(p, s.base)
		case p == "/" || p+"/" == s.base:
			http.Redirect(w, r, s.base, http.StatusFound)
			return
		}
	}
	switch p {
	case Prefix + "events":
		s.serveEvents(w, r)
		return
	case Prefix + "reload.js":
		s.serveScript(w, r)
		return
	}
	site := s.site.Load()
	if site == nil {
		s.serveWaiting(w)
		return
	}
	name, redirect, ok := lookup(site.files, p)
	switch {
	case redirect:
		target := strings.TrimSuffix(s.base, "/") + p + "/"
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
	case ok:
		serveFile(w, r, name, s.withScript(name, site.files[name]), http.StatusOK)
	default:
		if page, ok := site.files["404.html"]; ok {
			serveFile(w, r, "404.html", s.withScript("404.html", page), http.StatusNotFound)
			return
		}
		http.NotFound(w, r)
	}
}

// withScript adds the reload script to an HTML page whose theme does not
// load it (the default theme does, under {{if .Site.Dev}}, so its pages
// are served exactly as built).
func (s *Server) withScript(name string, page []byte) []byte {
	if path.Ext(name) != ".html" || bytes.Contains(page, []byte("_benchpress/reload.js")) {
		return page
	}
	tag := []byte(`<script src="` + html.EscapeString(s.base+strings.TrimPrefix(Prefix, "/")+"reload.js") + `"></script>` + "\n")
	i := bytes.LastIndex(page, []byte("</body>"))
	if i < 0 {
		i = len(page)
	}
	out := make([]byte, 0, len(page)+len(tag))
	out = append(out, page[:i]...)
	out = append(out, tag...)
	return append(out, page[i:]...)
}

// lookup maps a clean URL path to an output file: "/x/" is x/index.html,
// "/x" is the file x or, redirecting, x/index.html.
func lookup(files map[string][]byte, urlPath string) (name string, redirect, ok bool) {
	clean := path.Clean(urlPath)
	name = strings.TrimPrefix(clean, "/")
	if name == "" || strings.HasSuffix(urlPath, "/") {
		if name != "" {
			name += "/"
		}
		name += "index.html"
		_, ok = files[name]
		return name, false, ok
	}
	if _, ok := files[name]; ok {
		return name, false, true
	}
	if _, ok := files[name+"/index.html"]; ok {
		return name + "/index.html", true, false
	}
	return name, false, false
}

func serveFile(w http.ResponseWriter, r *http.Request, name string, data []byte, status int) {
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = http.DetectContentType(data)
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if compressible(ctype, len(data)) {
		// As the static hosts a site is published to do: a phone on a
		// slow link sees in serve the first paint its readers will.
		w.Header().Add("Vary", "Accept-Encoding")
		if acceptsGzip(r) {
			data = gzipped(data)
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Length", fmt.Sprint(len(data)))
			w.WriteHeader(status)
			if r.Method != http.MethodHead {
				w.Write(data)
			}
			return
		}
	}
	if status == http.StatusOK {
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
		return
	}
	w.Header().Set("Content-Length", fmt.Sprint(len(data)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(data)
	}
}

func (s *Server) currentBuild() string {
	if site := s.site.Load(); site != nil {
		return site.build
	}
	return s.nonce + "-0"
}

func (s *Server) serveScript(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	js := strings.Replace(reloadJS, "__BENCHPRESS_BUILD__", s.currentBuild(), 1)
	if r.Method != http.MethodHead {
		w.Write([]byte(js))
	}
}

// serveWaiting answers every page while no build has succeeded yet: a page
// that loads the reload script, which shows the overlay and reloads when a
// build succeeds.
func (s *Server) serveWaiting(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusServiceUnavailable)
	fmt.Fprintf(w, `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>benchpress serve</title></head>
<body><p>benchpress has no good build to serve yet: fix the errors and save, and this page reloads by itself.</p>
<script src="%s"></script></body></html>
`, html.EscapeString(s.base+strings.TrimPrefix(Prefix, "/")+"reload.js"))
}

func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	c := &client{events: make(chan []byte, 16)}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	hello := map[string]any{"build": s.currentBuild()}
	if s.failure != nil {
		hello["errors"] = s.failure.Errors
		hello["text"] = s.failure.Text
	}
	s.clients[c] = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		if s.clients[c] {
			delete(s.clients, c)
		}
		s.mu.Unlock()
	}()

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	// retry: how soon the browser reconnects after the server went away.
	fmt.Fprint(w, "retry: 500\n\n")
	w.Write(formatEvent("hello", hello))
	flusher.Flush()

	ping := time.NewTicker(15 * time.Second)
	defer ping.Stop()
	for {
		select {
		case msg, ok := <-c.events:
			if !ok {
				return // dropped: too slow
			}
			if _, err := w.Write(msg); err != nil {
				return
			}
			flusher.Flush()
		case <-ping.C:
			if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil {
				return
			}
			flusher.Flush()
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		}
	}
}

// compressible reports whether a response is worth gzipping: text of a
// kilobyte or more (images and fonts are compressed already).
func compressible(ctype string, size int) bool {
	if size < 1<<10 {
		return false
	}
	mt, _, _ := strings.Cut(ctype, ";")
	switch mt {
	case "text/html", "text/css", "text/javascript", "application/javascript", "application/json",
		"application/xml", "text/xml", "application/rss+xml", "application/atom+xml", "image/svg+xml",
		"text/plain", "text/csv":
		return true
	}
	return false
}

// acceptsGzip reports whether the request's Accept-Encoding takes gzip
// (and does not refuse it with q=0).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") {
			q, ok := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q=")
			if !ok {
				return true
			}
			v, err := strconv.ParseFloat(q, 64)
			return err == nil && v > 0
		}
	}
	return false
}

func gzipped(data []byte) []byte {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.DefaultCompression)
	zw.Write(data)
	zw.Close()
	return b.Bytes()
}
