package browsertest

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeCorpus writes a site of n generated posts of about 1,500 words each,
// with a Zipf-distributed vocabulary of 8,000 words, 6 headings and 3 tags
// per post: enough like real prose for the search index's size and speed.
func writeCorpus(tb testing.TB, n int) string {
	tb.Helper()
	root := tb.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	syll := strings.Fields("ka lo mi ne ru sa te vo zi da fe gu hi jo pu ra si to un ve ba co di el fa go ha in ju le")
	vocab := make([]string, 8000)
	for i := range vocab {
		var b strings.Builder
		for k := 0; k < 2+i%3; k++ {
			b.WriteString(syll[rng.IntN(len(syll))])
		}
		vocab[i] = b.String()
	}
	zipf := rand.NewZipf(rng, 1.1, 1, uint64(len(vocab)-1))
	words := func(k int) string {
		w := make([]string, k)
		for i := range w {
			w[i] = vocab[zipf.Uint64()]
		}
		return strings.Join(w, " ")
	}
	if err := os.MkdirAll(filepath.Join(root, "content", "posts"), 0o755); err != nil {
		tb.Fatal(err)
	}
	os.WriteFile(filepath.Join(root, "config.yaml"), []byte("title: Corpus\nbaseURL: https://corpus.example.org/\npaginate: 10\n"), 0o644)
	day := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: %q\nsubtitle: %q\ndate: %s\ntags: [t%d, t%d, t%d]\n---\n", words(4), words(10),
			day.AddDate(0, 0, i).Format("2006-01-02"), rng.IntN(40), rng.IntN(40), rng.IntN(40))
		for s := 0; s < 6; s++ {
			fmt.Fprintf(&b, "\n## %s\n\n", words(3))
			for p := 0; p < 2; p++ {
				b.WriteString(words(125) + "\n\n")
			}
		}
		if err := os.WriteFile(filepath.Join(root, "content", "posts", fmt.Sprintf("p%04d.md", i)), []byte(b.String()), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return root
}

// BenchmarkSearch1000 builds a 1,000-post site, loads its home page in
// Chromium and times queries typed into the search box, from the input
// event to the results laid out. Reports the index size per post, the time
// to fetch and prepare the index, and the time per query.
func BenchmarkSearch1000(b *testing.B) {
	skipShort(b)
	const n = 1000
	dir := buildDir(b, writeCorpus(b, n), nil)
	entries, err := os.ReadDir(filepath.Join(dir, "search"))
	if err != nil {
		b.Fatal(err)
	}
	var size int64
	for _, e := range entries {
		if fi, err := e.Info(); err == nil {
			size += fi.Size()
		}
	}
	bctx := startBrowser(b)
	tb := newTab(b, bctx, serve(b, dir))
	tb.open("/")
	load := eval[float64](tb, `(function(){
		var input = document.getElementById("search-input"), t0 = performance.now();
		input.focus(); input.value = "zzzz"; input.dispatchEvent(new Event("input"));
		// the index is fetched in pieces: wait for the answer
		return new Promise(function (resolve) {
			(function wait() { if (!document.getElementById("search-results").hidden) resolve(performance.now() - t0); else setTimeout(wait, 1); })();
		});
	})()`)
	queries := []string{"kalo", "mine ruka", "zi", "satevo", "t17", "fegu hi", "nosuchword", "ba co di"}
	b.ResetTimer()
	// Each query through the script's search, chunks fetched as needed
	// (cached after their first use) and the shown pages' titles read.
	times := eval[[]float64](tb, fmt.Sprintf(`(async function(){
		var qs = %s, out = [];
		for (var i = 0; i < %d; i++) {
			for (var j = 0; j < qs.length; j++) {
				var t0 = performance.now();
				await window.benchpressSearch.search(qs[j]);
				out.push(performance.now() - t0);
			}
		}
		return out;
	})()`, jsStrings(queries), b.N))
	b.StopTimer()
	var sum, max float64
	for _, t := range times {
		sum += t
		if t > max {
			max = t
		}
	}
	b.ReportMetric(float64(size)/n, "index-B/post")
	b.ReportMetric(load, "load-ms")
	b.ReportMetric(sum/float64(len(times)), "ms/query")
	b.ReportMetric(max, "max-ms/query")
}

func jsStrings(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(q, ",") + "]"
}
