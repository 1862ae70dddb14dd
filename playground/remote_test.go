package playground

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const fakeToken = "fake-runner-token-0123456789"

// fakeRunner answers the builder API as a runner on another machine
// would, without running anything: each program's result prints its ID.
type fakeRunner struct {
	info RemoteInfo
	mu   sync.Mutex
	reqs []RemoteRequest
	// errFor, if set, is the error the runner reports for a program ID.
	errFor map[string]string
}

func (f *fakeRunner) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+fakeToken {
		w.WriteHeader(http.StatusUnauthorized)
		json.NewEncoder(w).Encode(RemoteError{"wrong token"})
		return
	}
	switch r.URL.Path {
	case "/builder/v1/info":
		json.NewEncoder(w).Encode(f.info)
	case "/builder/v1/run":
		var req RemoteRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		f.reqs = append(f.reqs, req)
		f.mu.Unlock()
		resp := RemoteResponse{Protocol: RemoteProtocol}
		for _, p := range req.Programs {
			resp.Results = append(resp.Results, Result{Status: StatusOK, Duration: time.Millisecond,
				Events: []Event{{Stream: Stdout, Data: "ran " + p.ID + "\n"}},
				Env:    Env{GoVersion: f.info.Go, GOOS: "linux", GOARCH: "riscv64", NumCPU: 64, RanAt: time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC), Machine: f.info.Machine}})
			resp.Errors = append(resp.Errors, f.errFor[p.ID])
		}
		json.NewEncoder(w).Encode(resp)
	default:
		http.NotFound(w, r)
	}
}

func fakeInfo() RemoteInfo {
	return RemoteInfo{Protocol: RemoteProtocol, Schema: WireSchema(), Benchpress: "v9", Go: "go1.99.0", Platform: "linux/riscv64",
		Sandbox: "linux", Runner: RunnerVersion, Machine: "feedf00d", Parallelism: 1, MaxBody: 32 << 20}
}

func remoteProgs() []Program {
	var progs []Program
	for i := range 6 {
		progs = append(progs, Program{ID: fmt.Sprintf("post.md#r%d", i), Mode: ModeRun,
			Files: []File{{Name: "main.go", Data: fmt.Appendf(nil, "package main\nfunc main() { println(%d) }\n", i)}}})
	}
	progs = append(progs, Program{ID: "post.md#b", Mode: ModeBench,
		Files: []File{{Name: "x_test.go", Data: []byte("package x\nimport \"testing\"\nfunc BenchmarkX(b *testing.B) {}\n")}}})
	return progs
}

// TestRemoteRunner: a remote Runner sends only what must run, in batches
// of four times the runner's parallelism and the benchmarks last, with
// the build's limits and modules; it stores the runner's results under
// the keys of the runner's Go version and platform, stamped with the
// runner's machine, and takes them from the store the next time.
func TestRemoteRunner(t *testing.T) {
	f := &fakeRunner{info: fakeInfo(), errFor: map[string]string{"post.md#r5": "the runner's disk is full"}}
	ts := httptest.NewServer(f)
	defer ts.Close()
	mods := t.TempDir()
	writeFile(t, filepath.Join(mods, "go.mod"), []byte("module m\n\ngo 1.26\n"))
	results := filepath.Join(t.TempDir(), "results")
	cfg := Config{Sandbox: "remote", Remote: Remote{URL: ts.URL, Token: fakeToken}, Results: results, Modules: mods,
		Limits: Limits{Timeout: 3 * time.Second}}
	r, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	progs := remoteProgs()
	res, errs := r.RunAll(context.Background(), progs, nil)
	for i, p := range progs {
		want := ""
		if p.ID == "post.md#r5" {
			want = "the runner at " + ts.URL + "/: the runner's disk is full"
		}
		if got := fmt.Sprint(errs[i]); (want == "" && errs[i] != nil) || (want != "" && got != want) {
			t.Errorf("%s: error %v, want %q", p.ID, errs[i], want)
		}
		if errs[i] == nil && (res[i].Stdout() != "ran "+p.ID+"\n" || res[i].Env.Machine != "feedf00d" || res[i].Cached) {
			t.Errorf("%s: %+v", p.ID, res[i])
		}
	}
	if len(f.reqs) != 3 || len(f.reqs[0].Programs) != 4 || len(f.reqs[1].Programs) != 2 || len(f.reqs[2].Programs) != 1 || f.reqs[2].Programs[0].Mode != ModeBench {
		t.Errorf("%d requests, want batches of 4 and 2 run programs, then the benchmark", len(f.reqs))
	}
	if q := f.reqs[0]; q.Limits != r.limits || string(q.GoMod) != "module m\n\ngo 1.26\n" || q.Protocol != RemoteProtocol || q.Schema != WireSchema() {
		t.Errorf("request: limits %+v, go.mod %q, protocol %d %q", q.Limits, q.GoMod, q.Protocol, q.Schema)
	}
	names, _ := os.ReadDir(results)
	if len(names) != 6 { // not the failed one
		t.Errorf("%d entries stored, want 6", len(names))
	}
	for _, n := range names {
		b, _ := os.ReadFile(filepath.Join(results, n.Name()))
		var e entry
		if err := json.Unmarshal(b, &e); err != nil {
			t.Fatal(err)
		}
		if e.Inputs.Go != "go1.99.0" || e.Inputs.Platform != "linux/riscv64" || e.Inputs.Sandbox != "linux" || e.Result.Env.Machine != "feedf00d" ||
			e.Inputs.Key()+".json" != n.Name() {
			t.Errorf("%s: inputs %+v, machine %q", n.Name(), e.Inputs, e.Result.Env.Machine)
		}
	}

	// The next build asks the runner again, and runs only the failed one.
	r2, _ := New(cfg)
	res, errs = r2.RunAll(context.Background(), progs, nil)
	if len(f.reqs) != 4 || len(f.reqs[3].Programs) != 1 || f.reqs[3].Programs[0].ID != "post.md#r5" || !res[0].Cached || errs[0] != nil {
		t.Errorf("second build: %d requests", len(f.reqs))
	}
	// A runner whose Go version changed makes everything run again.
	f.info.Go = "go1.99.1"
	r3, _ := New(cfg)
	r3.RunAll(context.Background(), progs[:1], nil)
	if len(f.reqs) != 5 {
		t.Errorf("a new runner Go version ran nothing")
	}
	// A frozen build needs no runner at all.
	ts.Close()
	fcfg := cfg
	fcfg.Frozen = true
	r4, _ := New(fcfg)
	res, errs = r4.RunAll(context.Background(), progs[:1], nil)
	if errs[0] != nil || !res[0].Cached {
		t.Errorf("frozen build: %v", errs[0])
	}
}

