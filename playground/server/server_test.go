package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/benchpress/benchpress/internal/testdeadline"
	"github.com/benchpress/benchpress/playground"
)

func TestMain(m *testing.M) {
	// The sandbox re-executes this test binary as its init.
	playground.MaybeRunSandboxInit()
	os.Exit(m.Run())
}

// fakeRunner answers without compiling anything. With hold set, every run
// waits for a value on it (or for its context).
type fakeRunner struct {
	hold    chan struct{}
	started chan string // receives each program's first file as it starts, if set
	// released, once closed, lets every held run go: a test that fails
	// while runs are held must not hang in the server's Close.
	released     chan struct{}
	releasedOnce sync.Once

	mu    sync.Mutex
	runs  []playground.Program
	res   playground.Result
	delay time.Duration
}

func (f *fakeRunner) releasedChan() chan struct{} {
	f.releasedOnce.Do(func() { f.released = make(chan struct{}) })
	return f.released
}

func (f *fakeRunner) release() { close(f.releasedChan()) }

func (f *fakeRunner) Run(ctx context.Context, p playground.Program) (playground.Result, error) {
	f.mu.Lock()
	f.runs = append(f.runs, p)
	res := f.res
	f.mu.Unlock()
	if f.started != nil {
		f.started <- string(p.Files[0].Data)
	}
	if f.hold != nil {
		select {
		case <-f.hold:
		case <-f.releasedChan():
		case <-ctx.Done():
			return res, ctx.Err()
		}
	}
	if f.delay > 0 {
		time.Sleep(f.delay)
	}
	if res.Status == "" {
		res = playground.Result{Status: playground.StatusOK, Events: []playground.Event{{Stream: playground.Stdout, Data: "ran " + string(p.Files[0].Data) + "\n"}}}
	}
	return res, nil
}

func (f *fakeRunner) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.runs)
}

func newTestServer(t *testing.T, cfg Config) (*Server, *httptest.Server) {
	t.Helper()
	if cfg.Runner == nil {
		cfg.Runner = &fakeRunner{}
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts
}

// reply is a response as a client sees it.
type reply struct {
	code   int
	header http.Header
	resp   Response
	raw    string
}

func do(t *testing.T, req *http.Request) reply {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	r := reply{code: res.StatusCode, header: res.Header, raw: string(b)}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		json.Unmarshal(b, &r.resp) // /health has its own shape

	}
	return r
}

func post(t *testing.T, url string, body any, hdr ...string) reply {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", url, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return do(t, req)
}

