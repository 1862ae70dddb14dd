package generator

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// corpusSite returns a site holding the shared benchmark corpus of n posts
// (../shared/bench/gen-corpus), generating it once per machine.
func corpusSite(b *testing.B, n int) string {
	gen, _ := filepath.Abs("../../shared/bench/gen-corpus")
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

// BenchmarkBuildCorpus1000 is a full build of the 1,000-post corpus; the
// issue's baseline is Hugo at 4.4 s and the goldmark-only floor 0.48 s.
func BenchmarkBuildCorpus1000(b *testing.B) {
	site := corpusSite(b, 1000)
	out := filepath.Join(b.TempDir(), "public")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st, err := Build(context.Background(), Options{Root: site, Out: out, Theme: testTheme})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(st.Posts)/b.Elapsed().Seconds()*float64(i+1), "pages/s")
	}
}