// TestRemoteRefusals: a runner that cannot take this build's programs is
// one clear error for every program, and nothing is stored or sent.
func TestRemoteRefusals(t *testing.T) {
	other := fakeInfo()
	other.Schema, other.Benchpress = "0123456789ab", "v8"
	noSandbox := fakeInfo()
	noSandbox.Sandbox = "none"
	for _, tt := range []struct {
		name    string
		handler http.Handler
		want    string
	}{
		{"other version", &fakeRunner{info: other}, "the runner at URL/ runs benchpress v8 (builder protocol 1, schema 0123456789ab, runner " + RunnerVersion + ") and this build benchpress v0 (protocol 1, schema " + WireSchema() + ", runner " + RunnerVersion + "): run the same benchpress version on both"},
		{"no sandbox", &fakeRunner{info: noSandbox}, `the runner at URL/ does not run programs in the Linux sandbox (it says "none"): start it on Linux with the sandbox`},
		{"not a runner", http.NotFoundHandler(), "the runner at URL/ has no builder API (HTTP 404): is it `benchpress playground serve` started with BENCHPRESS_RUNNER_TOKEN set, of the same benchpress version as this build?"},
		{"server error", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "upstream exploded\nmore", http.StatusBadGateway)
		}), "the runner at URL/ answered HTTP 502: upstream exploded"},
		{"not JSON", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<html>")) }), "the runner at URL/ sent an answer this build cannot read (invalid character '<' looking for beginning of value): run the same benchpress version on both"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ts := httptest.NewServer(tt.handler)
			defer ts.Close()
			results := filepath.Join(t.TempDir(), "results")
			r, err := New(Config{Sandbox: "remote", Remote: Remote{URL: ts.URL, Token: fakeToken, Version: "v0"}, Results: results})
			if err != nil {
				t.Fatal(err)
			}
			_, errs := r.RunAll(context.Background(), remoteProgs(), nil)
			want := strings.ReplaceAll(tt.want, "URL", ts.URL)
			for _, err := range errs {
				if fmt.Sprint(err) != want {
					t.Fatalf("error %v\nwant  %s", err, want)
				}
				if strings.Contains(err.Error(), fakeToken) {
					t.Error("the token is in the error")
				}
			}
			if _, err := os.Stat(results); !os.IsNotExist(err) {
				t.Errorf("something was stored: %v", err)
			}
			if f, ok := tt.handler.(*fakeRunner); ok && len(f.reqs) > 0 {
				t.Error("programs were sent")
			}
		})
	}
	for _, url := range []string{"", "127.0.0.1:8091", "ftp://x/"} {
		if _, err := New(Config{Sandbox: "remote", Remote: Remote{URL: url}}); err == nil || !strings.HasPrefix(err.Error(), "sandbox remote needs the runner's http(s) URL") {
			t.Errorf("URL %q: %v", url, err)
		}
	}
}