func TestCORS(t *testing.T) {
	const site = "https://blog.example"
	runner := &fakeRunner{}
	_, ts := newTestServer(t, Config{Runner: runner, Origins: []string{site + "/"}, CacheSize: -1})
	host := strings.TrimPrefix(ts.URL, "http://")
	tests := []struct {
		name, method, path, origin string
		code                       int
		allow                      string // want Access-Control-Allow-Origin
		methods                    string // want Access-Control-Allow-Methods
		ran                        bool
	}{
		{"site origin", "POST", "/compile", site, 200, site, "", true},
		{"no origin (curl, tools)", "POST", "/compile", "", 200, "", "", true},
		{"other origin", "POST", "/compile", "https://evil.example", 403, "", "", false},
		{"origin differs by scheme", "POST", "/compile", "http://blog.example", 403, "", "", false},
		{"origin differs by port", "POST", "/compile", "https://blog.example:8443", 403, "", "", false},
		{"null origin", "POST", "/compile", "null", 403, "", "", false},
		{"same origin as the server", "POST", "/compile", "http://" + host, 200, "", "", true},
		{"preflight from the site", "OPTIONS", "/compile", site, 204, site, "POST, OPTIONS", false},
		{"preflight from elsewhere", "OPTIONS", "/compile", "https://evil.example", 403, "", "", false},
		{"health from the site", "GET", "/health", site, 200, site, "", false},
		{"health preflight", "OPTIONS", "/health", site, 204, site, "GET, HEAD, OPTIONS", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := runner.count()
			var body io.Reader
			if tt.method == "POST" {
				body = strings.NewReader(`{"Body": "package main"}`)
			}
			req, _ := http.NewRequest(tt.method, ts.URL+tt.path, body)
			req.Header.Set("Content-Type", "application/json")
			if tt.origin != "" {
				req.Header.Set("Origin", tt.origin)
			}
			if tt.method == "OPTIONS" {
				req.Header.Set("Access-Control-Request-Method", "POST")
			}
			r := do(t, req)
			if r.code != tt.code {
				t.Errorf("status %d, want %d (%s)", r.code, tt.code, r.raw)
			}
			if got := r.header.Get("Access-Control-Allow-Origin"); got != tt.allow {
				t.Errorf("Access-Control-Allow-Origin %q, want %q", got, tt.allow)
			}
			if got := r.header.Get("Access-Control-Allow-Methods"); got != tt.methods {
				t.Errorf("Access-Control-Allow-Methods %q, want %q", got, tt.methods)
			}
			if tt.allow != "" && r.header.Get("Access-Control-Expose-Headers") != "Retry-After" {
				t.Error("Retry-After is not exposed to the site's script")
			}
			if tt.origin != "" && !strings.Contains(strings.Join(r.header.Values("Vary"), ","), "Origin") {
				t.Error("no Vary: Origin")
			}
			if ran := runner.count() > before; ran != tt.ran {
				t.Errorf("program ran: %v, want %v", ran, tt.ran)
			}
			if tt.code == 403 && !strings.Contains(r.resp.Errors, "may not use this playground") {
				t.Errorf("403 says %q", r.resp.Errors)
			}
		})
	}
	if _, err := New(Config{Runner: runner, Origins: []string{"*"}}); err == nil {
		t.Error("origin * accepted")
	}
	if _, err := New(Config{Runner: runner, Origins: []string{"https://blog.example/posts/"}}); err == nil {
		t.Error("an origin with a path accepted")
	}
}

