package generator

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/benchpress/benchpress/internal/benchstats"
)

// TestBenchEndToEnd builds the benchpress command and a small site whose
// post holds a go bench block, and runs `benchpress build` on it: the
// benchmark is compiled with go test -c and run in the real sandbox. The
// page must carry the report, its numbers must be the ones in the raw text
// its link points at, and a benchmark that does not compile must be
// reported at the post's line.
func TestBenchEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: builds benchpress and runs a benchmark in the sandbox")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "benchpress")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	const post = "---\ntitle: A\ndate: 2026-01-01\n---\n\nCounting.\n\n" +
		"```go bench name=count count=6 benchtime=1000x cpu=1,2 baseline=Plain\n" +
		"var sink int\n\n" +
		"func BenchmarkPlain(b *testing.B) {\n\tfor i := 0; b.Loop(); i++ {\n\t\tsink += i\n\t}\n}\n\n" +
		"func BenchmarkAtomic(b *testing.B) {\n\tvar n atomic.Int64\n\tfor b.Loop() {\n\t\tn.Add(1)\n\t}\n\tb.ReportMetric(1, \"adds/op\")\n}\n" +
		"```\n"
	site := filepath.Join(dir, "site")
	write := func(name, data string) {
		p := filepath.Join(site, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("config.yaml", "title: T\nbaseURL: https://example.org/\n")
	write("content/posts/a.md", post)
	run := func() (string, error) {
		cmd := exec.Command(bin, "build", "--source", site)
		out, err := cmd.CombinedOutput()
		if err != nil && strings.Contains(string(out), "sandbox cannot run here") {
			if os.Getenv("CI") != "" {
				t.Fatalf("CI must run the sandbox:\n%s", out)
			}
			t.Skipf("no sandbox here:\n%s", out)
		}
		return string(out), err
	}
	if out, err := run(); err != nil {
		t.Fatalf("benchpress build: %v\n%s", err, out)
	}

	page, err := os.ReadFile(filepath.Join(site, "public/posts/a/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(site, "public/posts/a/snippet-count.txt"))
	if err != nil {
		t.Fatalf("raw text not where the page links to: %v", err)
	}
	for _, want := range []string{`<div class="bench" data-bench data-runs="6" data-baseline="Plain">`, `<a href="snippet-count.txt" type="text/plain">`,
		"<dt>GOMAXPROCS</dt><dd>1, 2</dd>", "<dt>count</dt><dd>6</dd>", "<dt>benchtime</dt><dd>1000x</dd>", ">adds/op<", `role="img"`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if !regexp.MustCompile(`<dt>Go</dt><dd>go1\.[^<]+</dd>.*<dt>run on</dt><dd>\d{4}-\d\d-\d\d</dd>`).Match(page) {
		t.Error("page lacks the Go version or the date run")
	}
	res, err := benchstats.Analyse(string(raw), "Plain")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 4 || len(res.Procs) != 2 {
		t.Fatalf("raw text has %d rows over GOMAXPROCS %v, want Plain and Atomic at 1 and 2:\n%s", len(res.Rows), res.Procs, raw)
	}
	ui := res.TimeUnit() // go test always reports sec/op
	if ui < 0 {
		t.Fatalf("raw text has no sec/op:\n%s", raw)
	}
	for _, r := range res.Rows {
		c := r.Cells[ui]
		cell := fmt.Sprintf("<th scope=\"row\">%s</th><td class=\"num bench-procs\"><span class=\"bench-procs-label\">GOMAXPROCS </span>%d</td><td class=\"num bench-value\">%s ",
			r.Series(), r.Procs, benchstats.SpellValue(c.Summary.Center, res.Units[ui], true))
		if !strings.Contains(string(page), cell) {
			t.Errorf("page lacks %s", cell)
		}
	}

	// A benchmark that does not compile fails the build at the post's line.
	write("content/posts/a.md", strings.Replace(post, "sink += i", "sink += undefinedThing", 1))
	out, err := run()
	if err == nil {
		t.Fatalf("build succeeded with a broken benchmark:\n%s", out)
	}
	if want := "content/posts/a.md:13: undefined: undefinedThing"; !strings.Contains(out, want) {
		t.Errorf("build output lacks %q:\n%s", want, out)
	}
}
