package generator

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/benchpress/benchpress/playground"
)

// liveSite writes a site of n posts with one go run block each (plain go
// blocks when live is false); nonce makes every program new to the build
// cache.
func liveSite(b *testing.B, dir string, n int, live bool, nonce string) {
	os.MkdirAll(filepath.Join(dir, "content", "posts"), 0o755)
	os.WriteFile(filepath.Join(dir, "config.yaml"), []byte("title: Live\nbaseURL: https://live.example.org/\n"), 0o644)
	fence := "```go"
	if live {
		fence = "```go run"
	}
	for i := 0; i < n; i++ {
		post := fmt.Sprintf("---\ntitle: Post %d\ndate: 2026-01-01\n---\nA post with a snippet.\n\n%s\nconst nonce = %q\nfmt.Println(\"post\", %d, len(nonce))\n```\n\nAnd some prose after it.\n", i, fence, nonce, i)
		os.WriteFile(filepath.Join(dir, "content", "posts", "p"+strconv.Itoa(i)+".md"), []byte(post), 0o644)
	}
}

// floor is the physical floor for n snippets: one batched go build of the
// same n mains, then each binary run bare, one after another.
func floor(b *testing.B, n int, nonce string) time.Duration {
	dir := b.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module floor\n\ngo 1.26\n"), 0o644)
	for i := 0; i < n; i++ {
		p := filepath.Join(dir, "p"+strconv.Itoa(i))
		os.Mkdir(p, 0o755)
		src := fmt.Sprintf("package main\n\nimport \"fmt\"\n\nconst nonce = %q\n\nfunc main() {\n\tfmt.Println(\"post\", %d, len(nonce))\n}\n", nonce, i)
		os.WriteFile(filepath.Join(p, "main.go"), []byte(src), 0o644)
	}
	start := time.Now()
	cmd := exec.Command("go", "build", "-trimpath", "-o", filepath.Join(dir, "bin")+"/", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-mod=mod")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("%v\n%s", err, out)
	}
	for i := 0; i < n; i++ {
		if err := exec.Command(filepath.Join(dir, "bin", "p"+strconv.Itoa(i))).Run(); err != nil {
			b.Fatal(err)
		}
	}
	return time.Since(start)
}

// BenchmarkLiveSite measures sites of N posts with one go run block each:
// the cold build (nothing stored, programs new to the Go build cache)
// against the floor, and the warm rebuild (every result stored) against the
// same site with the blocks as plain code. Figures, not assertions.
//
// A cold build and the floor are each a few seconds of compiling on a
// shared machine, so they alternate, coldReps times with fresh programs
// each time (the floor first in one rep, second in the next), and
// cold/floor is the median of each rep's ratio. Warm and plain builds
// alternate too (compareWarm), warmReps times each: noise hits both alike.
func BenchmarkLiveSite(b *testing.B) {
	if testing.Short() {
		b.Skip("compiles real programs")
	}
	const coldReps, warmReps = 3, 30
	for _, n := range []int{50, 100} {
		b.Run("N="+strconv.Itoa(n), func(b *testing.B) {
			var floors, colds []time.Duration
			var ratios []float64
			var opts Options
			var nonce string
			for rep := 0; rep < coldReps; rep++ {
				nonce = strconv.FormatInt(time.Now().UnixNano(), 36)
				site := b.TempDir()
				liveSite(b, site, n, true, nonce)
				r, err := playground.New(playground.Config{Results: filepath.Join(site, ".benchpress", "results")})
				if err != nil {
					b.Fatal(err)
				}
				opts = Options{Root: site, Out: filepath.Join(b.TempDir(), "public"), Theme: testTheme, Runner: r}
				var fl, cold time.Duration
				coldBuild := func() {
					start := time.Now()
					if st, err := Build(context.Background(), opts); err != nil || st.SnippetsRun != n {
						b.Fatalf("cold build: %v, %+v", err, st)
					}
					cold = time.Since(start)
				}
				if rep%2 == 0 {
					fl = floor(b, n, "floor"+nonce)
					coldBuild()
				} else {
					coldBuild()
					fl = floor(b, n, "floor"+nonce)
				}
				floors, colds = append(floors, fl), append(colds, cold)
				ratios = append(ratios, cold.Seconds()/fl.Seconds())
			}

			// opts is the last rep's site, every result now stored.
			plainSite := b.TempDir()
			liveSite(b, plainSite, n, false, nonce)
			plainOpts := Options{Root: plainSite, Out: filepath.Join(b.TempDir(), "public"), Theme: testTheme}
			w := compareWarm(b, opts, plainOpts, warmReps)
			b.ReportMetric(median(floors).Seconds(), "floor-s")
			b.ReportMetric(median(colds).Seconds(), "cold-s")
			b.ReportMetric(medianFloat(ratios), "cold/floor")
			w.report(b)
		})
	}
}