func TestRequests(t *testing.T) {
	runner := &fakeRunner{}
	_, ts := newTestServer(t, Config{Runner: runner, MaxBody: 1000})
	big := strings.Repeat("x", 1001)
	tests := []struct {
		name, method, ctype, body, query string
		code                             int
		errors                           string // want in Errors
		files                            []string
	}{
		{"json", "POST", "application/json", `{"Body": "package main", "Version": 2}`, "", 200, "", []string{"prog.go"}},
		{"form, as play.golang.org sends", "POST", "application/x-www-form-urlencoded", "version=2&body=" + url.QueryEscape("package main"), "", 200, "", []string{"prog.go"}},
		{"json sent as form by curl -d", "POST", "application/x-www-form-urlencoded", `{"Body": "package main"}`, "", 200, "", []string{"prog.go"}},
		{"plain text", "POST", "text/plain; charset=utf-8", "package main", "", 200, "", []string{"prog.go"}},
		{"at the body cap", "POST", "text/plain", "package main //" + strings.Repeat("x", 1000-15), "", 200, "", []string{"prog.go"}},
		{"over the body cap", "POST", "text/plain", big, "", 413, "larger than 1000 bytes", nil},
		{"json over the body cap", "POST", "application/json", `{"Body": "` + big + `"}`, "", 413, "larger than 1000 bytes", nil},
		{"bad json", "POST", "application/json", `{"Body": `, "", 400, "bad JSON body", nil},
		{"other content type", "POST", "application/xml", "<x/>", "", 415, "Content-Type must be", nil},
		{"GET", "GET", "", "", "", 405, "use POST", nil},
		{"empty program", "POST", "application/json", `{"Body": "  \n"}`, "", 400, "empty program", nil},
		{"txtar", "POST", "application/json", `{"Body": "-- main.go --\npackage main\n-- ring/ring.go --\npackage ring\n"}`, "", 200, "", []string{"main.go", "ring/ring.go"}},
		{"txtar with a leading file", "POST", "application/json", `{"Body": "package main\n-- util.go --\npackage main\n"}`, "", 200, "", []string{"prog.go", "util.go"}},
		{"go.mod", "POST", "application/json", `{"Body": "-- go.mod --\nmodule x\n-- main.go --\npackage main\n"}`, "", 400, "takes no go.mod", nil},
		{"dot dot", "POST", "application/json", `{"Body": "-- ../x.go --\npackage main\n"}`, "", 400, "bad file name", nil},
		{"hidden file", "POST", "application/json", `{"Body": "-- .x.go --\npackage main\n"}`, "", 400, "bad file name", nil},
		{"no go file", "POST", "application/json", `{"Body": "-- a.txt --\nhi\n"}`, "", 400, "no .go file", nil},
		{"twice", "POST", "application/json", `{"Body": "-- a.go --\npackage main\n-- a.go --\npackage main\n"}`, "", 400, "appears twice", nil},
		{"unknown mode", "POST", "application/json", `{"Body": "package main", "Mode": "test"}`, "", 400, "unknown mode", nil},
		{"bench, lone file", "POST", "application/json", `{"Body": "package main\nimport \"testing\"\n", "Mode": "bench"}`, "", 200, "", []string{"prog_test.go", "pkg.go"}},
		{"bench by query", "POST", "application/json", `{"Body": "package ring_test\n"}`, "?mode=bench&count=2&cpu=1,2", 200, "", []string{"prog_test.go", "pkg.go"}},
		{"bench, txtar with main.go", "POST", "application/json", `{"Body": "-- bench_test.go --\npackage main\n-- main.go --\npackage main\n", "Mode": "bench"}`, "", 200, "", []string{"bench_test.go", "main.go"}},
		{"bench count over the cap", "POST", "application/json", `{"Body": "package main", "Mode": "bench", "Count": 10}`, "", 400, "at most 6 times", nil},
		{"bench baseline not a name", "POST", "application/json", `{"Body": "package main", "Mode": "bench", "Baseline": "<script>"}`, "", 400, "want a benchmark's name", nil},
		{"bench benchtime over the cap", "POST", "application/json", `{"Body": "package main", "Mode": "bench", "Benchtime": "5s"}`, "", 400, "want a duration up to 100ms", nil},
		{"bench iterations over the cap", "POST", "application/json", `{"Body": "package main", "Mode": "bench", "Benchtime": "100000000x"}`, "", 400, "want a duration up to", nil},
		{"bench too many cpus", "POST", "application/json", `{"Body": "package main", "Mode": "bench", "CPU": [1,2,3,4,5]}`, "", 400, "at most 4", nil},
		{"bench cpu 0", "POST", "application/json", `{"Body": "package main", "Mode": "bench", "CPU": [0]}`, "", 400, "want 1 to 64", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := runner.count()
			req, _ := http.NewRequest(tt.method, ts.URL+"/compile"+tt.query, strings.NewReader(tt.body))
			if tt.ctype != "" {
				req.Header.Set("Content-Type", tt.ctype)
			}
			r := do(t, req)
			if r.code != tt.code {
				t.Fatalf("status %d, want %d: %s", r.code, tt.code, r.raw)
			}
			if !strings.Contains(r.resp.Errors, tt.errors) || (tt.errors == "") != (r.resp.Errors == "") {
				t.Errorf("Errors %q, want %q", r.resp.Errors, tt.errors)
			}
			if tt.files == nil {
				if runner.count() != before {
					t.Error("a refused request ran")
				}
				return
			}
			runner.mu.Lock()
			p := runner.runs[len(runner.runs)-1]
			runner.mu.Unlock()
			var names []string
			for _, f := range p.Files {
				names = append(names, f.Name)
			}
			if strings.Join(names, " ") != strings.Join(tt.files, " ") {
				t.Errorf("files %v, want %v", names, tt.files)
			}
			if p.Mode == playground.ModeBench {
				if p.Bench.Count < 1 || p.Bench.Count > 6 || p.Bench.Benchtime == "" || p.Timeout != time.Minute {
					t.Errorf("bench options %+v timeout %v: want capped defaults", p.Bench, p.Timeout)
				}
				if tt.query != "" && (p.Bench.Count != 2 || len(p.Bench.CPU) != 2) {
					t.Errorf("query bench options not applied: %+v", p.Bench)
				}
			} else if p.Timeout != playground.DefaultLimits.Timeout {
				t.Errorf("run timeout %v, want the limit's %v", p.Timeout, playground.DefaultLimits.Timeout)
			}
		})
	}
}

