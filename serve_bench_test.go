package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/benchpress/benchpress/internal/benchfloor"
)

// BenchmarkServeReload measures what an author feels: the time from saving
// a post (a body edit that changes no snippet) to the reload event on the
// page's event stream, median of 15 saves, with `serve` running on the
// 1,000-post corpus and on the example site. It also reports serve's first
// (full) build and the median rebuild time serve logged. Issue 7's target:
// median under 100 ms on the example site.
func BenchmarkServeReload(b *testing.B) {
	b.Run("corpus1000", func(b *testing.B) {
		benchReload(b, copySite(b, corpus(b, 1000), "config.yaml", "content"))
	})
	b.Run("example", func(b *testing.B) {
		if _, err := os.Stat("content/posts"); err != nil {
			b.Skip("no example site in content/")
		}
		benchReload(b, copySite(b, ".", "config.yaml", "content", "static", "layouts", "themes", ".benchpress"))
	})
}

// corpus returns the shared benchmark corpus of n posts, generated once
// per machine by ../shared/bench/gen-corpus (as generator's benchmarks do).
func corpus(b *testing.B, n int) string {
	shared := os.Getenv("SHARED")
	if shared == "" {
		shared = "../shared"
	}
	gen, _ := filepath.Abs(filepath.Join(shared, "bench", "gen-corpus"))
	if _, err := os.Stat(gen); err != nil {
		b.Skipf("corpus generator not found at %s", gen)
	}
	site := filepath.Join(os.TempDir(), "benchpress-bench", "site-"+strconv.Itoa(n))
	if _, err := os.Stat(filepath.Join(site, ".corpus-ok")); err != nil {
		os.RemoveAll(site)
		cmd := exec.Command("go", "run", ".", "-n", strconv.Itoa(n), "-out", filepath.Join(site, "content"))
		cmd.Dir = gen
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("gen-corpus: %v\n%s", err, out)
		}
		os.WriteFile(filepath.Join(site, "config.yaml"), []byte("title: Bench\nbaseURL: https://bench.example.org/\npaginate: 10\n"), 0o644)
		os.WriteFile(filepath.Join(site, ".corpus-ok"), nil, 0o644)
	}
	return site
}

// copySite copies the named entries of a site into a temporary directory,
// so the benchmark's edits touch nothing shared.
func copySite(b *testing.B, src string, names ...string) string {
	dst := b.TempDir()
	for _, name := range names {
		from := filepath.Join(src, name)
		if _, err := os.Stat(from); err != nil {
			continue
		}
		err := filepath.Walk(from, func(p string, info os.FileInfo, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(src, p)
			if info.IsDir() {
				return os.MkdirAll(filepath.Join(dst, rel), 0o755)
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return dst
}

var rebuiltRE = regexp.MustCompile(` files? changed in ([0-9.]+[µm]?s)\n`)

func benchReload(b *testing.B, root string) {
	posts, _ := filepath.Glob(filepath.Join(root, "content", "posts", "*.md"))
	if len(posts) == 0 {
		b.Skip("no posts")
	}
	// The newest post by file name for the corpus (numbered oldest first);
	// any post is fine for the example site.
	sort.Strings(posts)
	post := posts[len(posts)-1]
	orig, err := os.ReadFile(post)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		log := &syncBuffer{}
		ctx, cancel := context.WithCancel(context.Background())
		ready := make(chan string, 1)
		done := make(chan error, 1)
		start := time.Now()
		go func() {
			done <- serve(ctx, buildFlags{root: root, drafts: true, future: true}, "127.0.0.1:0", log, func(u string) { ready <- u })
		}()
		var url string
		select {
		case url = <-ready:
		case err := <-done:
			cancel()
			b.Skipf("serve: %v\n%s", err, log)
		}
		first := time.Since(start)
		d := &devServer{t: b, root: root, url: url, log: log}
		events := d.events()
		if ev := <-events; ev.name != "hello" || ev.data["errors"] != nil {
			cancel()
			b.Skipf("the site does not build: %v\n%s", ev, log)
		}
		var lat []time.Duration
		for r := 0; r < 15; r++ {
			data := append(append([]byte{}, orig...), fmt.Sprintf("\n\nAn edited paragraph, save number %d.\n", r)...)
			t0 := time.Now()
			if err := os.WriteFile(post, data, 0o644); err != nil {
				b.Fatal(err)
			}
			for ev := range events {
				if ev.name == "reload" {
					break
				}
				if ev.name == "failed" {
					b.Fatalf("rebuild failed: %v", ev)
				}
			}
			lat = append(lat, time.Since(t0))
		}
		cancel()
		<-done
		os.WriteFile(post, orig, 0o644)

		var rebuilds []time.Duration
		for _, m := range rebuiltRE.FindAllStringSubmatch(log.String(), -1)[1:] {
			if d, err := time.ParseDuration(m[1]); err == nil {
				rebuilds = append(rebuilds, d)
			}
		}
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		b.ReportMetric(benchfloor.Ms(lat[len(lat)/2]), "save-to-reload-median-ms")
		b.ReportMetric(benchfloor.Ms(lat[0]), "save-to-reload-min-ms")
		b.ReportMetric(benchfloor.Ms(lat[len(lat)-1]), "save-to-reload-max-ms")
		if len(rebuilds) > 0 {
			sort.Slice(rebuilds, func(i, j int) bool { return rebuilds[i] < rebuilds[j] })
			b.ReportMetric(benchfloor.Ms(rebuilds[len(rebuilds)/2]), "rebuild-median-ms")
		}
		b.ReportMetric(benchfloor.Ms(first), "first-build-ms")
	}
}
