package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/benchpress/benchpress/internal/testdeadline"
)

// serveSite is a small site without live code blocks: serve's tests need
// no playground.
var serveSite = map[string]string{
	"config.yaml":            "title: Serve Test\nbaseURL: https://serve.example.org/\npaginate: 2\n",
	"content/about.md":       "---\ntitle: About\n---\nAbout this blog.\n",
	"content/posts/alpha.md": "---\ntitle: Alpha\ndate: 2026-01-01\ntags: [one]\n---\nAlpha body, original text.\n",
	"content/posts/beta.md":  "---\ntitle: Beta\ndate: 2026-02-01\ntags: [one, two]\n---\nBeta body.\n\n## A heading\n\nMore.\n",
	"content/posts/gamma.md": "---\ntitle: Gamma\ndate: 2026-03-01\ndraft: true\n---\nGamma is a draft.\n",
	"static/css/extra.css":   "body { margin: 0 }\n",
}

func writeSiteFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// devServer is a running `benchpress serve` on a free loopback port.
type devServer struct {
	t    testing.TB
	root string
	url  string
	stop context.CancelFunc
	done chan error
	log  *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func startServe(t *testing.T, root string) *devServer {
	t.Helper()
	return startServeWith(t, buildFlags{root: root, drafts: true, future: true})
}

// startServeWith is startServe with f's flags.
func startServeWith(t *testing.T, f buildFlags) *devServer {
	t.Helper()
	root := f.root
	ctx, cancel := context.WithCancel(context.Background())
	d := &devServer{t: t, root: root, stop: cancel, done: make(chan error, 1), log: &syncBuffer{}}
	ready := make(chan string, 1)
	go func() { d.done <- serve(ctx, f, "127.0.0.1:0", d.log, func(u string) { ready <- u }) }()
	select {
	case d.url = <-ready:
	case err := <-d.done:
		t.Fatalf("serve: %v\n%s", err, d.log)
	case <-time.After(testdeadline.Scale(30 * time.Second)):
		t.Fatalf("serve did not start\n%s", d.log)
	}
	t.Cleanup(func() {
		cancel()
		select {
		case <-d.done:
		case <-time.After(testdeadline.Scale(10 * time.Second)):
			t.Errorf("serve did not shut down")
		}
		if t.Failed() {
			t.Logf("serve's log:\n%s", d.log)
		}
	})
	return d
}

func (d *devServer) get(path string) (int, string, http.Header) {
	d.t.Helper()
	resp, err := http.Get(d.url + strings.TrimPrefix(path, "/"))
	if err != nil {
		d.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		d.t.Fatal(err)
	}
	return resp.StatusCode, string(b), resp.Header
}

// sseEvent is one Server-Sent Event.
type sseEvent struct {
	name string
	data map[string]any
}

// events opens the event stream and returns its events as they come.
func (d *devServer) events() <-chan sseEvent {
	d.t.Helper()
	req, _ := http.NewRequest("GET", d.url+"_benchpress/events", nil)
	ctx, cancel := context.WithCancel(context.Background())
	d.t.Cleanup(cancel)
	resp, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		d.t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		d.t.Fatalf("events: Content-Type %q", ct)
	}
	ch := make(chan sseEvent, 64)
	go func() {
		defer resp.Body.Close()
		defer close(ch)
		sc := bufio.NewScanner(resp.Body)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				ev.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &ev.data)
			case line == "" && ev.name != "":
				ch <- ev
				ev = sseEvent{}
			}
		}
	}()
	return ch
}

// waitEvent returns the next event named one of names, failing after a while.
func (d *devServer) waitEvent(ch <-chan sseEvent, names ...string) sseEvent {
	d.t.Helper()
	timeout := time.After(testdeadline.Scale(20 * time.Second))
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				d.t.Fatalf("event stream closed while waiting for %v", names)
			}
			for _, n := range names {
				if ev.name == n {
					return ev
				}
			}
		case <-timeout:
			d.t.Fatalf("no %v event within 20s", names)
		}
	}
}