// warmComparison is warm builds of a live site against builds of the same
// site with plain blocks.
type warmComparison struct {
	warm, plain time.Duration // medians
	wall, user  float64       // medians of each pair's warm/plain ratio
	memory      float64       // the same for wall time, writing no files
}

// compareWarm alternates reps warm builds of live with reps builds of
// plain, in the order ABBA so that neither always follows the other, and
// as many of each written to no files (Load, then Render into a discarding
// Output). Besides wall time it compares user CPU time (the generator's own
// work), which the machine's load and the file system's state sway much
// less; the builds that write nothing show the generator's work alone.
func compareWarm(b *testing.B, live, plain Options, reps int) warmComparison {
	type sample struct{ wall, user time.Duration }
	measure := func(f func()) sample {
		runtime.GC() // each build pays for its own garbage only
		start, cpu := time.Now(), cpuTime()
		f()
		return sample{time.Since(start), cpuTime().user - cpu.user}
	}
	pair := func(rep int, warm, plain func()) (w, p sample) {
		if rep%2 == 0 {
			w = measure(warm)
			p = measure(plain)
		} else {
			p = measure(plain)
			w = measure(warm)
		}
		return w, p
	}
	var warms, plains []time.Duration
	var wall, user, memory []float64
	for rep := 0; rep < reps; rep++ {
		w, p := pair(rep, func() { warmBuild(b, live) }, func() {
			if _, err := Build(context.Background(), plain); err != nil {
				b.Fatal(err)
			}
		})
		warms, plains = append(warms, w.wall), append(plains, p.wall)
		wall = append(wall, w.wall.Seconds()/p.wall.Seconds())
		if p.user > 0 {
			user = append(user, w.user.Seconds()/p.user.Seconds())
		}
		w, p = pair(rep, func() { renderNowhere(b, live, true) }, func() { renderNowhere(b, plain, false) })
		memory = append(memory, w.wall.Seconds()/p.wall.Seconds())
	}
	c := warmComparison{warm: median(warms), plain: median(plains), wall: medianFloat(wall), memory: medianFloat(memory)}
	if len(user) > 0 {
		c.user = medianFloat(user)
	}
	return c
}

func (c warmComparison) report(b *testing.B) {
	b.ReportMetric(ms(c.warm), "warm-ms")
	b.ReportMetric(ms(c.plain), "plain-ms")
	b.ReportMetric(100*(c.wall-1), "warm-overhead-%")
	b.ReportMetric(100*(c.user-1), "warm-user-overhead-%")
	b.ReportMetric(100*(c.memory-1), "warm-nofiles-overhead-%")
}

// renderNowhere loads and renders a site as Build does, into an Output
// that keeps nothing; live sites get a fresh Runner, as in warmBuild.
func renderNowhere(b *testing.B, opts Options, live bool) {
	if live {
		opts = freshRunner(b, opts)
	}
	site, err := Load(context.Background(), opts)
	if err == nil {
		err = site.Render(discardOutput{})
	}
	if err != nil {
		b.Fatal(err)
	}
}

type discardOutput struct{}

func (discardOutput) WriteFile(string, []byte) error { return nil }

// warmBuild builds a site whose results are all stored as `benchpress
// build` would: with a Runner of its own, which knows nothing of the builds
// before.
func warmBuild(b *testing.B, opts Options) {
	opts = freshRunner(b, opts)
	if st, err := Build(context.Background(), opts); err != nil || st.SnippetsRun != 0 {
		b.Fatalf("warm build: %v, %+v", err, st)
	}
}

// freshRunner gives opts a Runner of its own over the site's results
// store, as each `benchpress build` makes: it knows nothing of the builds
// before.
func freshRunner(b *testing.B, opts Options) Options {
	r, err := playground.New(playground.Config{Results: filepath.Join(opts.Root, ".benchpress", "results")})
	if err != nil {
		b.Fatal(err)
	}
	opts.Runner = r
	return opts
}

