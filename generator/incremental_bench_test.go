package generator

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

// copyTree copies a site so a benchmark can edit it without disturbing
// the shared corpus.
func copyTree(b *testing.B, src string) string {
	dst := b.TempDir()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
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
	return dst
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// BenchmarkServeRebuild1000 measures serve's Builder on the 1,000-post
// corpus: a first (full) build, rebuilds with nothing changed, and
// rebuilds after a body edit of the newest post (feeds, home page and
// search index follow) and of a middle one; medians of 9 rebuilds each, so
// `make bench`'s -benchtime 1x gives steady figures. Issue 11's targets:
// no-change under 5% of a full build, one-post edit under 50 ms.
func BenchmarkServeRebuild1000(b *testing.B) {
	site := copyTree(b, corpusSite(b, 1000))
	opts := Options{Root: site, Theme: themeSnapshot(b), Dev: true, Drafts: true, Future: true}
	ctx := context.Background()
	files, _ := filepath.Glob(filepath.Join(site, "content", "posts", "*.md"))
	sort.Strings(files)
	const runs = 9
	for i := 0; i < b.N; i++ {
		start := time.Now()
		builder := NewBuilder(opts)
		if _, err := builder.Build(ctx); err != nil {
			b.Fatal(err)
		}
		full := time.Since(start)
		var nochange []time.Duration
		for r := 0; r < runs; r++ {
			start := time.Now()
			if _, err := builder.Build(ctx); err != nil {
				b.Fatal(err)
			}
			nochange = append(nochange, time.Since(start))
		}
		edit := func(post string) (time.Duration, int) {
			orig, _ := os.ReadFile(post)
			defer os.WriteFile(post, orig, 0o644)
			rel, _ := filepath.Rel(site, post)
			var ds []time.Duration
			changed := 0
			for r := 0; r < runs; r++ {
				// A body edit that also changes the word count, as typing does.
				data := append(bytes.Clone(orig), fmt.Sprintf("\nAn edited sentence, number %d of the run.\n", r)...)
				os.WriteFile(post, data, 0o644)
				start := time.Now()
				builder.Invalidate(filepath.ToSlash(rel))
				res, err := builder.Build(ctx)
				if err != nil {
					b.Fatal(err)
				}
				ds = append(ds, time.Since(start))
				changed = len(res.Changed)
			}
			return median(ds), changed
		}
		// gen-corpus numbers posts oldest first.
		newest, newestFiles := edit(files[len(files)-1])
		middle, middleFiles := edit(files[len(files)/2])
		b.ReportMetric(ms(full), "full-ms")
		b.ReportMetric(ms(median(nochange)), "nochange-ms")
		b.ReportMetric(100*float64(median(nochange))/float64(full), "nochange-%-of-full")
		b.ReportMetric(ms(newest), "edit-newest-ms")
		b.ReportMetric(float64(newestFiles), "edit-newest-files")
		b.ReportMetric(ms(middle), "edit-middle-ms")
		b.ReportMetric(float64(middleFiles), "edit-middle-files")
	}
}
