package generator

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
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
// issue's baseline is Hugo at 4.4 s and the goldmark-only floor 0.48 s
// (BenchmarkGoldmarkFloor1000 measures the floor on this machine).
//
// BENCHPRESS_BENCH_SITE=DIR builds another site instead (to profile the
// 10,000-post corpus, say).
func BenchmarkBuildCorpus1000(b *testing.B) {
	site := os.Getenv("BENCHPRESS_BENCH_SITE")
	if site == "" {
		site = corpusSite(b, 1000)
	}
	b.ResetTimer()
	cpu := cpuTime()
	for i := 0; i < b.N; i++ {
		// A fresh output directory each time, as on a clean checkout:
		// removing the last build's output first would charge this one for
		// the filesystem's handling of just-deleted inodes (see README,
		// Performance).
		b.StopTimer()
		out := filepath.Join(b.TempDir(), "public")
		b.StartTimer()
		st, err := Build(context.Background(), Options{Root: site, Out: out, Theme: testTheme})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(st.Posts)/b.Elapsed().Seconds()*float64(i+1), "pages/s")
	}
	reportCPU(b, cpu)
}

// cpuTimes is the user and the system CPU time of the process so far. On
// a shared machine wall time varies with the load; CPU time much less, and
// user time (the generator's own work) least: system time here is mostly
// the filesystem creating files and directories, whose cost per inode on
// this VM grows with what else writes to the disk.
type cpuTimes struct{ user, sys time.Duration }

// reportCPU reports the CPU seconds per operation since start: in all,
// user and system.
func reportCPU(b *testing.B, start cpuTimes) {
	now := cpuTime()
	user, sys := (now.user-start.user).Seconds()/float64(b.N), (now.sys-start.sys).Seconds()/float64(b.N)
	b.ReportMetric(user+sys, "cpu-s/op")
	b.ReportMetric(user, "user-s/op")
	b.ReportMetric(sys, "sys-s/op")
}

// BenchmarkGoldmarkFloor1000 is the floor issue 11 measures a full build
// against: goldmark alone reading the corpus's 1,000 files and converting
// their bodies to HTML on two goroutines: no front matter decoding,
// templates, highlighting, lists, feeds or output files. "plain" is
// goldmark.New() (CommonMark); "site" adds the extensions and parser
// options benchpress turns on (GFM, footnotes, definition lists,
// typographer, heading ids, attributes); "site+write" also writes each
// page to NAME/index.html in a fresh directory, as every generator must,
// to show what the filesystem alone costs on this machine.
//
// BENCHPRESS_BENCH_SITE=DIR measures the floor on another site instead
// (scripts/bench-site.sh does, for each corpus size).
func BenchmarkGoldmarkFloor1000(b *testing.B) {
	site := os.Getenv("BENCHPRESS_BENCH_SITE")
	if site == "" {
		site = corpusSite(b, 1000)
	}
	files, err := filepath.Glob(filepath.Join(site, "content", "posts", "*.md"))
	if err != nil || len(files) == 0 {
		b.Fatalf("no posts in %s: %v", site, err)
	}
	siteMD := goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.DefinitionList, extension.Typographer),
		goldmark.WithParserOptions(parser.WithAutoHeadingID(), parser.WithAttribute()))
	for _, bc := range []struct {
		name  string
		md    goldmark.Markdown
		write bool
	}{
		{"plain", goldmark.New(), false},
		{"site", siteMD, false},
		{"site+write", siteMD, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			cpu := cpuTime()
			for b.Loop() {
				out := ""
				if bc.write {
					b.StopTimer()
					out = filepath.Join(b.TempDir(), "out")
					os.Mkdir(out, 0o755)
					b.StartTimer()
				}
				var next atomic.Int64
				var wg sync.WaitGroup
				for range 2 {
					wg.Go(func() {
						var buf bytes.Buffer
						for {
							i := int(next.Add(1)) - 1
							if i >= len(files) {
								return
							}
							data, err := os.ReadFile(files[i])
							if err != nil {
								b.Error(err)
								return
							}
							// Skip the front matter: goldmark would read it as
							// a rule and a heading.
							if end := bytes.Index(data[3:], []byte("\n---\n")); bytes.HasPrefix(data, []byte("---\n")) && end >= 0 {
								data = data[3+end+5:]
							}
							buf.Reset()
							if err := bc.md.Convert(data, &buf); err != nil {
								b.Error(err)
								return
							}
							if out != "" {
								dir := filepath.Join(out, strings.TrimSuffix(filepath.Base(files[i]), ".md"))
								if err := os.Mkdir(dir, 0o755); err != nil {
									b.Error(err)
									return
								}
								if err := os.WriteFile(filepath.Join(dir, "index.html"), buf.Bytes(), 0o644); err != nil {
									b.Error(err)
									return
								}
							}
						}
					})
				}
				wg.Wait()
			}
			b.ReportMetric(float64(len(files))/(b.Elapsed().Seconds()/float64(b.N)), "pages/s")
			reportCPU(b, cpu)
		})
	}
}
