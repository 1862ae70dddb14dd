package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/benchpress/benchpress/playground"
)

const builderToken = "builder-test-token-0123456789abcdef"

// builderReply makes one builder API request and returns its status and
// the error it says, if any.
func builderReply(t *testing.T, method, url, token string, body any, hdr ...string) (int, string, []byte) {
	t.Helper()
	var rd *bytes.Reader
	switch b := body.(type) {
	case nil:
		rd = bytes.NewReader(nil)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, _ := json.Marshal(b)
		rd = bytes.NewReader(data)
	}
	req, _ := http.NewRequest(method, url, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	r := do(t, req)
	var e playground.RemoteError
	json.Unmarshal([]byte(r.raw), &e)
	return r.code, e.Error, []byte(r.raw)
}

func TestBuilderAbsent(t *testing.T) {
	_, ts := newTestServer(t, Config{})
	for _, path := range []string{"/builder/v1/info", "/builder/v1/run"} {
		code, msg, _ := builderReply(t, "GET", ts.URL+path, builderToken, nil)
		if code != http.StatusNotFound || msg != "this playground server offers no builder API: start it with BENCHPRESS_RUNNER_TOKEN set (to the token builds use) to run builds' programs" {
			t.Errorf("%s without a token configured: %d %q", path, code, msg)
		}
	}
}

func TestBuilderRefusals(t *testing.T) {
	if _, err := New(Config{Runner: &fakeRunner{}, Builder: &Builder{Token: "short"}}); err == nil || !strings.Contains(err.Error(), "BENCHPRESS_RUNNER_TOKEN is shorter than 16 characters") {
		t.Errorf("short token: %v", err)
	}
	var log syncBuffer
	_, ts := newTestServer(t, Config{Log: slog.New(slog.NewJSONHandler(&log, nil)), Builder: &Builder{Token: builderToken, MaxBody: 4 << 10}})
	info, run := ts.URL+"/builder/v1/info", ts.URL+"/builder/v1/run"
	good := playground.RemoteRequest{Protocol: playground.RemoteProtocol, Schema: playground.WireSchema(),
		Programs: []playground.Program{{ID: "p", Mode: playground.ModeRun, Files: []playground.File{{Name: "main.go", Data: []byte("package main\nfunc main() {}\n")}}}}}
	with := func(f func(r *playground.RemoteRequest)) playground.RemoteRequest {
		r := good
		r.Programs = append([]playground.Program(nil), good.Programs...)
		f(&r)
		return r
	}
	const wrong = "wrong or missing token: set BENCHPRESS_RUNNER_TOKEN to the token the runner was started with"
	for _, tt := range []struct {
		name, method, url, token string
		body                     any
		hdr                      []string
		code                     int
		msg                      string
	}{
		{"no token", "GET", info, "", nil, nil, 401, wrong},
		{"wrong token", "GET", info, "x" + builderToken[1:], nil, nil, 401, wrong},
		{"token prefix", "GET", info, builderToken[:20], nil, nil, 401, wrong},
		{"not bearer", "GET", info, "", nil, []string{"Authorization", "Basic " + builderToken}, 401, wrong},
		{"run without token", "POST", run, "", good, nil, 401, wrong},
		{"browser", "GET", info, builderToken, nil, []string{"Origin", "https://blog.example"}, 403, "the builder API does not answer browsers"},
		{"wrong method", "GET", run, builderToken, nil, nil, 405, "use POST"},
		{"too large", "POST", run, builderToken, with(func(r *playground.RemoteRequest) { r.Programs[0].Stdin = bytes.Repeat([]byte("x"), 8<<10) }), nil, 413, "request larger than 4096 bytes: send fewer programs at once"},
		{"bad JSON", "POST", run, builderToken, []byte("{"), nil, 400, "bad request: unexpected end of JSON input"},
		{"other version", "POST", run, builderToken, with(func(r *playground.RemoteRequest) { r.Schema = "000000000000" }), nil, 409, "this runner (benchpress (devel)) speaks builder protocol 1, schema " + playground.WireSchema() + "; the build sent protocol 1, schema 000000000000: run the same benchpress version on both"},
		{"no programs", "POST", run, builderToken, with(func(r *playground.RemoteRequest) { r.Programs = nil }), nil, 400, "0 programs: send 1 to 4096 at once"},
		{"memory cap", "POST", run, builderToken, with(func(r *playground.RemoteRequest) { r.Limits.Memory = 64 << 30 }), nil, 400, "the build's memory limit (68719476736) is over this runner's cap (8589934592): lower it in config.yaml's playground section"},
		{"timeout cap", "POST", run, builderToken, with(func(r *playground.RemoteRequest) { r.Programs[0].Timeout = 2 * time.Hour }), nil, 400, "p: timeout 2h0m0s is over this runner's cap of 1h0m0s"},
		{"local replace", "POST", run, builderToken, with(func(r *playground.RemoteRequest) { r.GoMod = []byte("module m\n\nreplace x => ../../etc\n") }), nil, 400, "go.mod:3: replace with a local directory (../../etc) is not allowed"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, msg, _ := builderReply(t, tt.method, tt.url, tt.token, tt.body, tt.hdr...)
			if code != tt.code || msg != tt.msg {
				t.Errorf("%d %q\nwant %d %q", code, msg, tt.code, tt.msg)
			}
		})
	}
	// The right token is taken: the runner answers, or says why it
	// cannot run programs here.
	code, msg, raw := builderReply(t, "GET", info, builderToken, nil)
	switch code {
	case 200:
		var got playground.RemoteInfo
		if err := json.Unmarshal(raw, &got); err != nil || got.Protocol != playground.RemoteProtocol || got.Schema != playground.WireSchema() ||
			got.Sandbox != "linux" || !strings.HasPrefix(got.Go, "go1") || got.Platform == "" || got.MaxBody != 4<<10 || got.Parallelism < 1 {
			t.Errorf("info: %v %+v", err, got)
		}
	case 503:
		if !strings.HasPrefix(msg, "this runner cannot run programs: ") {
			t.Errorf("info: 503 %q", msg)
		}
	default:
		t.Errorf("info with the right token: %d %q", code, msg)
	}
	if strings.Contains(log.String(), builderToken[:20]) {
		t.Errorf("the token is in the log:\n%s", log.String())
	}
	if !strings.Contains(log.String(), `"path":"/builder/v1/info","status":401`) {
		t.Errorf("refusals are not logged:\n%s", log.String())
	}
}

