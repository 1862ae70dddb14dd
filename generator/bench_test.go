package generator

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/benchpress/benchpress/playground"
)

// benchEnv is the environment the fake runner reports a bench block ran in.
var benchEnv = playground.Env{GoVersion: "go1.26.8", GOOS: "linux", GOARCH: "amd64", CPU: "Intel(R) Xeon(R) Processor @ 2.80GHz", NumCPU: 2,
	RanAt: time.Date(2026, 11, 23, 8, 38, 12, 0, time.UTC)}

// readBenchRecording reads a real `go test -bench` output recorded for
// benchreport's tests (see internal/benchreport/testdata/source.txtar).
func readBenchRecording(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "internal", "benchreport", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestBenchSite builds a site with a bench block through a fake runner: the
// report is on the page, the raw text is written where the page's relative
// link points, and an author's mistake is reported at the fence's line.
func TestBenchSite(t *testing.T) {
	post := func(opts string) string {
		return okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\n---\n\n```go bench name=counter " + opts + "\n" +
			"func BenchmarkMutex(b *testing.B) {}\n```\n"
	}
	raw := readBenchRecording(t, "counter.txt")
	runner := func(stdout string) *fakeRunner {
		return &fakeRunner{results: map[string]playground.Result{"content/posts/a.md#counter": {Status: playground.StatusOK,
			Events: []playground.Event{{Stream: playground.Stdout, Data: stdout}}, Env: benchEnv}}}
	}

	root := writeArchive(t, txtar.Parse([]byte(post("baseline=Mutex cpu=1,2"))))
	out, _, err := buildSite(t, root, runner(raw))
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(out, "posts/a/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<div class="bench" data-bench data-runs="6" data-baseline="Mutex">`, `<svg class="bench-svg" role="img"`,
		`<a href="snippet-counter.txt" type="text/plain">snippet-counter.txt</a>`, "<dt>run on</dt><dd>2026-11-23</dd>"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("page lacks %s", want)
		}
	}
	// The link is relative to the page's URL, /posts/a/.
	base, _ := url.Parse("https://example.org/posts/a/")
	target := base.ResolveReference(&url.URL{Path: "snippet-counter.txt"})
	got, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(strings.TrimPrefix(target.Path, "/"))))
	if err != nil || string(got) != raw {
		t.Errorf("raw text at %s: %v (%d bytes, want the %d of the output)", target.Path, err, len(got), len(raw))
	}

	for _, tt := range []struct{ opts, stdout, want string }{
		{"baseline=Nope", raw, `content/posts/a.md:6: go bench: baseline=Nope: the output has no BenchmarkNope (it has Mutex, Sharded, Atomic)`},
		{"", "PASS\n", `content/posts/a.md:6: go bench: no benchmark results in the output: define functions func BenchmarkXxx(b *testing.B)`},
	} {
		root := writeArchive(t, txtar.Parse([]byte(post(tt.opts))))
		_, _, err := buildSite(t, root, runner(tt.stdout))
		if err == nil || strings.Split(err.Error(), "\n")[0] != tt.want {
			t.Errorf("error:\n got: %v\nwant: %s", err, tt.want)
		}
	}
}

// TestBenchNoise builds a post whose benchmark times vary widely: the
// build warns at the line of the benchmark's function, the row is marked
// and its interval shown as a range; the quiet one is left alone.
func TestBenchNoise(t *testing.T) {
	const head = "goos: linux\ngoarch: amd64\npkg: example.com/x\ncpu: Test CPU\n"
	raw := head + strings.Repeat("BenchmarkQuiet-2 \t 100 \t 10 ns/op \t 0 B/op\n", 6)
	for _, ns := range []int{10, 11, 30, 10, 50, 12} {
		raw += fmt.Sprintf("BenchmarkLoud-2 \t 100 \t %d ns/op \t 0 B/op\n", ns)
	}
	site := okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\n---\n\n```go bench name=n baseline=Quiet\n" +
		"func BenchmarkQuiet(b *testing.B) {}\n\nfunc BenchmarkLoud(b *testing.B) {}\n```\n"
	runner := &fakeRunner{results: map[string]playground.Result{"content/posts/a.md#n": {Status: playground.StatusOK,
		Events: []playground.Event{{Stream: playground.Stdout, Data: raw}}, Env: benchEnv}}}
	for _, tt := range []struct {
		config string
		warn   string
	}{
		{"", "content/posts/a.md:9: BenchmarkLoud-2 is noisy (±335%): rerun on a quieter machine\n"},
		{"bench:\n  noise: 100%\n", "content/posts/a.md:9: BenchmarkLoud-2 is noisy (±335%): rerun on a quieter machine\n"}, // at any threshold allowed
		{"bench:\n  noise: 5%\n", "content/posts/a.md:9: BenchmarkLoud-2 is noisy (±335%): rerun on a quieter machine\n"},
	} {
		root := writeArchive(t, txtar.Parse([]byte(strings.Replace(site, "-- content", tt.config+"-- content", 1))))
		var log strings.Builder
		out := filepath.Join(t.TempDir(), "public")
		if _, err := Build(t.Context(), Options{Root: root, Out: out, Theme: testTheme, Runner: runner, Now: testNow, Log: &log}); err != nil {
			t.Fatal(err)
		}
		if got := log.String(); got != tt.warn {
			t.Errorf("config %q: build log\n%s\nwant\n%s", tt.config, got, tt.warn)
		}
		page, err := os.ReadFile(filepath.Join(out, "posts/a/index.html"))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{`<tr class="bench-noisy"><th scope="row">Loud</th>`,
			`<span class="bench-ci bench-range">10.00 ns to 50.00 ns</span> <span class="bench-noise">noisy, ±335%</span>`,
			`<tr class="bench-baseline"><th scope="row">Quiet</th><td class="num bench-value">10.00 ns/op <span class="bench-ci">±0%</span>`,
			"<strong>0 B/op</strong> in every run", "<strong>Noisy measurements.</strong> The time of Loud (±335%) varied more than ±"} {
			if !strings.Contains(string(page), want) {
				t.Errorf("config %q: page lacks %s", tt.config, want)
			}
		}
		if strings.Contains(string(page), ">B/op</th>") {
			t.Errorf("config %q: the table has a B/op column, though every run allocated nothing", tt.config)
		}
	}
}