// TestResponses checks how results map onto the Go playground's shape.
func TestResponses(t *testing.T) {
	ev := func(s playground.Stream, d string) playground.Event {
		return playground.Event{Stream: s, Data: d, Delay: time.Millisecond}
	}
	tests := []struct {
		name   string
		res    playground.Result
		errors string
		status int
		events []Event
	}{
		{"ok", playground.Result{Status: playground.StatusOK, Events: []playground.Event{ev("stdout", "a\n"), ev("stderr", "b\n")}},
			"", 0, []Event{{"a\n", "stdout", time.Millisecond}, {"b\n", "stderr", time.Millisecond}}},
		{"exit", playground.Result{Status: playground.StatusExit, ExitCode: 3, Events: []playground.Event{ev("stderr", "bad\n")}},
			"", 3, []Event{{"bad\n", "stderr", time.Millisecond}}},
		{"compile error", playground.Result{Status: playground.StatusCompileError, ExitCode: -1, Events: []playground.Event{ev("stderr", "prog.go:3:2: undefined: x\n")}},
			"prog.go:3:2: undefined: x\n", -1, []Event{}},
		{"timeout", playground.Result{Status: playground.StatusTimeout, ExitCode: -1, Events: []playground.Event{ev("stdout", "tick\n")}},
			"timeout: the program ran longer than 10s and was stopped", -1, []Event{{"tick\n", "stdout", time.Millisecond}}},
		{"memory", playground.Result{Status: playground.StatusMemoryLimit, ExitCode: 2},
			"memory limit: the program needed more than 512 MiB and was stopped", 2, []Event{}},
		{"output", playground.Result{Status: playground.StatusOutputLimit, ExitCode: -1, Truncated: true},
			"output limit: the program printed more than 1024 KiB; its output was cut there", -1, []Event{}},
		{"killed", playground.Result{Status: playground.StatusKilled, ExitCode: 128 + 9},
			"killed by signal 9", 137, []Event{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ts := newTestServer(t, Config{Runner: &fakeRunner{res: tt.res}})
			r := post(t, ts.URL+"/compile", Request{Body: "package main"})
			if r.code != 200 {
				t.Fatalf("status %d: %s", r.code, r.raw)
			}
			got := r.resp
			if got.Errors != tt.errors || got.Status != tt.status || got.Outcome != tt.res.Status {
				t.Errorf("Errors %q Status %d Outcome %s, want %q %d %s", got.Errors, got.Status, got.Outcome, tt.errors, tt.status, tt.res.Status)
			}
			gb, _ := json.Marshal(got.Events)
			wb, _ := json.Marshal(tt.events)
			if string(gb) != string(wb) {
				t.Errorf("Events %s, want %s", gb, wb)
			}
			if !strings.Contains(r.raw, `"IsTest":false,"TestsFailed":0`) {
				t.Errorf("response lacks the Go playground's fields: %s", r.raw)
			}
		})
	}
}