// buildsNow reads the builder's running and waiting requests from /health.
func buildsNow(t *testing.T, url string) (running, waiting int) {
	t.Helper()
	res, err := http.Get(url + "/health")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var h struct {
		Builds *struct{ Running, Waiting int }
	}
	if err := json.NewDecoder(res.Body).Decode(&h); err != nil || h.Builds == nil {
		t.Fatalf("health: %v %+v", err, h)
	}
	return h.Builds.Running, h.Builds.Waiting
}

// waitBuilds waits until /health shows running and waiting builder
// requests, failing after a minute.
func waitBuilds(t *testing.T, url string, running, waiting int, why string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		r, w := buildsNow(t, url)
		if r == running && w == waiting {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %d running and %d waiting, want %d and %d", why, r, w, running, waiting)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestBuilderOneAtATime: the builder API runs one build's request at a
// time (a second waits for it), and a build that goes away has its
// programs killed and gives its turn to the next.
func TestBuilderOneAtATime(t *testing.T) {
	needSandbox(t)
	url, _ := startServer(t, Config{Builder: &Builder{Token: builderToken}})
	send := func(ctx context.Context, body string) (playground.RemoteResponse, error) {
		req := playground.RemoteRequest{Protocol: playground.RemoteProtocol, Schema: playground.WireSchema(),
			Programs: []playground.Program{{ID: "p", Mode: playground.ModeRun, Timeout: 10 * time.Minute,
				Files: []playground.File{{Name: "main.go", Data: []byte(body)}}}}}
		data, _ := json.Marshal(req)
		hr, _ := http.NewRequestWithContext(ctx, "POST", url+"/builder/v1/run", bytes.NewReader(data))
		hr.Header.Set("Authorization", "Bearer "+builderToken)
		var resp playground.RemoteResponse
		res, err := http.DefaultClient.Do(hr)
		if err != nil {
			return resp, err
		}
		defer res.Body.Close()
		if res.StatusCode != 200 {
			return resp, fmt.Errorf("HTTP %d", res.StatusCode)
		}
		return resp, json.NewDecoder(res.Body).Decode(&resp)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	first := make(chan error, 1)
	go func() {
		_, err := send(ctx, "package main\n\nimport \"time\"\n\nfunc main() { time.Sleep(10 * time.Minute) }\n")
		first <- err
	}()
	waitBuilds(t, url, 1, 0, "the first build")
	second := make(chan playground.RemoteResponse, 1)
	go func() {
		resp, err := send(context.Background(), helloWorld)
		if err != nil {
			t.Error(err)
		}
		second <- resp
	}()
	waitBuilds(t, url, 1, 1, "the second build, while the first runs")
	cancel()
	if err := <-first; !errors.Is(err, context.Canceled) {
		t.Errorf("first build: %v", err)
	}
	// The second runs only once the first's program is killed: it would
	// otherwise sleep for ten minutes.
	resp := <-second
	if len(resp.Results) != 1 || resp.Results[0].Stdout() != "hello, world\n" || resp.Errors[0] != "" {
		t.Errorf("second build: %+v", resp)
	}
	waitBuilds(t, url, 0, 0, "after both")
}

// TestBuilderMaxTime: a request's programs still running when the
// runner's time budget per request runs out are stopped and fail, saying
// why, and the response comes then, not when their own timeouts would end.
func TestBuilderMaxTime(t *testing.T) {
	needSandbox(t)
	url, _ := startServer(t, Config{Builder: &Builder{Token: builderToken, MaxTime: 3 * time.Second}})
	req := playground.RemoteRequest{Protocol: playground.RemoteProtocol, Schema: playground.WireSchema(),
		Programs: []playground.Program{{ID: "sleeper", Mode: playground.ModeRun, Timeout: 10 * time.Minute,
			Files: []playground.File{{Name: "main.go", Data: []byte("package main\n\nimport \"time\"\n\nfunc main() { time.Sleep(10 * time.Minute) }\n")}}}}}
	start := time.Now()
	code, msg, raw := builderReply(t, "POST", url+"/builder/v1/run", builderToken, req)
	if code != http.StatusOK {
		t.Fatalf("HTTP %d %q", code, msg)
	}
	var resp playground.RemoteResponse
	if err := json.Unmarshal(raw, &resp); err != nil {
		t.Fatal(err)
	}
	want := "sleeper: stopped: this runner gives a request at most 3s (--builder-max-time), and the request's programs took longer: split the build's programs over more requests or shards, or raise the runner's limit"
	if len(resp.Errors) != 1 || resp.Errors[0] != want {
		t.Errorf("errors = %q, want %q", resp.Errors, want)
	}
	if took := time.Since(start); took > 5*time.Minute {
		t.Errorf("the response came after %v: the program ran on past the budget", took)
	}
}
