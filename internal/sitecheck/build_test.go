package sitecheck_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/benchpress/benchpress/generator"
	"github.com/benchpress/benchpress/generator/config"
	"github.com/benchpress/benchpress/internal/sitecheck"
	"github.com/benchpress/benchpress/playground"
)

// fakeRunner answers every snippet with a line of output, and every
// benchmark block with made-up figures for each Benchmark function, so a
// site with live code builds without a toolchain; the snippets named in fail
// exit 1. A snippet whose ID has a result in stored (see storedOutputs) gets
// that result's output instead, so the example site's claims and output
// checks are judged on its real figures.
type fakeRunner struct {
	fail   map[string]bool
	stored map[string]string
}

// storedOutputs reads the output of every result in a results store
// directory, by snippet ID.
func storedOutputs(t testing.TB, dir string) map[string]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var e struct {
			ID     string `json:"id"`
			Result struct {
				Events []struct{ Data string } `json:"events"`
			} `json:"result"`
		}
		if err := json.Unmarshal(data, &e); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		var b strings.Builder
		for _, ev := range e.Result.Events {
			b.WriteString(ev.Data)
		}
		out[e.ID] = b.String()
	}
	return out
}

var benchFuncRE = regexp.MustCompile(`(?m)^func (Benchmark\w+)\(`)

func (f fakeRunner) RunAll(ctx context.Context, ps []playground.Program, progress func(playground.Progress)) ([]playground.Result, []error) {
	res := make([]playground.Result, len(ps))
	for i, p := range ps {
		out := "ran " + p.ID + "\n"
		if p.Mode == playground.ModeBench {
			out = fakeBench(p)
		} else if data, ok := fakePlotData(p); ok {
			out = data
		}
		if stored, ok := f.stored[p.ID]; ok {
			out = stored
		}
		res[i] = playground.Result{Status: playground.StatusOK, Duration: time.Millisecond,
			Events: []playground.Event{{Stream: playground.Stdout, Data: out}}}
		if f.fail[p.ID] {
			res[i].Status, res[i].ExitCode = playground.StatusExit, 1
		}
	}
	return res, make([]error, len(ps))
}

// csvHeaderRE finds the CSV header a plot block's program prints; the
// example site's plot programs say "drawn as the chart below".
var csvHeaderRE = regexp.MustCompile(`fmt\.Println\("([^"]*,[^"]*)"\)`)

// fakePlotData is made-up data for a plot block: its header, then two rows
// of positive numbers, which any of its plots accepts.
func fakePlotData(p playground.Program) (string, bool) {
	for _, f := range p.Files {
		src := string(f.Data)
		m := csvHeaderRE.FindStringSubmatch(src)
		if m == nil || !strings.Contains(src, "drawn as the chart below") {
			continue
		}
		n := len(strings.Split(m[1], ","))
		row := func(v string) string { return strings.TrimSuffix(strings.Repeat(v+",", n), ",") + "\n" }
		return m[1] + "\n" + row("1") + row("2"), true
	}
	return "", false
}

func fakeBench(p playground.Program) string {
	var b strings.Builder
	b.WriteString("goos: linux\ngoarch: amd64\npkg: snippet\ncpu: fake\n")
	cpus := p.Bench.CPU
	if len(cpus) == 0 {
		cpus = []int{1}
	}
	count := p.Bench.Count
	if count == 0 {
		count = 6
	}
	for _, f := range p.Files {
		for j, m := range benchFuncRE.FindAllStringSubmatch(string(f.Data), -1) {
			for _, cpu := range cpus {
				for range count {
					fmt.Fprintf(&b, "%s-%d \t 1000\t %d ns/op\t 0 B/op\t 0 allocs/op\n", m[1], cpu, 100*(j+1))
				}
			}
		}
	}
	b.WriteString("PASS\n")
	return b.String()
}

// build builds the site at root with the default theme, returning the
// output directory and the site's baseURL.
func build(t testing.TB, root string, r fakeRunner) (out, baseURL string) {
	t.Helper()
	out = filepath.Join(t.TempDir(), "public")
	_, err := generator.Build(context.Background(), generator.Options{Root: root, Out: out,
		Theme: os.DirFS("../../themes/default"), Runner: r, Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	return out, cfg.BaseURL
}

// buildAndCheck builds a site and checks the output with the site's own
// baseURL, as `benchpress check` does.
func buildAndCheck(t *testing.T, root string, r fakeRunner) *sitecheck.Report {
	t.Helper()
	out, baseURL := build(t, root, r)
	rep, err := sitecheck.Check(os.DirFS(out), sitecheck.Options{BaseURL: baseURL})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// The generator's own test site (posts, a bundle, tags, a series, an alias,
// feeds) builds into a tree with no problems.
func TestGeneratorSite(t *testing.T) {
	ar, err := txtar.ParseFile("../../generator/testdata/basic.txtar")
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	for _, f := range ar.Files {
		p := filepath.Join(root, f.Name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rep := buildAndCheck(t, root, fakeRunner{fail: map[string]bool{"content/posts/second/index.md#0": true}})
	diffLines(t, lines(rep), nil)
}

// BenchmarkCheckExampleSite checks the example site as built; the figure is
// printed by make bench, never asserted.
func BenchmarkCheckExampleSite(b *testing.B) {
	if _, err := os.Stat("../../content/posts"); err != nil {
		b.Skip("no example site in content/")
	}
	out, baseURL := build(b, "../..", fakeRunner{})
	fsys := os.DirFS(out)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sitecheck.Check(fsys, sitecheck.Options{BaseURL: baseURL}); err != nil {
			b.Fatal(err)
		}
	}
}
