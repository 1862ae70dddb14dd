package generator

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/benchpress/benchpress/playground"
)

// claimsOutput is canned `go test -bench` output: Sharded is clearly
// faster than Mutex (0.30x, p=0.002), Atomic not distinguishable from it.
func claimsOutput() string {
	var b strings.Builder
	b.WriteString("goos: linux\ngoarch: amd64\npkg: example\ncpu: Test CPU @ 2.00GHz\n")
	mutex := []float64{100, 101, 99, 102, 100, 98}
	sharded := []float64{30, 31, 29, 30, 32, 30}
	atomic := []float64{99, 103, 98, 101, 100, 104}
	for i := range 6 {
		fmt.Fprintf(&b, "BenchmarkMutex \t 1000000\t %g ns/op\n", mutex[i])
		fmt.Fprintf(&b, "BenchmarkSharded \t 1000000\t %g ns/op\n", sharded[i])
		fmt.Fprintf(&b, "BenchmarkAtomic \t 1000000\t %g ns/op\n", atomic[i])
	}
	return b.String() + "PASS\n"
}

// checksSite is a post with one go bench block (fence on line 5) and one go
// run block (fence on line 12), whose options the test fills in.
func checksSite(benchOpts, runOpts string, files ...string) string {
	s := okConfig + `-- content/posts/a.md --
---
title: A
date: 2026-01-01
---
` + "```go bench name=locks " + benchOpts + `
func BenchmarkMutex(b *testing.B)   {}
func BenchmarkSharded(b *testing.B) {}
func BenchmarkAtomic(b *testing.B)  {}
` + "```" + `

The simulation:
` + "```go run name=sim " + runOpts + `
fmt.Println("hit rate: 0.83")
` + "```\n"
	for i := 0; i+1 < len(files); i += 2 {
		s += "-- " + files[i] + " --\n" + files[i+1]
	}
	return s
}

func checksRunner() *fakeRunner {
	bench := playground.Result{Status: playground.StatusOK, Events: []playground.Event{{Stream: playground.Stdout, Data: claimsOutput()}}}
	return &fakeRunner{results: map[string]playground.Result{
		// Rounds of extra runs measure the same again.
		"content/posts/a.md#locks": bench, "content/posts/a.md#locks#extra1": bench, "content/posts/a.md#locks#extra2": bench,
		"content/posts/a.md#sim": {Status: playground.StatusOK, Events: []playground.Event{
			{Stream: playground.Stdout, Data: "cache size 64\n"}, {Stream: playground.Stderr, Data: "warming up\n"},
			{Stream: playground.Stdout, Data: "\x1b[1mhit rate: 0.83\x1b[0m\n"}}},
	}}
}

