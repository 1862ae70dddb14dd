package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/benchpress/benchpress/playground"
	"github.com/benchpress/benchpress/playground/server"
)

const testToken = "remote-test-token-0123456789abcdef"

// externalRunner, when set, is the URL of a runner the remote build tests
// use instead of one of their own (a container started as the README
// says; its token in BENCHPRESS_TEST_RUNNER_TOKEN): `BENCHPRESS_TEST_RUNNER=URL
// go test -run 'TestRemoteBuild|TestExampleSiteRemote' .`.
var externalRunner = os.Getenv("BENCHPRESS_TEST_RUNNER")

// startRunner serves `playground serve` with the builder API (token, if
// not empty) on a free loopback port until the test ends, and returns its
// URL and its log.
func startRunner(t testing.TB, token string) (string, *syncBuffer) {
	t.Helper()
	r, err := playground.New(playground.Config{Sandbox: "linux"})
	if err != nil {
		t.Fatal(err)
	}
	log := &syncBuffer{}
	cfg := server.Config{Runner: r, Log: slog.New(slog.NewJSONHandler(log, nil))}
	if token != "" {
		cfg.Builder = &server.Builder{Token: token, Version: "test", Log: log}
	}
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return "http://" + ln.Addr().String() + "/", log
}

// testRunner is the runner a remote build test builds against, with the
// build's token set: externalRunner when given, else one started here.
func testRunner(t *testing.T) (string, *syncBuffer) {
	t.Helper()
	if externalRunner != "" {
		t.Setenv(playground.TokenEnv, os.Getenv("BENCHPRESS_TEST_RUNNER_TOKEN"))
		return externalRunner, &syncBuffer{}
	}
	t.Setenv(playground.TokenEnv, testToken)
	return startRunner(t, testToken)
}

// remoteSite is a small site of run blocks (one printing to stderr and
// failing on purpose, one that does not compile on purpose) and one
// benchmark block, with config as its playground section.
func remoteSite(playgroundSection string) map[string]string {
	files := shardSite(0, 2, 1)
	files["config.yaml"] = "title: Remote\nbaseURL: https://example.org/\nplayground:\n" + playgroundSection
	files["content/posts/odd.md"] = "---\ntitle: Odd\ndate: 2026-03-01\n---\nFails.\n\n" +
		"```go run name=fail expect=fail\nfmt.Fprintln(os.Stderr, \"boom\")\nos.Exit(3)\n```\n\n" +
		"```go run name=broken expect=compile-error\nfmt.Println(undefined)\n```\n\n" +
		"```go run name=args args=\"a b\" stdin=in.txt\nb, _ := io.ReadAll(os.Stdin)\nfmt.Println(os.Args[1:], string(b))\n```\n"
	files["content/posts/in.txt"] = "from stdin\n"
	return files
}

// normalEntry is a stored entry without what differs between two runs of
// one program: its duration and time, and a benchmark's figures and the
// load it ran under.
func normalEntry(t testing.TB, data string) string {
	t.Helper()
	var e map[string]any
	if err := json.Unmarshal([]byte(data), &e); err != nil {
		t.Fatal(err)
	}
	res := e["result"].(map[string]any)
	delete(res, "durationMs")
	delete(res["env"].(map[string]any), "RanAt")
	if externalRunner != "" {
		// A container is a machine of its own.
		delete(res["env"].(map[string]any), "Machine")
	}
	if e["inputs"].(map[string]any)["mode"] == "bench" {
		delete(res, "events")
		delete(res["env"].(map[string]any), "Load")
	}
	b, _ := json.MarshalIndent(e, "", " ")
	return string(b)
}

// storeOf reads a site's results store, normalised.
func storeOf(t testing.TB, site string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for name, data := range readTree(t, filepath.Join(site, ".benchpress/results")) {
		out[name] = normalEntry(t, data)
	}
	return out
}

// runTime matches a run time in a page: data-duration="56ms", "exit 0 · 56 ms".
var runTime = regexp.MustCompile(`\b[0-9.]+ ?(ns|µs|ms|s)\b`)