func TestServeEndToEnd(t *testing.T) {
	root := t.TempDir()
	writeSiteFiles(t, root, serveSite)
	d := startServe(t, root)

	code, page, h := d.get("/posts/alpha/")
	if code != 200 || !strings.Contains(page, "original text") {
		t.Fatalf("GET /posts/alpha/: %d\n%s", code, page)
	}
	if got := h.Get("Content-Type"); got != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", got)
	}
	if got := h.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", got)
	}
	if !strings.Contains(page, `<script src="/_benchpress/reload.js"></script>`) {
		t.Errorf("served page does not load the reload script")
	}
	if code, page, _ := d.get("/posts/gamma/"); code != 200 || !strings.Contains(page, "Gamma is a draft") {
		t.Errorf("drafts are not served by default: %d", code)
	}
	if code, page, _ := d.get("/no/such/page/"); code != 404 || !strings.Contains(page, "Page not found") {
		t.Errorf("miss: %d, want 404 with 404.html", code)
	}
	if code, js, h := d.get("/_benchpress/reload.js"); code != 200 || !strings.Contains(js, "EventSource") || !strings.HasPrefix(h.Get("Content-Type"), "text/javascript") {
		t.Errorf("reload.js: %d %q", code, h.Get("Content-Type"))
	}
	for path, want := range map[string]string{
		"/index.xml": "text/xml; charset=utf-8", "/search/index.json": "application/json",
		"/css/extra.css": "text/css; charset=utf-8", "/favicon.svg": "image/svg+xml",
	} {
		if code, _, h := d.get(path); code != 200 || h.Get("Content-Type") != want {
			t.Errorf("GET %s: %d %q, want 200 %q", path, code, h.Get("Content-Type"), want)
		}
	}

	events := d.events()
	hello := d.waitEvent(events, "hello")
	if hello.data["errors"] != nil {
		t.Fatalf("hello reports errors: %v", hello.data)
	}

	// Edit a post: a reload event, then the new text.
	writeSiteFiles(t, root, map[string]string{"content/posts/alpha.md": strings.Replace(serveSite["content/posts/alpha.md"], "original text", "edited text", 1)})
	ev := d.waitEvent(events, "reload", "css", "failed")
	if ev.name != "reload" {
		t.Fatalf("after an edit: %s %v, want reload", ev.name, ev.data)
	}
	if _, page, _ := d.get("/posts/alpha/"); !strings.Contains(page, "edited text") {
		t.Fatalf("edited text not served")
	}

	// Break the front matter: the overlay's event names file and line,
	// and the last good site is still served.
	writeSiteFiles(t, root, map[string]string{"content/posts/alpha.md": "---\ntitle: Alpha\ndate: 2026-01-01\ntilte: typo\n---\nBroken.\n"})
	ev = d.waitEvent(events, "failed", "reload")
	if ev.name != "failed" {
		t.Fatalf("after breaking the front matter: %s %v, want failed", ev.name, ev.data)
	}
	errs, _ := ev.data["errors"].([]any)
	if len(errs) != 1 {
		t.Fatalf("failed event: %v", ev.data)
	}
	e := errs[0].(map[string]any)
	if e["file"] != "content/posts/alpha.md" || e["line"] != 4.0 || !strings.Contains(e["msg"].(string), `unknown front matter key "tilte"`) {
		t.Errorf("failed event error = %v", e)
	}
	if code, page, _ := d.get("/posts/alpha/"); code != 200 || !strings.Contains(page, "edited text") {
		t.Errorf("the last good page is not served while the build is broken")
	}
	// A tab opened now sees the error in its hello.
	if late := d.waitEvent(d.events(), "hello"); late.data["errors"] == nil {
		t.Errorf("hello while broken has no errors: %v", late.data)
	}
	if !strings.Contains(d.log.String(), `content/posts/alpha.md:4: unknown front matter key "tilte"`) {
		t.Errorf("terminal does not show the error:\n%s", d.log)
	}

	// Fix it, saving as vim does: write a new file, rename it over the old.
	fixed := strings.Replace(serveSite["content/posts/alpha.md"], "original text", "fixed by rename", 1)
	tmp := filepath.Join(root, "content/posts/.alpha.md.swp")
	if err := os.WriteFile(tmp, []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(root, "content/posts/alpha.md")); err != nil {
		t.Fatal(err)
	}
	ev = d.waitEvent(events, "reload", "ok", "failed")
	if ev.name != "reload" {
		t.Fatalf("after the fix: %s %v, want reload", ev.name, ev.data)
	}
	if _, page, _ := d.get("/posts/alpha/"); !strings.Contains(page, "fixed by rename") {
		t.Fatalf("fixed text not served")
	}
	if late := d.waitEvent(d.events(), "hello"); late.data["errors"] != nil {
		t.Errorf("hello after the fix still has errors: %v", late.data)
	}

	// A stylesheet-only change swaps the CSS without a reload.
	writeSiteFiles(t, root, map[string]string{"static/css/extra.css": "body { margin: 1px }\n"})
	ev = d.waitEvent(events, "css", "reload")
	if ev.name != "css" || !strings.Contains(ev.String(), "css/extra.css") {
		t.Errorf("after a CSS edit: %s %v, want css with css/extra.css", ev.name, ev.data)
	}

	// A new folder with a new post is seen.
	writeSiteFiles(t, root, map[string]string{"content/posts/delta/index.md": "---\ntitle: Delta\ndate: 2026-04-01\n---\nDelta in a bundle.\n"})
	d.waitEvent(events, "reload")
	for i := 0; ; i++ {
		if code, page, _ := d.get("/posts/delta/"); code == 200 && strings.Contains(page, "Delta in a bundle") {
			break
		}
		if i == 50 {
			t.Fatalf("post in a new folder not served")
		}
		d.waitEvent(events, "reload")
	}

	// What is served equals a fresh full build of the same sources.
	compareWithBuild(t, d)
}

