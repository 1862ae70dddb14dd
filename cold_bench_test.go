package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/benchpress/benchpress/generator"
	"github.com/benchpress/benchpress/internal/benchfloor"
	"github.com/benchpress/benchpress/playground"
)

// BenchmarkColdExample is issue 34's cold-site figure: `benchpress build`
// of the example site with no stored results (the Go build cache as it
// is, warm on a working machine), against its floor: one batched `go
// build` of its programs (and one `go test -c` of its benchmark blocks),
// each program run bare once, plus the benchmarks' own run time, which is
// the benchmarks' measured durations in the cold build itself (claims'
// extra rounds included): no build can run benchmarks faster than they
// run. Cold builds and floors alternate, coldReps times.
func BenchmarkColdExample(b *testing.B) {
	needSandbox(b)
	if _, err := os.Stat("content/posts"); err != nil {
		b.Skip("no example site in content/")
	}
	const coldReps = 3
	for i := 0; i < b.N; i++ {
		var colds, floors, benchTimes []time.Duration
		var ratios []float64
		for r := 0; r < coldReps; r++ {
			site := copySite(b, ".", "config.yaml", "content", "static", "layouts", "themes")
			progs := sitePrograms(b, site)
			var cold, benchTime, fl time.Duration
			coldBuild := func() {
				setup, err := newSiteSetup(buildFlags{root: site, out: filepath.Join(site, "public")}, false, newConsole(io.Discard, site, true))
				if err != nil {
					b.Fatal(err)
				}
				tr := &timingRunner{SnippetRunner: setup.opts.Runner}
				setup.opts.Runner = tr
				start := time.Now()
				st, err := generator.Build(context.Background(), setup.opts)
				cold = time.Since(start)
				if err != nil && (st == nil || st.SnippetsRun == 0) {
					b.Fatalf("cold build: %v", err)
				}
				if err != nil {
					// Every program ran, and one's output failed its
					// check (a timing-sensitive snippet on a busy
					// machine): the time is still the build's.
					b.Logf("cold build (timed all the same): %v", err)
				}
				if st.SnippetsRun == 0 || st.SnippetsCached > 0 {
					b.Fatalf("not a cold build: %+v", st)
				}
				benchTime = tr.bench
			}
			if r%2 == 0 {
				fl = floorSite(b, progs)
				coldBuild()
			} else {
				coldBuild()
				fl = floorSite(b, progs)
			}
			colds, floors, benchTimes = append(colds, cold), append(floors, fl), append(benchTimes, benchTime)
			ratios = append(ratios, cold.Seconds()/(fl+benchTime).Seconds())
		}
		b.ReportMetric(benchfloor.Median(colds).Seconds(), "cold-s")
		b.ReportMetric(benchfloor.Median(floors).Seconds(), "go-build+run-s")
		b.ReportMetric(benchfloor.Median(benchTimes).Seconds(), "benchmarks-s")
		b.ReportMetric(benchfloor.Median(ratios), "cold/floor")
		b.ReportMetric(benchfloor.LoadAvg(), "load-avg")
	}
}

// sitePrograms returns every program a build of site runs, as completed.
func sitePrograms(b *testing.B, site string) []playground.Program {
	setup, err := newSiteSetup(buildFlags{root: site}, false, newConsole(io.Discard, site, true))
	if err != nil {
		b.Fatal(err)
	}
	rec := &recordingRunner{}
	setup.opts.Runner = rec
	generator.Load(context.Background(), setup.opts)
	if len(rec.progs) == 0 {
		b.Fatal("the site has no programs")
	}
	return rec.progs
}

// floorSite builds progs the fastest way the go command can, one command
// per mode in one module (a program of several packages in a module of
// its own), and runs each ordinary program once, bare. Benchmarks are not
// run: their run time is added from the build being compared.
func floorSite(b *testing.B, progs []playground.Program) time.Duration {
	dir := b.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module floor\n\ngo 1.26\n"), 0o644)
	var runs, benches []string
	var alone []string
	byPkg := map[string]playground.Program{}
	for i, p := range progs {
		pkg := "p" + strconv.Itoa(i)
		byPkg["./"+pkg] = p
		nested := false
		for _, f := range p.Files {
			nested = nested || strings.Contains(f.Name, "/")
		}
		root := filepath.Join(dir, pkg)
		if nested {
			root = filepath.Join(b.TempDir(), pkg)
			os.MkdirAll(root, 0o755)
			os.WriteFile(filepath.Join(root, "go.mod"), []byte("module "+pkg+"\n\ngo 1.26\n"), 0o644)
			alone = append(alone, root)
		}
		for _, f := range p.Files {
			name := filepath.Join(root, filepath.FromSlash(f.Name))
			os.MkdirAll(filepath.Dir(name), 0o755)
			os.WriteFile(name, f.Data, 0o644)
		}
		if nested {
			continue
		}
		if p.Mode == playground.ModeBench {
			benches = append(benches, "./"+pkg)
		} else {
			runs = append(runs, "./"+pkg)
		}
	}
	gocmd := func(dir string, args ...string) {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("floor: go %v: %v\n%s", args, err, out)
		}
	}
	bin := filepath.Join(dir, "bin")
	start := time.Now()
	if len(runs) > 0 {
		gocmd(dir, append([]string{"build", "-o", bin + "/"}, runs...)...)
	}
	if len(benches) > 0 {
		gocmd(dir, append([]string{"test", "-c", "-o", bin + "/"}, benches...)...)
	}
	for _, a := range alone {
		gocmd(a, "build", "-o", bin+"/"+filepath.Base(a), ".")
	}
	// The programs run bare, as many at once as there are cores, as a
	// build runs them in the sandbox.
	sem := make(chan struct{}, runtime.NumCPU())
	var wg sync.WaitGroup
	for _, p := range runs {
		cmd := exec.Command(filepath.Join(bin, strings.TrimPrefix(p, "./")), byPkg[p].Args...)
		cmd.Dir = b.TempDir()
		cmd.Stdin = bytes.NewReader(byPkg[p].Stdin)
		sem <- struct{}{}
		wg.Go(func() {
			cmd.Run() // a program's own failure is its business; its time counts
			<-sem
		})
	}
	wg.Wait()
	return time.Since(start)
}

// timingRunner adds up the run time of the benchmark programs a build
// runs (their measured durations), stored results aside.
type timingRunner struct {
	generator.SnippetRunner
	mu    sync.Mutex
	bench time.Duration
}

func (t *timingRunner) RunAll(ctx context.Context, progs []playground.Program, progress func(playground.Progress)) ([]playground.Result, []error) {
	res, errs := t.SnippetRunner.RunAll(ctx, progs, progress)
	t.mu.Lock()
	defer t.mu.Unlock()
	for i, p := range progs {
		if p.Mode == playground.ModeBench && !res[i].Cached && errs[i] == nil {
			t.bench += res[i].Duration
		}
	}
	return res, errs
}
