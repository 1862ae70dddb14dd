package server

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/benchpress/benchpress/internal/benchreport"
	"github.com/benchpress/benchpress/internal/benchstats"
	"github.com/benchpress/benchpress/playground"
)

var update = flag.Bool("update", false, "rewrite golden files")

// rerunOutput is canned `go test -bench` output: Sharded is clearly faster
// than Mutex, Atomic not distinguishable from it, and Spin noisy.
func rerunOutput() string {
	var b strings.Builder
	b.WriteString("goos: linux\ngoarch: amd64\npkg: example\ncpu: Test CPU @ 2.00GHz\n")
	mutex := []float64{100, 101, 99, 102, 100, 98}
	sharded := []float64{30, 31, 29, 30, 32, 30}
	atomic := []float64{99, 103, 98, 101, 100, 104}
	spin := []float64{50, 120, 60, 200, 45, 90}
	for i := range 6 {
		fmt.Fprintf(&b, "BenchmarkMutex-2   \t 1000000\t %.1f ns/op\t 0 B/op\t 0 allocs/op\n", mutex[i])
		fmt.Fprintf(&b, "BenchmarkSharded-2 \t 1000000\t %.1f ns/op\t 0 B/op\t 0 allocs/op\n", sharded[i])
		fmt.Fprintf(&b, "BenchmarkAtomic-2  \t 1000000\t %.1f ns/op\t 0 B/op\t 0 allocs/op\n", atomic[i])
		fmt.Fprintf(&b, "BenchmarkSpin-2    \t 1000000\t %.1f ns/op\t 0 B/op\t 0 allocs/op\n", spin[i])
	}
	b.WriteString("PASS\n")
	return b.String()
}

// TestBenchReport: a benchmark run's answer carries the report as the
// author's page has it (same medians, intervals, ratios, ~ and units), as
// JSON; the golden file is the contract with js/playground.js.
func TestBenchReport(t *testing.T) {
	ok := playground.Result{Status: playground.StatusOK, Events: []playground.Event{{Stream: playground.Stdout, Data: rerunOutput()}}}
	tests := []struct {
		name     string
		res      playground.Result
		baseline string
		golden   string // file under testdata with the Bench field, or ""
		benchErr string // want in BenchError
		warning  string // want among the report's warnings
	}{
		{"against a baseline", ok, "Mutex", "bench-report.golden.json", "", "Spin (±"},
		{"Benchmark prefix", ok, "BenchmarkMutex", "bench-report.golden.json", "", ""},
		{"no baseline", ok, "", "bench-report-nobaseline.golden.json", "", ""},
		{"baseline the edited program lost", ok, "Gone", "bench-report-nobaseline-warned.golden.json", "", "No ratios: baseline=Gone: the output has no BenchmarkGone (it has Mutex, Sharded, Atomic, Spin)."},
		{"no results", playground.Result{Status: playground.StatusOK, Events: []playground.Event{{Stream: playground.Stdout, Data: "PASS\n"}}}, "Mutex", "",
			"no benchmark results in the output: define functions func BenchmarkXxx(b *testing.B)", ""},
		{"did not finish", playground.Result{Status: playground.StatusTimeout, Events: ok.Events}, "Mutex", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ts := newTestServer(t, Config{Runner: &fakeRunner{res: tt.res}})
			r := post(t, ts.URL+"/compile", Request{Body: "package main", Mode: "bench", Baseline: tt.baseline})
			if r.code != 200 {
				t.Fatalf("status %d: %s", r.code, r.raw)
			}
			if r.resp.BenchError != tt.benchErr {
				t.Errorf("BenchError %q, want %q", r.resp.BenchError, tt.benchErr)
			}
			if tt.golden == "" {
				if r.resp.Bench != nil {
					t.Errorf("a report for a run without results: %+v", r.resp.Bench)
				}
				return
			}
			if r.resp.Bench == nil {
				t.Fatalf("no report: %s", r.raw)
			}
			if tt.warning != "" && !strings.Contains(strings.Join(r.resp.Bench.Warnings, "\n"), tt.warning) {
				t.Errorf("warnings %q, want one with %q", r.resp.Bench.Warnings, tt.warning)
			}
			got, err := json.MarshalIndent(r.resp.Bench, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", tt.golden)
			if *update && tt.baseline != "BenchmarkMutex" {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("report differs from %s (go test -update to accept):\n%s", path, got)
			}
			// The page shows BenchHTML as it is: it must be the build's own
			// report of the same output, so the two share one layout.
			res, err := benchstats.Analyse(rerunOutput(), tt.baseline)
			if err != nil {
				res, _ = benchstats.Analyse(rerunOutput(), "")
			}
			res.Noise = 0.1 // the server's default bench.noise
			blk := benchreport.Block{ID: "rerun", Caption: "Rerun results", Benchtime: "100ms"}
			for _, w := range r.resp.Bench.Warnings {
				if strings.HasPrefix(w, "No ratios: ") {
					blk.Notes = append(blk.Notes, w)
				}
			}
			if want := string(benchreport.Render(res, blk)); r.resp.BenchHTML != want {
				t.Errorf("BenchHTML is not the build's report of the same output:\n got: %s\nwant: %s", r.resp.BenchHTML, want)
			}
		})
	}
}

// TestBenchReportID: the fragment's element IDs take the page's block
// anchor, so two reruns on one page never share an ID; anything that is
// not an HTML id is refused before anything runs.
func TestBenchReportID(t *testing.T) {
	ok := playground.Result{Status: playground.StatusOK, Events: []playground.Event{{Stream: playground.Stdout, Data: rerunOutput()}}}
	_, ts := newTestServer(t, Config{Runner: &fakeRunner{res: ok}})
	r := post(t, ts.URL+"/compile", Request{Body: "package main", Mode: "bench", Baseline: "Mutex", ReportID: "snippet-lookup"})
	if r.code != 200 || !strings.Contains(r.resp.BenchHTML, `id="snippet-lookup-caption"`) || strings.Contains(r.resp.BenchHTML, `id="rerun-`) {
		t.Errorf("ReportID snippet-lookup: %d, fragment %.300s", r.code, r.resp.BenchHTML)
	}
	// The longest anchor a bench block can have (name= of 243 bytes, the
	// most its snippet-NAME.txt may take) is accepted as playground.js
	// sends it.
	long := "snippet-" + strings.Repeat("n", 243) + "-rerun"
	if r := post(t, ts.URL+"/compile", Request{Body: "package main", Mode: "bench", ReportID: long}); r.code != 200 || !strings.Contains(r.resp.BenchHTML, `id="`+long+`-caption"`) {
		t.Errorf("ReportID of the longest block anchor: %d %q", r.code, r.resp.Errors)
	}
	for _, id := range []string{`x" onclick="alert(1)`, "1st", "a b", strings.Repeat("a", 301)} {
		r := post(t, ts.URL+"/compile", Request{Body: "package main", Mode: "bench", ReportID: id})
		if want := fmt.Sprintf("ReportID %q: want an HTML id of at most 300 ASCII letters, digits, - and _, starting with a letter", id); r.code != 400 || r.resp.Errors != want {
			t.Errorf("ReportID %q: %d %q, want 400 %q", id, r.code, r.resp.Errors, want)
		}
	}
}