// fakeClock is a settable time for the rate limiter.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestRateLimit(t *testing.T) {
	type step struct {
		wait      time.Duration // advance the clock first
		from, xff string
		code      int
		retry     string
	}
	const a, b = "192.0.2.1:5000", "192.0.2.2:5000"
	tests := []struct {
		name        string
		behindProxy bool
		steps       []step
	}{
		{"burst then refill", false, []step{
			{0, a, "", 200, ""}, {0, a, "", 200, ""}, {0, a, "", 200, ""},
			{0, a, "", 429, "2"}, // 1 token per 2 s
			{0, b, "", 200, ""},  // another client has its own bucket
			{time.Second, a, "", 429, "1"},
			{time.Second, a, "", 200, ""},
			{0, a, "", 429, "2"},
		}},
		{"the port is not the client", false, []step{
			{0, "192.0.2.1:1", "", 200, ""}, {0, "192.0.2.1:2", "", 200, ""}, {0, "192.0.2.1:3", "", 200, ""}, {0, "192.0.2.1:4", "", 429, "2"},
		}},
		{"an IPv6 /64 is one client", false, []step{
			{0, "[2001:db8::1]:1", "", 200, ""}, {0, "[2001:db8::2]:1", "", 200, ""}, {0, "[2001:db8::ffff:1]:1", "", 200, ""},
			{0, "[2001:db8::3]:1", "", 429, "2"}, {0, "[2001:db8:0:1::1]:1", "", 200, ""},
		}},
		{"X-Forwarded-For is ignored without a proxy", false, []step{
			{0, a, "198.51.100.1", 200, ""}, {0, a, "198.51.100.2", 200, ""}, {0, a, "198.51.100.3", 200, ""}, {0, a, "198.51.100.4", 429, "2"},
		}},
		{"behind a proxy, its last X-Forwarded-For entry is the client", true, []step{
			{0, a, "1.1.1.1, 198.51.100.1", 200, ""}, {0, a, "2.2.2.2, 198.51.100.1", 200, ""}, {0, a, "198.51.100.1", 200, ""},
			{0, a, "3.3.3.3, 198.51.100.1", 429, "2"}, {0, a, "198.51.100.2", 200, ""},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := New(Config{Runner: &fakeRunner{}, Rate: 0.5, Burst: 3, BehindProxy: tt.behindProxy})
			if err != nil {
				t.Fatal(err)
			}
			clock := &fakeClock{t: time.Unix(1e9, 0)}
			s.limiter.now = clock.now
			for i, st := range tt.steps {
				clock.add(st.wait)
				req := httptest.NewRequest("POST", "/compile", strings.NewReader(`{"Body": "package main"}`))
				req.Header.Set("Content-Type", "application/json")
				req.RemoteAddr = st.from
				if st.xff != "" {
					req.Header.Set("X-Forwarded-For", st.xff)
				}
				w := httptest.NewRecorder()
				s.ServeHTTP(w, req)
				if w.Code != st.code || w.Header().Get("Retry-After") != st.retry {
					t.Errorf("step %d (%s %s): %d Retry-After %q, want %d %q: %s", i, st.from, st.xff, w.Code, w.Header().Get("Retry-After"), st.code, st.retry, w.Body)
				}
			}
		})
	}
	// /health is never rate limited.
	s, _ := New(Config{Runner: &fakeRunner{}, Rate: 0.001, Burst: 1})
	for i := range 5 {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest("GET", "/health", nil))
		if w.Code != 200 {
			t.Errorf("health %d: %d", i, w.Code)
		}
	}
}

func TestRateLimiterForgets(t *testing.T) {
	l := newRateLimiter(1, 2)
	clock := &fakeClock{t: time.Unix(1e9, 0)}
	l.now = clock.now
	for i := range 20000 {
		l.allow(net.IPv4(10, byte(i>>16), byte(i>>8), byte(i)).String())
		clock.add(time.Millisecond)
	}
	// Clients idle for longer than a refill are forgotten as the map grows:
	// it holds at most twice the clients of the last 2 s.
	if n := l.size(); n > 4001 {
		t.Errorf("%d buckets kept for 20000 clients seen over 20 s with a 2 s refill", n)
	}
}