func medianFloat(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}

// warmFixture is a site of 100 live posts whose results are all stored, and
// the same site with plain go blocks, built once per test binary for the
// warm benchmarks below.
type warmFixture struct {
	live, plain Options
}

var (
	warmOnce sync.Once
	warm     *warmFixture
	warmErr  error
)

func liveWarmFixture(b *testing.B) *warmFixture {
	if testing.Short() {
		b.Skip("compiles real programs")
	}
	warmOnce.Do(func() {
		dir, err := os.MkdirTemp("", "benchpress-livewarm-")
		if err != nil {
			warmErr = err
			return
		}
		fixtureDirs = append(fixtureDirs, dir)
		const n = 100
		live, plain := filepath.Join(dir, "live"), filepath.Join(dir, "plain")
		liveSite(b, live, n, true, "warm")
		liveSite(b, plain, n, false, "warm")
		r, err := playground.New(playground.Config{Results: filepath.Join(live, ".benchpress", "results")})
		if err != nil {
			warmErr = err
			return
		}
		f := &warmFixture{
			live:  Options{Root: live, Out: filepath.Join(dir, "live-public"), Theme: testTheme, Runner: r},
			plain: Options{Root: plain, Out: filepath.Join(dir, "plain-public"), Theme: testTheme},
		}
		if _, err := Build(context.Background(), f.live); err != nil {
			warmErr = err
			return
		}
		warm = f
	})
	if warmErr != nil {
		b.Fatal(warmErr)
	}
	return warm
}

// BenchmarkLiveSiteWarm is one warm build of 100 live posts (every result
// stored, a fresh Runner each time) per op; compare its ns/op with
// BenchmarkLiveSitePlain's (-count 10, medians) or profile it alone.
func BenchmarkLiveSiteWarm(b *testing.B) {
	f := liveWarmFixture(b)
	for b.Loop() {
		warmBuild(b, f.live)
	}
}

// BenchmarkLiveSitePhases times what a warm build adds to the generator's
// own work: Load and Render (into no files) of BenchmarkLiveSiteWarm's 100
// live posts, every result stored, against the same posts with plain go
// blocks, alternating, 200 of each. Loading the live site parses its posts
// (to find the snippets) and looks every program up in the store; the plain
// site parses its posts while rendering instead. added-ms is the difference
// of the medians of load plus render.
func BenchmarkLiveSitePhases(b *testing.B) {
	f := liveWarmFixture(b)
	const reps = 200
	for b.Loop() {
		var load, render [2][]time.Duration // [0] live, [1] plain
		for rep := 0; rep < reps; rep++ {
			for k := range 2 {
				live := (rep+k)%2 == 0 // ABAB, BABA: neither always first
				opts, i := f.plain, 1
				if live {
					opts, i = freshRunner(b, f.live), 0
				}
				start := time.Now()
				site, err := Load(context.Background(), opts)
				if err != nil {
					b.Fatal(err)
				}
				if site.Stats.SnippetsRun != 0 {
					b.Fatalf("a warm load ran %d snippets: %+v", site.Stats.SnippetsRun, site.Stats)
				}
				loaded := time.Now()
				if err := site.Render(discardOutput{}); err != nil {
					b.Fatal(err)
				}
				load[i] = append(load[i], loaded.Sub(start))
				render[i] = append(render[i], time.Since(loaded))
			}
		}
		b.ReportMetric(ms(median(load[0])), "load-live-ms")
		b.ReportMetric(ms(median(load[1])), "load-plain-ms")
		b.ReportMetric(ms(median(render[0])), "render-live-ms")
		b.ReportMetric(ms(median(render[1])), "render-plain-ms")
		b.ReportMetric(ms(median(load[0])+median(render[0])-median(load[1])-median(render[1])), "added-ms")
	}
}

// BenchmarkLiveSitePlain is BenchmarkLiveSiteWarm's site with plain go
// blocks.
func BenchmarkLiveSitePlain(b *testing.B) {
	f := liveWarmFixture(b)
	for b.Loop() {
		if _, err := Build(context.Background(), f.plain); err != nil {
			b.Fatal(err)
		}
	}
}

// fixtureDirs are temporary directories shared by benchmarks of one test
// binary; TestMain removes them.
var fixtureDirs []string