func (e sseEvent) String() string {
	b, _ := json.Marshal(e.data)
	return e.name + " " + string(b)
}

// compareWithBuild builds the site with `build` (and serve's options) and
// fetches every file of it from the server: same bytes, and no stray files
// served either (checked through the 404 of a removed post).
func compareWithBuild(t *testing.T, d *devServer) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	f := buildFlags{root: d.root, out: out, drafts: true, future: true}
	if _, err := buildSite(context.Background(), f, true, newConsole(io.Discard, f.root, false)); err != nil {
		t.Fatalf("full build: %v", err)
	}
	n := 0
	filepath.WalkDir(out, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || e.Name() == ".benchpress-output" {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		want, _ := os.ReadFile(p)
		code, got, _ := d.get(filepath.ToSlash(rel))
		if code != 200 || got != string(want) {
			t.Errorf("served %s (%d) differs from a full build", rel, code)
		}
		n++
		return nil
	})
	if n < 10 {
		t.Fatalf("full build has only %d files", n)
	}
}

// TestBuildHasNoDevScript: `build` output never loads the reload script.
func TestBuildHasNoDevScript(t *testing.T) {
	root := t.TempDir()
	writeSiteFiles(t, root, serveSite)
	out := filepath.Join(root, "public")
	if err := runBuild([]string{"--source", root, "--drafts"}); err != nil {
		t.Fatal(err)
	}
	err := filepath.WalkDir(out, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		if strings.Contains(string(b), "_benchpress") || strings.Contains(string(b), "EventSource") {
			t.Errorf("%s carries the dev script", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestServeShutdown: cancelling serve (as SIGINT does) ends it cleanly even
// with an event stream open, and finishes the request in flight.
func TestServeShutdown(t *testing.T) {
	root := t.TempDir()
	writeSiteFiles(t, root, serveSite)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, buildFlags{root: root, drafts: true, future: true}, "127.0.0.1:0", io.Discard, func(u string) { ready <- u })
	}()
	var url string
	select {
	case url = <-ready:
	case err := <-done:
		t.Fatal(err)
	}
	resp, err := http.Get(url + "_benchpress/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v, want nil (exit 0)", err)
		}
	case <-time.After(testdeadline.Scale(10 * time.Second)):
		t.Fatal("serve did not stop within 10s of the signal")
	}
	if _, err := http.Get(url); err == nil {
		t.Errorf("server still accepts connections after shutdown")
	}
}