func TestParseRate(t *testing.T) {
	for in, want := range map[string]float64{"20/m": 20.0 / 60, "1/s": 1, "3600/h": 1, "2.5": 2.5, "off": 0, "0": 0} {
		if got, err := ParseRate(in); err != nil || got != want {
			t.Errorf("ParseRate(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "x/m", "20/d", "-1/s", "NaN"} {
		if _, err := ParseRate(in); err == nil {
			t.Errorf("ParseRate(%q) accepted", in)
		}
	}
}

// TestQueue fills the run slots and the queue; the next request gets 429.
func TestQueue(t *testing.T) {
	runner := &fakeRunner{hold: make(chan struct{}), started: make(chan string, 8)}
	s, ts := newTestServer(t, Config{Runner: runner, Concurrency: 2, Queue: 1, CacheSize: -1, PerClient: -1})
	t.Cleanup(runner.release)
	results := make(chan reply, 3)
	for i := range 3 {
		go func() { results <- post(t, ts.URL+"/compile", Request{Body: "package main // " + string(rune('a'+i))}) }()
	}
	<-runner.started
	<-runner.started
	waitFor(t, func() bool { return s.gate.waiting() == 1 })
	r := post(t, ts.URL+"/compile", Request{Body: "package main // d"})
	if r.code != 429 || r.header.Get("Retry-After") == "" || !strings.Contains(r.resp.Errors, "busy") {
		t.Errorf("past the queue: %d Retry-After %q %q, want 429 with Retry-After", r.code, r.header.Get("Retry-After"), r.resp.Errors)
	}
	h := do(t, mustRequest("GET", ts.URL+"/health"))
	if !strings.Contains(h.raw, `"Running":2,"Waiting":1`) {
		t.Errorf("health during load: %s", h.raw)
	}
	for range 3 {
		runner.hold <- struct{}{}
	}
	for range 3 {
		if r := <-results; r.code != 200 {
			t.Errorf("queued request: %d %s", r.code, r.raw)
		}
	}
	// A client that leaves the queue frees its place.
	ctx, cancel := context.WithCancel(context.Background())
	for range 2 {
		go post(t, ts.URL+"/compile", Request{Body: "package main // hold"})
	}
	<-runner.started
	<-runner.started
	req, _ := http.NewRequestWithContext(ctx, "POST", ts.URL+"/compile", strings.NewReader(`{"Body": "package main // leaves"}`))
	go http.DefaultClient.Do(req)
	waitFor(t, func() bool { return s.gate.waiting() == 1 })
	cancel()
	waitFor(t, func() bool { return s.gate.waiting() == 0 })
	runner.hold <- struct{}{}
	runner.hold <- struct{}{}
}

func mustRequest(method, url string) *http.Request {
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		panic(err)
	}
	return req
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	// Generous: CI machines are busy, and a miss is a failure, not a hang.
	for deadline := time.Now().Add(testdeadline.Scale(30 * time.Second)); !cond(); {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 30 s")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestCache(t *testing.T) {
	runner := &fakeRunner{}
	_, ts := newTestServer(t, Config{Runner: runner, CacheSize: 2})
	send := func(body string) reply { return post(t, ts.URL+"/compile", Request{Body: body}) }
	first := send("package main // 1")
	again := send("package main // 1")
	if first.resp.Cached || !again.resp.Cached || runner.count() != 1 {
		t.Errorf("cached %v then %v, %d runs: want one run, then a cached answer", first.resp.Cached, again.resp.Cached, runner.count())
	}
	if again.resp.Events[0].Message != first.resp.Events[0].Message {
		t.Errorf("cached answer %q, want %q", again.resp.Events[0].Message, first.resp.Events[0].Message)
	}
	send("package main // 2")
	send("package main // 3") // evicts 1, the least recently used
	send("package main // 1")
	if runner.count() != 4 {
		t.Errorf("%d runs, want 4 (1 evicted by 2 and 3)", runner.count())
	}
	if r := post(t, ts.URL+"/compile", Request{Body: "package main // 1", Args: []string{"x"}}); r.resp.Cached {
		t.Error("different arguments served from the cache")
	}

	// Kills depend on the machine's load, and benchmarks are measurements:
	// neither is kept.
	for _, tt := range []struct {
		name string
		res  playground.Result
		mode string
	}{
		{"timeout", playground.Result{Status: playground.StatusTimeout, ExitCode: -1}, ""},
		{"memory", playground.Result{Status: playground.StatusMemoryLimit, ExitCode: 2}, ""},
		{"bench", playground.Result{Status: playground.StatusOK}, "bench"},
	} {
		runner := &fakeRunner{res: tt.res}
		_, ts := newTestServer(t, Config{Runner: runner})
		post(t, ts.URL+"/compile", Request{Body: "package main", Mode: tt.mode})
		if r := post(t, ts.URL+"/compile", Request{Body: "package main", Mode: tt.mode}); r.resp.Cached || runner.count() != 2 {
			t.Errorf("%s: served from the cache", tt.name)
		}
	}
}

// TestShutdown: a run in progress finishes and answers, a queued request
// is turned away, new connections are refused, and Serve returns.
func TestShutdown(t *testing.T) {
	runner := &fakeRunner{hold: make(chan struct{}), started: make(chan string, 4)}
	t.Cleanup(runner.release)
	s, err := New(Config{Runner: runner, Concurrency: 1, Queue: 4})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()

	running, queued := make(chan reply, 1), make(chan reply, 1)
	go func() { running <- post(t, url+"/compile", Request{Body: "package main // running"}) }()
	<-runner.started
	go func() { queued <- post(t, url+"/compile", Request{Body: "package main // queued"}) }()
	waitFor(t, func() bool { return s.gate.waiting() == 1 })

	cancel()
	if r := <-queued; r.code != 503 || r.header.Get("Retry-After") == "" {
		t.Errorf("queued request at shutdown: %d %q, want 503 with Retry-After", r.code, r.raw)
	}
	waitFor(t, func() bool {
		c, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second)
		if err == nil {
			c.Close()
		}
		return err != nil
	})
	select {
	case err := <-served:
		t.Fatalf("Serve returned (%v) with a run in progress", err)
	case <-time.After(50 * time.Millisecond):
	}
	runner.hold <- struct{}{}
	if r := <-running; r.code != 200 || r.resp.Events[0].Message != "ran package main // running\n" {
		t.Errorf("run in progress at shutdown: %d %s, want its answer", r.code, r.raw)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(testdeadline.Scale(5 * time.Second)):
		t.Fatal("Serve did not return after the last run")
	}
}

func TestAccessLog(t *testing.T) {
	var buf syncBuffer
	_, ts := newTestServer(t, Config{Log: slog.New(slog.NewJSONHandler(&buf, nil)), Origins: []string{"https://blog.example"}})
	post(t, ts.URL+"/compile", Request{Body: "package main"}, "Origin", "https://blog.example")
	post(t, ts.URL+"/compile", Request{Body: "package main"}, "Origin", "https://evil.example")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d log lines for 2 requests:\n%s", len(lines), buf.String())
	}
	for i, want := range []map[string]any{
		{"msg": "request", "method": "POST", "path": "/compile", "status": 200.0, "client": "127.0.0.1", "origin": "https://blog.example", "mode": "run", "outcome": "ok"},
		{"msg": "request", "status": 403.0, "refused": "origin"},
	} {
		var got map[string]any
		if err := json.Unmarshal([]byte(lines[i]), &got); err != nil {
			t.Fatalf("log line %q: %v", lines[i], err)
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("line %d: %s = %v, want %v (%s)", i, k, got[k], v, lines[i])
			}
		}
		for _, k := range []string{"time", "ms", "bytes"} {
			if _, ok := got[k]; !ok {
				t.Errorf("line %d lacks %s", i, k)
			}
		}
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// TestNoSiteImports keeps the server free of the site pipeline.
func TestNoSiteImports(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.Contains(dep, "/generator") || strings.Contains(dep, "goldmark") {
			t.Errorf("the server depends on %s", dep)
		}
	}
}