// TestRemoteCancel: cancelling a build cancels its request to the runner.
func TestRemoteCancel(t *testing.T) {
	started := make(chan struct{})
	gone := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/builder/v1/info" {
			json.NewEncoder(w).Encode(fakeInfo())
			return
		}
		io.Copy(io.Discard, r.Body) // as the runner does: then it sees the client go
		close(started)
		<-r.Context().Done() // the build went away: the runner kills its programs
		close(gone)
	}))
	defer ts.Close()
	r, err := New(Config{Sandbox: "remote", Remote: Remote{URL: ts.URL, Token: fakeToken}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-started
		cancel()
	}()
	_, errs := r.RunAll(ctx, remoteProgs()[:1], nil)
	if errs[0] != context.Canceled {
		t.Errorf("error %v, want context.Canceled", errs[0])
	}
	<-gone
}

func TestRemoteDeadline(t *testing.T) {
	progs := remoteProgs() // 6 runs, 1 benchmark
	lim := Limits{Timeout: 10 * time.Second}
	if got, want := RemoteDeadline(progs, lim, 4), 2*compileTimeout+2*10*time.Second+BenchTimeout+remoteMargin; got != want {
		t.Errorf("deadline %v, want %v", got, want)
	}
	progs[0].Timeout = time.Minute
	if got, want := RemoteDeadline(progs, lim, 6), 2*compileTimeout+time.Minute+BenchTimeout+remoteMargin; got != want {
		t.Errorf("deadline %v, want %v", got, want)
	}
}

// tokenCatcher is a transport that answers every request with a fake
// runner, as a machine elsewhere would, and records the tokens it got.
type tokenCatcher struct {
	runner *fakeRunner
	mu     sync.Mutex
	tokens []string
}

func (c *tokenCatcher) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.tokens = append(c.tokens, r.Header.Get("Authorization"))
	c.mu.Unlock()
	w := httptest.NewRecorder()
	c.runner.ServeHTTP(w, r)
	return w.Result(), nil
}

// TestRemoteTokenOrigin: config.yaml, which a site commits, names the
// runner; the token goes only to one on loopback or to the origin
// RunnerURLEnv vouches for, so a hostile site cannot collect it.
func TestRemoteTokenOrigin(t *testing.T) {
	for _, tt := range []struct {
		url, vouched string
		sent         bool
	}{
		{"https://evil.example/", "", false},
		{"https://evil.example/", "https://runner.example/", false},
		{"https://evil.example/", "http://evil.example/", false}, // another scheme
		{"https://evil.example:8443/", "https://evil.example/", false},
		{"https://runner.example/", "https://runner.example/", true},
		{"https://RUNNER.example:443/base/", "https://runner.example", true},
		{"http://runner.example:8091/", "http://runner.example:8091/", true},
		{"http://127.0.0.1:8091/", "", true},
		{"http://[::1]:8091/", "", true},
		{"http://localhost:8091/", "", true},
	} {
		catcher := &tokenCatcher{runner: &fakeRunner{info: fakeInfo()}}
		r, err := New(Config{Sandbox: "remote", Remote: Remote{URL: tt.url, Token: fakeToken, Vouched: tt.vouched, Version: "v0", Client: &http.Client{Transport: catcher}}})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		_, errs := r.RunAll(context.Background(), remoteProgs(), func(p Progress) { ids = append(ids, p.ID) })
		sent := len(catcher.tokens) > 0
		if sent != tt.sent {
			t.Errorf("runner %s, %s=%q: token sent %v, want %v (errors %v)", tt.url, RunnerURLEnv, tt.vouched, sent, tt.sent, errs)
			continue
		}
		if !tt.sent {
			u, _ := url.Parse(tt.url)
			want := "is not on this machine, and " + RunnerURLEnv + " does not name it"
			fix := "set " + RunnerURLEnv + "=" + u.Scheme + "://" + u.Host + " beside the token"
			for _, err := range errs {
				if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), fix) || strings.Contains(err.Error(), fakeToken) {
					t.Errorf("runner %s: error %v, want one saying %q and %q", tt.url, err, want, fix)
				}
			}
			// Each program's progress line names it, refusal or not.
			progs := remoteProgs()
			if len(ids) != len(progs) {
				t.Errorf("runner %s: %d progress reports, want one a program (%d)", tt.url, len(ids), len(progs))
			}
			for i, id := range ids {
				if i < len(progs) && id != progs[i].ID {
					t.Errorf("runner %s: progress report %d names %q, want %q", tt.url, i, id, progs[i].ID)
				}
			}
		}
	}
}

// TestRemoteParallelismBound: a runner's word on its parallelism sizes the
// build's batches, so an absurd one is refused, not trusted.
func TestRemoteParallelismBound(t *testing.T) {
	for _, n := range []int{-1, 1<<61 + 1, 1 << 62} {
		info := fakeInfo()
		info.Parallelism = n
		ts := httptest.NewServer(&fakeRunner{info: info})
		r, err := New(Config{Sandbox: "remote", Remote: Remote{URL: ts.URL, Token: fakeToken, Version: "v0"}})
		if err != nil {
			t.Fatal(err)
		}
		_, errs := r.RunAll(context.Background(), remoteProgs(), nil)
		ts.Close()
		if errs[0] == nil || !strings.Contains(errs[0].Error(), "programs at once (at most 1024)") {
			t.Errorf("parallelism %d: %v", n, errs[0])
		}
	}
}
