package playground

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"
)

// These benchmarks print figures (make bench); they assert nothing about
// speed. Each does its own repetitions, so -benchtime 1x is enough.

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func helloProgram(i int, nonce string) Program {
	src := fmt.Sprintf("package main\n\nimport \"fmt\"\n\nconst nonce = %q\n\nfunc main() { fmt.Println(\"hello\", %d, len(nonce)) }\n", nonce, i)
	return Program{ID: "hello" + strconv.Itoa(i), Mode: ModeRun, Files: []File{{Name: "main.go", Data: []byte(src)}}}
}

// BenchmarkSandboxOverhead: one run of the same binary bare against in the
// sandbox (target: overhead under 20 ms median).
func BenchmarkSandboxOverhead(b *testing.B) {
	if err := sandboxSupported(); err != nil {
		b.Skip(err)
	}
	r, err := New(Config{})
	if err != nil {
		b.Fatal(err)
	}
	tc, err := r.toolchain()
	if err != nil {
		b.Fatal(err)
	}
	root := b.TempDir()
	job := &buildJob{prog: &[]Program{helloProgram(0, "overhead")}[0], dir: "p0"}
	if err := tc.writeModule(root, []*buildJob{job}); err != nil {
		b.Fatal(err)
	}
	if err := tc.build(context.Background(), root, ModeRun, []*buildJob{job}); err != nil || job.bin == "" {
		b.Fatalf("build: %v %s", err, job.out)
	}
	const runs = 40
	var bare, boxed []time.Duration
	for i := 0; i < runs; i++ {
		start := time.Now()
		if out, err := exec.Command(job.bin).Output(); err != nil || len(out) == 0 {
			b.Fatalf("bare run: %v", err)
		}
		bare = append(bare, time.Since(start))
		start = time.Now()
		res, err := execute(context.Background(), true, job.bin, []string{"main"}, nil, r.limits)
		if err != nil || res.Status != StatusOK {
			b.Fatalf("sandboxed run: %v %s", err, res.Status)
		}
		boxed = append(boxed, time.Since(start))
	}
	b.ReportMetric(ms(median(bare)), "bare-ms/run")
	b.ReportMetric(ms(median(boxed)), "sandbox-ms/run")
	b.ReportMetric(ms(median(boxed)-median(bare)), "overhead-ms/run")
}

// BenchmarkColdBatch: N distinct programs through the Runner, cold (nothing
// stored, programs never compiled before), against the physical floor: one
// batched go build of the same N mains plus running each binary bare, in
// sequence. Then the same N again, warm: zero builds.
func BenchmarkColdBatch(b *testing.B) {
	if err := sandboxSupported(); err != nil {
		b.Skip(err)
	}
	for _, n := range []int{20, 100} {
		b.Run("N="+strconv.Itoa(n), func(b *testing.B) {
			nonce := strconv.FormatInt(time.Now().UnixNano(), 36)
			r, err := New(Config{Results: b.TempDir()})
			if err != nil {
				b.Fatal(err)
			}
			tc, err := r.toolchain()
			if err != nil {
				b.Fatal(err)
			}

			// The floor: one go build of N fresh mains, then each binary run bare.
			root := b.TempDir()
			var jobs []*buildJob
			for i := 0; i < n; i++ {
				p := helloProgram(i, "floor"+nonce)
				jobs = append(jobs, &buildJob{prog: &p, dir: "p" + strconv.Itoa(i)})
			}
			if err := tc.writeModule(root, jobs); err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			if out, err := tc.run(context.Background(), root, "build", "-o", filepath.Join(root, "bin")+"/", "./..."); err != nil {
				b.Fatalf("%v\n%s", err, out)
			}
			for i := 0; i < n; i++ {
				if err := exec.Command(filepath.Join(root, "bin", "p"+strconv.Itoa(i))).Run(); err != nil {
					b.Fatal(err)
				}
			}
			floor := time.Since(start)

			progs := make([]Program, n)
			for i := range progs {
				progs[i] = helloProgram(i, "runner"+nonce)
			}
			start = time.Now()
			_, errs := r.RunAll(context.Background(), progs, nil)
			cold := time.Since(start)
			for _, err := range errs {
				if err != nil {
					b.Fatal(err)
				}
			}
			builds := r.Builds()
			start = time.Now()
			res, _ := r.RunAll(context.Background(), progs, nil)
			warm := time.Since(start)
			if !res[0].Cached || r.Builds() != builds {
				b.Fatalf("warm run built again")
			}
			b.ReportMetric(floor.Seconds(), "floor-s")
			b.ReportMetric(cold.Seconds(), "cold-s")
			b.ReportMetric(cold.Seconds()/floor.Seconds(), "cold/floor")
			b.ReportMetric(ms(warm), "warm-ms")
			b.ReportMetric(float64(r.Builds()-builds), "warm-builds")
		})
	}
	os.Stdout.Sync()
}

// BenchmarkWarmLookup100 is what a warm build asks of the playground: a
// fresh Runner (as each `benchpress build` makes) given 100 programs whose
// results are all stored. The store is filled directly, so nothing
// compiles; the figure is the playground's whole share of a warm build.
func BenchmarkWarmLookup100(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "results")
	cfg := Config{Results: dir, Sandbox: "none"} // nothing runs: every result is stored
	r, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	progs := make([]Program, 100)
	for i := range progs {
		progs[i] = helloProgram(i, "warm")
		in := r.inputs(&progs[i])
		res := Result{Status: StatusOK, Events: []Event{{Stream: Stdout, Data: fmt.Sprintf("hello %d 4\n", i)}},
			Duration: 1500 * time.Microsecond, Env: currentEnv()}
		if err := r.store.put(progs[i].ID, in.Key(), in, &res); err != nil {
			b.Fatal(err)
		}
	}
	const reps = 200
	for b.Loop() {
		var ds []time.Duration
		for range reps {
			start := time.Now()
			r, err := New(cfg)
			if err != nil {
				b.Fatal(err)
			}
			res, errs := r.RunAll(context.Background(), progs, nil)
			ds = append(ds, time.Since(start))
			for i := range res {
				if errs[i] != nil || !res[i].Cached {
					b.Fatalf("program %d: %v, cached %v", i, errs[i], res[i].Cached)
				}
			}
		}
		b.ReportMetric(ms(median(ds)), "ms/lookup100")
	}
}