// errRunner fails as a broken toolchain or sandbox would.
type errRunner struct{}

func (errRunner) Run(ctx context.Context, p playground.Program) (playground.Result, error) {
	return playground.Result{}, errors.New("the Linux sandbox cannot run here: /home/me/secret detail")
}

// TestRunnerError: an infrastructure fault is a 500 that names nothing of
// the host, logged as an error, and the run slot is given back.
func TestRunnerError(t *testing.T) {
	var buf syncBuffer
	s, ts := newTestServer(t, Config{Runner: errRunner{}, Concurrency: 1, Log: slog.New(slog.NewJSONHandler(&buf, nil))})
	for range 2 {
		r := post(t, ts.URL+"/compile", Request{Body: "package main"})
		if r.code != 500 || strings.Contains(r.raw, "/home/me") || !strings.Contains(r.resp.Errors, "could not run the program") {
			t.Errorf("%d %s", r.code, r.raw)
		}
	}
	if s.gate.running() != 0 {
		t.Error("a failed run kept its slot")
	}
	if log := buf.String(); !strings.Contains(log, `"level":"ERROR"`) || !strings.Contains(log, "/home/me/secret detail") {
		t.Errorf("the log does not say why: %s", log)
	}
}

// TestPerClient: one address may have two runs in progress; a third waits
// its turn elsewhere, and another address is served meanwhile.
func TestPerClient(t *testing.T) {
	runner := &fakeRunner{hold: make(chan struct{}), started: make(chan string, 8)}
	s, ts := newTestServer(t, Config{Runner: runner, Concurrency: 4, CacheSize: -1, BehindProxy: true})
	t.Cleanup(runner.release)
	from := func(addr, body string) reply {
		return post(t, ts.URL+"/compile", Request{Body: body}, "X-Forwarded-For", addr)
	}
	results := make(chan reply, 3)
	for i := range 2 {
		go func() { results <- from("198.51.100.1", "package main // a"+strconv.Itoa(i)) }()
	}
	<-runner.started
	<-runner.started
	if r := from("198.51.100.1", "package main // a2"); r.code != 429 || !strings.Contains(r.resp.Errors, "already have 2 programs") || r.header.Get("Retry-After") == "" {
		t.Errorf("a third run from one address: %d %s", r.code, r.raw)
	}
	go func() { results <- from("198.51.100.2", "package main // b") }()
	<-runner.started
	if s.gate.running() != 3 {
		t.Errorf("%d running, want 3", s.gate.running())
	}
	for range 3 {
		runner.hold <- struct{}{}
	}
	for range 3 {
		if r := <-results; r.code != 200 {
			t.Errorf("%d %s", r.code, r.raw)
		}
	}
	// Finished runs no longer count.
	go func() { results <- from("198.51.100.1", "package main // a3") }()
	<-runner.started
	runner.hold <- struct{}{}
	if r := <-results; r.code != 200 {
		t.Errorf("after the first two finished: %d %s", r.code, r.raw)
	}
	s.mine.mu.Lock()
	defer s.mine.mu.Unlock()
	if len(s.mine.runs) != 0 {
		t.Errorf("per-client counts left: %v", s.mine.runs)
	}
}
