package generator

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
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
func BenchmarkLiveSite(b *testing.B) {
	if testing.Short() {
		b.Skip("compiles real programs")
	}
	for _, n := range []int{50, 100} {
		b.Run("N="+strconv.Itoa(n), func(b *testing.B) {
			nonce := strconv.FormatInt(time.Now().UnixNano(), 36)
			fl := floor(b, n, "floor"+nonce)

			site := b.TempDir()
			liveSite(b, site, n, true, nonce)
			out := filepath.Join(b.TempDir(), "public")
			r, err := playground.New(playground.Config{Results: filepath.Join(site, ".benchpress", "results")})
			if err != nil {
				b.Fatal(err)
			}
			opts := Options{Root: site, Out: out, Theme: testTheme, Runner: r}
			start := time.Now()
			if _, err := Build(context.Background(), opts); err != nil {
				b.Fatal(err)
			}
			cold := time.Since(start)

			const reps = 5
			warm := medianOf(reps, func() {
				if st, err := Build(context.Background(), opts); err != nil || st.SnippetsRun != 0 {
					b.Fatalf("warm build: %v, %+v", err, st)
				}
			})
			plainSite := b.TempDir()
			liveSite(b, plainSite, n, false, nonce)
			plainOpts := Options{Root: plainSite, Out: filepath.Join(b.TempDir(), "public"), Theme: testTheme}
			plain := medianOf(reps, func() {
				if _, err := Build(context.Background(), plainOpts); err != nil {
					b.Fatal(err)
				}
			})
			b.ReportMetric(fl.Seconds(), "floor-s")
			b.ReportMetric(cold.Seconds(), "cold-s")
			b.ReportMetric(cold.Seconds()/fl.Seconds(), "cold/floor")
			b.ReportMetric(ms(warm), "warm-ms")
			b.ReportMetric(ms(plain), "plain-ms")
			b.ReportMetric(100*(warm.Seconds()/plain.Seconds()-1), "warm-overhead-%")
		})
	}
}

func medianOf(n int, f func()) time.Duration {
	ds := make([]time.Duration, n)
	for i := range ds {
		start := time.Now()
		f()
		ds[i] = time.Since(start)
	}
	return median(ds)
}