// TestRemoteBuild builds one site twice, with the sandbox here and with
// sandbox: remote against a runner on a loopback port: the results stores
// hold the same keys and the same results (run times and benchmark
// figures aside), and a local build over the remote build's store runs
// nothing and writes the very pages the remote build wrote.
func TestRemoteBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and runs real programs")
	}
	url, runnerLog := testRunner(t)

	local := t.TempDir()
	writeInto(t, local, remoteSite("  sandbox: linux\n"))
	var llog bytes.Buffer
	lst, err := buildSite(context.Background(), buildFlags{root: local}, false, newConsole(&llog, local, false))
	if err != nil {
		sandboxOrSkip(t, err.Error())
		t.Fatalf("local build: %v\n%s", err, llog.String())
	}

	remote := t.TempDir()
	writeInto(t, remote, remoteSite("  sandbox: remote\n  runner: "+url+"\n"))
	var rlog bytes.Buffer
	rst, err := buildSite(context.Background(), buildFlags{root: remote}, false, newConsole(&rlog, remote, false))
	if err != nil {
		t.Fatalf("remote build: %v\n%s\nrunner log:\n%s", err, rlog.String(), runnerLog.String())
	}
	if rst.SnippetsRun != lst.SnippetsRun || rst.SnippetsRun != 6 || rst.SnippetsCached != 0 {
		t.Errorf("remote build ran %d and took %d from the store; local ran %d, want 6 and 0", rst.SnippetsRun, rst.SnippetsCached, lst.SnippetsRun)
	}
	if externalRunner == "" && !strings.Contains(runnerLog.String(), `"path":"/builder/v1/run"`) {
		t.Errorf("the runner ran nothing:\n%s", runnerLog.String())
	}
	ls, rs := storeOf(t, local), storeOf(t, remote)
	if len(rs) != 6 {
		t.Errorf("remote store holds %d entries, want 6", len(rs))
	}
	for name, want := range ls {
		if got, ok := rs[name]; !ok {
			t.Errorf("remote store lacks %s, the key of\n%s", name, want)
		} else if got != want {
			t.Errorf("%s differs:\nremote %s\nlocal  %s", name, got, want)
		}
	}

	// Pages: the same, but for run times and benchmark figures, which no
	// two runs share.
	lp, rp := readTree(t, filepath.Join(local, "public")), readTree(t, filepath.Join(remote, "public"))
	same := 0
	for name, want := range lp {
		if strings.Contains(want, "Benchmark") {
			continue
		}
		same++
		if runTime.ReplaceAllString(rp[name], "T") != runTime.ReplaceAllString(want, "T") {
			t.Errorf("page %s differs between the local and the remote build", name)
		}
	}
	if len(lp) != len(rp) || same < 5 {
		t.Errorf("local build wrote %d files, remote %d; %d compared", len(lp), len(rp), same)
	}

	// A local build over the remote build's store runs nothing: the keys
	// are a local build's. Its pages are byte for byte the remote build's.
	again := t.TempDir()
	copyTree(t, remote, again)
	writeInto(t, again, map[string]string{"config.yaml": remoteSite("  sandbox: linux\n")["config.yaml"]})
	os.RemoveAll(filepath.Join(again, "public"))
	ast, err := buildSite(context.Background(), buildFlags{root: again}, false, newConsole(&llog, again, false))
	if err != nil {
		t.Fatalf("local build over the remote store: %v", err)
	}
	if ast.SnippetsRun != 0 {
		t.Errorf("a local build over the remote build's store ran %d snippets, want 0:\n%s", ast.SnippetsRun, llog.String())
	}
	ap := readTree(t, filepath.Join(again, "public"))
	for name, want := range rp {
		if ap[name] != want {
			t.Errorf("page %s differs between the remote build and a local build of its results", name)
		}
	}
	if strings.Contains(runnerLog.String(), testToken) || strings.Contains(rlog.String(), testToken) {
		t.Error("the token is in a log")
	}
}

// TestRemoteRefused: a wrong or missing token, a runner without the
// builder API and a runner that is not there are each one clear error,
// and the build writes nothing.
func TestRemoteRefused(t *testing.T) {
	withAPI, withLog := startRunner(t, testToken)
	without, _ := startRunner(t, "")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gone := "http://" + ln.Addr().String() + "/"
	ln.Close()

	for _, tt := range []struct {
		name, url, token, want string
	}{
		{"wrong token", withAPI, "not-the-token-0123456789", "the runner at " + withAPI + " refused this build's token: set BENCHPRESS_RUNNER_TOKEN to the token the runner was started with"},
		{"no token", withAPI, "", "playground.sandbox is remote, but BENCHPRESS_RUNNER_TOKEN is not set: set it to the token the runner at " + withAPI + " was started with (it is never read from config.yaml), or build with --frozen to render stored results only"},
		{"no builder API", without, testToken, "the runner at " + without + ": this playground server offers no builder API: start it with BENCHPRESS_RUNNER_TOKEN set (to the token builds use) to run builds' programs"},
		{"unreachable", gone, testToken, "cannot reach the runner at " + gone + " ("},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(playground.TokenEnv, tt.token)
			site := t.TempDir()
			writeInto(t, site, remoteSite("  sandbox: remote\n  runner: "+tt.url+"\n"))
			var log bytes.Buffer
			_, err := buildSite(context.Background(), buildFlags{root: site}, false, newConsole(&log, site, false))
			if err == nil {
				t.Fatal("build succeeded")
			}
			first, _, _ := strings.Cut(err.Error(), "\n")
			if !strings.HasPrefix(first, "content/posts/") || !strings.Contains(first, ": "+tt.want) {
				t.Errorf("error %q\nwant one naming the snippet and saying %q", first, tt.want)
			}
			if strings.Contains(err.Error(), testToken) || strings.Contains(log.String(), testToken) || strings.Contains(withLog.String(), testToken) {
				t.Error("the token is in an error or a log")
			}
			// The build lock stays, as after any build; nothing else is new.
			for name := range readTree(t, site) {
				if _, ok := remoteSite("")[name]; !ok && name != ".public.benchpress.lock" {
					t.Errorf("the build wrote %s", name)
				}
			}
		})
	}
}