// TestChecks: claims on bench blocks and output checks on run blocks hold,
// or fail the build at the fence's line with the measured figures.
func TestChecks(t *testing.T) {
	const want = "cache size 64\nwarming up\nhit rate: 0.83\n"
	tests := []struct {
		name, site string
		want       string // the build's error, "" for none
	}{
		{"claims hold", checksSite(`baseline=Mutex claim="Sharded < Mutex; Sharded <= 0.3x Mutex; Atomic ~ Mutex; Mutex > 3x Sharded"`, ""), ""},
		// Six runs give no interval at a claim's level: the bound is refuted
		// once a round of extra runs gives one that excludes it.
		{"claim fails", checksSite(`claim="Sharded < Mutex; Sharded <= 0.25x Mutex"`, ""),
			`content/posts/a.md:5: claim "Sharded <= 0.25x Mutex" is refuted by these runs: 0.30x [0.28, 0.33], p=0.000`},
		// Inconclusive is a warning (TestClaimVerdicts), not an error.
		{"no significant difference", checksSite(`claim="Atomic <= 0.99x Mutex"`, ""), ""},
		{"claimed difference is not there", checksSite(`claim="Atomic ~ Mutex; Sharded ~ Mutex"`, ""),
			`content/posts/a.md:5: claim "Sharded ~ Mutex" is refuted by these runs: 0.30x (no interval: 6 and 6 runs), p=0.002`},
		{"every failing claim", checksSite(`claim="Mutex < Sharded; Sharded < Spin"`, ""),
			"content/posts/a.md:5: claim \"Mutex < Sharded\" is refuted by these runs: 3.33x (no interval: 6 and 6 runs), p=0.002\n" +
				"content/posts/a.md:5: claim \"Sharded < Spin\": the results have no benchmark Spin (they have Mutex, Sharded, Atomic)\n(2 errors)"},
		{"claim syntax", checksSite(`claim="Sharded is faster than Mutex"`, ""),
			`content/posts/a.md:5: go bench: claim "Sharded is faster than Mutex": want <, <=, >, >= or ~ after Sharded (write e.g. "Sharded < Mutex", "Sharded <= 0.3x Mutex" or "A ~ B")`},
		{"claim on a run block", checksSite("", `claim="A < B"`),
			`content/posts/a.md:12: go run: unknown option "claim" for go run (known: name, file, args, stdin, timeout, expect, expect-output, expect-match, hide, linenos, hl, plot, params, default, axes, x, y, series, title, xlabel, ylabel, xunit, yunit, log)`},

		{"output equals the file", checksSite("", "expect-output=sim.txt", "content/posts/sim.txt", want), ""},
		{"CRLF file", checksSite("", "expect-output=sim.txt", "content/posts/sim.txt", strings.ReplaceAll(want, "\n", "\r\n")), ""},
		{"output differs", checksSite("", "expect-output=sim.txt", "content/posts/sim.txt", "cache size 64\nwarming up\nhit rate: 0.91\n"),
			`content/posts/a.md:12: output no longer matches expect-output=sim.txt: line 3 is "hit rate: 0.83\n", want "hit rate: 0.91\n"`},
		{"output shorter", checksSite("", "expect-output=sim.txt", "content/posts/sim.txt", want+"done\n"),
			`content/posts/a.md:12: output no longer matches expect-output=sim.txt: line 4 is missing, want "done\n"`},
		{"output longer", checksSite("", "expect-output=sim.txt", "content/posts/sim.txt", "cache size 64\n"),
			`content/posts/a.md:12: output no longer matches expect-output=sim.txt: line 2 "warming up\n" is not in the file`},
		{"missing file", checksSite("", "expect-output=nope.txt"),
			`content/posts/a.md:12: go run: expect-output=nope.txt: content/posts/nope.txt: open content/posts/nope.txt: no such file or directory`},
		{"pattern matches", checksSite("", `expect-match="^hit rate: 0\.[89]\d$"`), ""},
		{"pattern fails", checksSite("", `expect-match="^hit rate: 0\.[9]"`),
			`content/posts/a.md:12: output no longer matches expect-match="^hit rate: 0\\.[9]": the output is "cache size 64\nwarming up\nhit rate: 0.83\n"`},
		{"bad pattern", checksSite("", `expect-match="hit (rate"`),
			"content/posts/a.md:12: go run: expect-match=hit (rate: not a regular expression: missing closing ): `hit (rate`"},
		{"both checks", checksSite("", `expect-output=sim.txt expect-match="rate: 0\.8"`, "content/posts/sim.txt", want), ""},
		{"claim on cached bench and output checks together", checksSite(`claim="Sharded > Mutex"`, `expect-match="rate: 0\.9"`),
			"content/posts/a.md:5: claim \"Sharded > Mutex\" is refuted by these runs: 0.30x (no interval: 6 and 6 runs), p=0.002\n" +
				"content/posts/a.md:12: output no longer matches expect-match=\"rate: 0\\\\.9\": the output is \"cache size 64\\nwarming up\\nhit rate: 0.83\\n\"\n(2 errors)"},
		// Hostile: the expected output is read through the site's confined
		// file system, next to the post only.
		{"dot dot", checksSite("", "expect-output=../../etc/passwd"),
			`content/posts/a.md:12: go run: expect-output=../../etc/passwd must name a file next to the post (no / or ..)`},
		{"absolute", checksSite("", "expect-output=/etc/passwd"),
			`content/posts/a.md:12: go run: expect-output=/etc/passwd must name a file next to the post (no / or ..)`},
		{"stdin absolute", checksSite("", "stdin=/etc/passwd"),
			`content/posts/a.md:12: go run: stdin=/etc/passwd must name a file next to the post (no / or ..)`},
		{"stdin dot dot", checksSite("", "stdin=../../config.yaml"),
			`content/posts/a.md:12: go run: stdin=../../config.yaml must name a file next to the post (no / or ..)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := writeArchive(t, txtar.Parse([]byte(tt.site)))
			_, _, err := buildSite(t, root, checksRunner())
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("build error:\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestExpectOutputSymlink: a link next to the post that leads out of the
// site is refused, not followed.
func TestExpectOutputSymlink(t *testing.T) {
	root := writeArchive(t, txtar.Parse([]byte(checksSite("", "expect-output=sim.txt"))))
	outside := filepath.Join(t.TempDir(), "secret.txt")
	if err := os.WriteFile(outside, []byte("hit rate: 0.83\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "content/posts/sim.txt")); err != nil {
		t.Fatal(err)
	}
	_, _, err := buildSite(t, root, checksRunner())
	if err == nil || !strings.Contains(err.Error(), "content/posts/sim.txt: symlink points outside the site") {
		t.Errorf("build error %v, want the link refused", err)
	}
}

// programRunner records the programs it is asked to run.
type programRunner struct {
	fakeRunner
	mu    sync.Mutex
	progs map[string]playground.Program
}

func (r *programRunner) RunAll(ctx context.Context, ps []playground.Program, progress func(playground.Progress)) ([]playground.Result, []error) {
	r.mu.Lock()
	for _, p := range ps {
		r.progs[p.ID] = p
	}
	r.mu.Unlock()
	return r.fakeRunner.RunAll(ctx, ps, progress)
}

// TestChecksKeepResultKeys: claims and output checks are judged on the
// results, not part of what produces them, so adding them to a post
// leaves every program (and so its key in the results store) unchanged.
func TestChecksKeepResultKeys(t *testing.T) {
	programs := func(site string) map[string]playground.Program {
		r := &programRunner{fakeRunner: *checksRunner(), progs: map[string]playground.Program{}}
		if _, _, err := buildSite(t, writeArchive(t, txtar.Parse([]byte(site))), r); err != nil {
			t.Fatal(err)
		}
		return r.progs
	}
	plain := programs(checksSite("baseline=Mutex", ""))
	checked := programs(checksSite(`baseline=Mutex claim="Sharded < Mutex"`, `expect-output=sim.txt expect-match="rate"`,
		"content/posts/sim.txt", "cache size 64\nwarming up\nhit rate: 0.83\n"))
	if len(plain) != 2 || !reflect.DeepEqual(plain, checked) {
		t.Errorf("the checks changed the programs:\n%+v\n%+v", plain, checked)
	}
}

// TestClaimVerdicts: a claim the block's runs cannot decide earns rounds
// of extra runs of just the benchmarks it names, as ordinary programs; one
// still inconclusive after them is a warning at the fence, and the page
// says it was not confirmed, unless bench.inconclusive is fail.
func TestClaimVerdicts(t *testing.T) {
	site := checksSite(`baseline=Mutex claim="Sharded < Mutex; Atomic < Mutex"`, "")
	r := &programRunner{fakeRunner: *checksRunner(), progs: map[string]playground.Program{}}
	root := writeArchive(t, txtar.Parse([]byte(site)))
	var log strings.Builder
	out := filepath.Join(t.TempDir(), "public")
	if _, err := Build(context.Background(), Options{Root: root, Out: out, Theme: testTheme, Runner: r, Now: testNow, Log: &log}); err != nil {
		t.Fatal(err)
	}
	const warning = `content/posts/a.md:5: claim "Atomic < Mutex" is inconclusive: these runs cannot tell (1.00x [0.98, 1.04], p=0.327 after 2 rounds of extra runs)`
	if !strings.Contains(log.String(), warning+"; the page says it was not confirmed (bench.inconclusive: fail makes this an error)\n") {
		t.Errorf("log lacks\n%s\nin\n%s", warning, log.String())
	}
	for round := 1; round <= 2; round++ {
		id := fmt.Sprintf("content/posts/a.md#locks#extra%d", round)
		p, ok := r.progs[id]
		if !ok {
			t.Fatalf("no round %d of extra runs (ran %v)", round, r.runs)
		}
		if p.Bench.Filter != "^(BenchmarkAtomic|BenchmarkMutex)$" || p.Bench.Round != round || p.Mode != playground.ModeBench {
			t.Errorf("round %d runs %+v, want the two benchmarks of the undecided claim", round, p.Bench)
		}
	}
	if _, ok := r.progs["content/posts/a.md#locks#extra3"]; ok {
		t.Errorf("more rounds than the budget of %d", 2)
	}
	page, err := os.ReadFile(filepath.Join(out, "posts/a/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	note := `<p class="bench-warning bench-unconfirmed" role="note"><strong>Claim not confirmed.</strong> The post claims <q>Atomic &lt; Mutex</q>, and these runs could not tell whether it holds (1.00x [0.98, 1.04], p=0.327, after 2 rounds of extra runs)`
	if !strings.Contains(string(page), note) {
		t.Errorf("page lacks the note\n%s", note)
	}
	if strings.Contains(string(page), "<q>Sharded &lt; Mutex</q>") {
		t.Errorf("the page doubts a claim that holds")
	}
	legend := `<dt>claims</dt><dd><q>Atomic &lt; Mutex</q> was not confirmed even on more runs than the table shows: the table’s runs and 2 rounds of extra runs of Atomic and Mutex, made after them because the table’s runs could not decide it; 18 runs of each in all (1.00x [0.98, 1.04], p=0.327). The table`
	if !strings.Contains(string(page), legend) {
		t.Errorf("page lacks the legend's\n%s", legend)
	}

	// Strict authors make it an error.
	strict := strings.Replace(site, "baseURL: https://example.org/\n", "baseURL: https://example.org/\nbench:\n  inconclusive: fail\n", 1)
	_, _, err = buildSite(t, writeArchive(t, txtar.Parse([]byte(strict))), checksRunner())
	if want := warning + " (bench.inconclusive is fail)"; err == nil || err.Error() != want {
		t.Errorf("bench.inconclusive: fail:\n got %v\nwant %s", err, want)
	}
}

// TestClaimLegend: a claim judged on rounds of extra runs is judged on
// more runs than the report's table shows (the block's own), so the
// report's legend says which runs it used and what they gave; a claim its
// own runs decided adds nothing there.
func TestClaimLegend(t *testing.T) {
	const id = "content/posts/a.md#c"
	tests := []struct {
		name, claim string
		count       int
		want        string // the legend's claims entry; "" for none
	}{
		{"holds after a round", "Fast < Slow", 3,
			`<dt>claims</dt><dd><q>Fast &lt; Slow</q> holds on more runs than the table shows: the table’s runs and a round of extra runs of Fast and Slow, made after them because the table’s runs could not decide it; 6 runs of each in all (0.11x (no interval: 6 and 6 runs), p=0.002). ` +
				`The table, the chart and the raw output hold the block’s own runs only: the extra runs measured just the claims’ benchmarks, at another time.</dd>`},
		{"holds after two rounds, beside one its own runs decided", "Fast < Slow; Fast <= 1.1x Slow", 2,
			`<dt>claims</dt><dd><q>Fast &lt; Slow</q> holds on more runs than the table shows: the table’s runs and 2 rounds of extra runs of Fast and Slow, made after them because the table’s runs could not decide it; 6 runs of each in all (0.10x (no interval: 6 and 6 runs), p=0.002). The table`},
		{"decided by its own runs", "Fast < Slow", 6, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := fmt.Sprintf("%s-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\n---\n\n```go bench name=c count=%d claim=%q\nfunc BenchmarkFast(b *testing.B) {}\nfunc BenchmarkSlow(b *testing.B) {}\n```\n",
				okConfig, tt.count, tt.claim)
			r := &fakeRunner{results: map[string]playground.Result{id: fastSlow(tt.count), id + "#extra1": fastSlow(tt.count), id + "#extra2": fastSlow(tt.count)}}
			out, _, err := buildSite(t, writeArchive(t, txtar.Parse([]byte(site))), r)
			if err != nil {
				t.Fatal(err)
			}
			page, err := os.ReadFile(filepath.Join(out, "posts/a/index.html"))
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tt.want == "" && strings.Contains(string(page), "<dt>claims</dt>"):
				t.Errorf("the legend speaks of claims the table's runs decided")
			case tt.want != "" && !strings.Contains(string(page), tt.want):
				i := strings.Index(string(page), "<dl class=\"bench-legend\">")
				t.Errorf("the legend lacks\n%s\nin\n%s", tt.want, string(page)[max(i, 0):])
			}
		})
	}
}