// TestServeBrokenAtStart: a site that does not build at start is served
// as a page carrying the reload script and the errors; the fix brings the
// site up by itself.
func TestServeBrokenAtStart(t *testing.T) {
	root := t.TempDir()
	writeSiteFiles(t, root, serveSite)
	writeSiteFiles(t, root, map[string]string{"content/posts/alpha.md": "---\ntitle: Alpha\ndate: someday\n---\nBody.\n"})
	d := startServe(t, root)
	code, page, _ := d.get("/")
	if code != 503 || !strings.Contains(page, "_benchpress/reload.js") {
		t.Fatalf("GET / while broken: %d\n%s", code, page)
	}
	events := d.events()
	hello := d.waitEvent(events, "hello")
	if !strings.Contains(hello.String(), `content/posts/alpha.md`) || !strings.Contains(hello.String(), `is not a date`) {
		t.Errorf("hello = %s", hello)
	}
	writeSiteFiles(t, root, map[string]string{"content/posts/alpha.md": serveSite["content/posts/alpha.md"]})
	d.waitEvent(events, "reload")
	if code, page, _ := d.get("/posts/alpha/"); code != 200 || !strings.Contains(page, "original text") {
		t.Fatalf("after the fix: %d", code)
	}
}

// TestServeBusyAddress: an address in use is said at once, before the
// site is built (which may take minutes), with what to do.
func TestServeBusyAddress(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	root := t.TempDir()
	writeSiteFiles(t, root, serveSite)
	var log strings.Builder
	err = serve(context.Background(), buildFlags{root: root}, taken.Addr().String(), &log, nil)
	if err == nil || !strings.HasSuffix(err.Error(), ": choose another address with --addr HOST:PORT") {
		t.Errorf("serve on a busy address: %v", err)
	}
	if strings.Contains(log.String(), "built ") {
		t.Errorf("serve built the site before finding the address busy:\n%s", log.String())
	}
}

// TestServeSnippetsRunLine: after a save that reruns one live block, serve
// says how many snippets ran in words that agree with the number ("1
// snippet run", not "1 snippets run").
func TestServeSnippetsRunLine(t *testing.T) {
	if testing.Short() { // as TestRunExit3
		t.Skip("compiles and runs a snippet in the sandbox")
	}
	root := t.TempDir()
	post := "---\ntitle: Live\ndate: 2026-01-01\n---\n\n```go run name=hi\nfmt.Println(\"first\")\n```\n"
	writeSiteFiles(t, root, map[string]string{"config.yaml": serveSite["config.yaml"], "content/posts/live.md": post})
	d := startServe(t, root)
	events := d.events()
	d.waitEvent(events, "hello")
	writeSiteFiles(t, root, map[string]string{"content/posts/live.md": strings.Replace(post, "first", "second", 1)})
	if ev := d.waitEvent(events, "reload", "failed"); ev.name != "reload" {
		t.Fatalf("after editing the block: %s %v, want reload", ev.name, ev.data)
	}
	// The count is logged before the reload is sent.
	if log := d.log.String(); !strings.Contains(log, "\n1 snippet run\n") {
		t.Errorf("serve's log does not say \"1 snippet run\":\n%s", log)
	}
}