// TestExampleSiteRemote is the acceptance check: the example site
// built with sandbox: remote against a `playground serve` on a loopback
// port, then built here over the store the runner's results made: the
// local build runs nothing and writes the very pages the remote build
// wrote. The run blocks' results are dropped from the committed store, so
// they all run on the runner; the benchmarks' are kept (the remote build
// finds them under the keys a local build computes), because on a
// machine as busy as a test's their claims may not hold (TestRemoteBuild
// runs a benchmark on the runner). A store older than the way benchmarks
// are measured runs them too, as TestExampleSite then does.
func TestExampleSiteRemote(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every go run block of the example site")
	}
	url, runnerLog := testRunner(t)
	site := t.TempDir()
	for _, dir := range []string{"content", "themes", ".benchpress/results"} {
		if _, err := os.Stat(dir); err == nil {
			copyTree(t, dir, filepath.Join(site, dir))
		}
	}
	runEntries := func() map[string]bool {
		names := map[string]bool{}
		for name, data := range readTree(t, filepath.Join(site, ".benchpress/results")) {
			var e struct{ Inputs struct{ Mode string } }
			if err := json.Unmarshal([]byte(data), &e); err != nil {
				t.Fatal(err)
			}
			if e.Inputs.Mode == "run" {
				names[name] = true
			}
		}
		return names
	}
	dropped := runEntries()
	for name := range dropped {
		if err := os.Remove(filepath.Join(site, ".benchpress/results", name)); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := os.ReadFile("config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	linuxCfg := string(cfg)
	if !strings.Contains(linuxCfg, "  sandbox: linux\n") {
		t.Fatal("config.yaml no longer says sandbox: linux")
	}
	remoteCfg := strings.Replace(linuxCfg, "  sandbox: linux\n", "  sandbox: remote\n  runner: "+url+"\n", 1)
	writeInto(t, site, map[string]string{"config.yaml": remoteCfg})
	var log bytes.Buffer
	rst, err := buildSite(context.Background(), buildFlags{root: site}, false, newConsole(&log, site, false))
	if err != nil {
		sandboxOrSkip(t, err.Error())
		t.Fatalf("remote build: %v\n%s\nrunner log:\n%s", err, log.String(), runnerLog.String())
	}
	// The run blocks ran on the runner and were stored under the very
	// names a local build gave them; the benchmarks ran too if the
	// committed store is older than the way benchmarks are measured now.
	if rst.SnippetsRun == 0 || rst.SnippetsRun+rst.SnippetsCached != rst.Snippets {
		t.Errorf("remote build: %d snippets, %d run, %d from the store", rst.Snippets, rst.SnippetsRun, rst.SnippetsCached)
	}
	again := runEntries()
	for name := range again {
		if !dropped[name] {
			t.Errorf("the remote build stored %s, a name the local build did not give it", name)
		}
	}
	if len(again) == 0 {
		t.Error("the remote build stored no run block's result")
	}
	remotePages := readTree(t, filepath.Join(site, "public"))

	writeInto(t, site, map[string]string{"config.yaml": linuxCfg})
	out := filepath.Join(t.TempDir(), "public")
	lst, err := buildSite(context.Background(), buildFlags{root: site, out: out}, false, newConsole(&log, site, false))
	if err != nil {
		t.Fatalf("local build: %v\n%s", err, log.String())
	}
	if lst.SnippetsRun != 0 {
		t.Errorf("local build over the remote results ran %d snippets, want 0", lst.SnippetsRun)
	}
	localPages := readTree(t, out)
	if len(localPages) != len(remotePages) {
		t.Errorf("remote build wrote %d files, local %d", len(remotePages), len(localPages))
	}
	for name, want := range localPages {
		if remotePages[name] != want {
			t.Errorf("%s differs between the remote and the local build", name)
		}
	}
	t.Logf("example site: %d snippets run on the runner", rst.SnippetsRun)
}
