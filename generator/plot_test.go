package generator

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/benchpress/benchpress/playground"
)

func okResult(stdout, stderr string) playground.Result {
	r := playground.Result{Status: playground.StatusOK, Duration: 12 * time.Millisecond,
		Events: []playground.Event{{Stream: playground.Stdout, Data: stdout}}}
	if stderr != "" {
		r.Events = append(r.Events, playground.Event{Stream: playground.Stderr, Data: stderr})
	}
	return r
}

func postWith(fences string) string {
	return okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\n---\n\n" + fences
}

// TestPlot builds plots from CSV and JSON lines end to end: the page shows
// the chart and its data table in place of the text output (standard
// error, if any, still shown), and the data is written beside the page.
func TestPlot(t *testing.T) {
	site := postWith("```go run name=hits plot=line x=size y=lru,fifo yunit=% ylabel=\"hit rate\"\nfmt.Println(\"size,lru,fifo\")\n```\n\n" +
		"```go run name=json plot=bar x=k y=v hide=source\nfmt.Println(`{\"k\":\"a\",\"v\":1}`)\n```\n")
	r := &fakeRunner{results: map[string]playground.Result{
		"content/posts/a.md#hits": okResult("# 1,000 requests\nsize,lru,fifo\n10,18.5,15\n100,46,41.5\n", "warming up\n"),
		"content/posts/a.md#json": okResult("{\"k\":\"a\",\"v\":1}\n{\"k\":\"b, c\",\"v\":2.5}\n", ""),
	}}
	root := writeArchive(t, txtar.Parse([]byte(site)))
	out, _, err := buildSite(t, root, r)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(out, "posts/a/index.html"))
	page := string(b)
	for _, want := range []string{
		`<div class="plot" data-plot data-status="ok" data-exit="0" data-duration="12ms">`,
		`<span class="output-status">exit 0 · 12 ms · CSV</span>`,
		`<figcaption id="snippet-hits-plot-title" class="plot-title">hit rate (%) by size</figcaption>`,
		`<svg class="plot-svg plot-line" role="img" aria-labelledby="snippet-hits-plot-title" aria-describedby="snippet-hits-plot-desc"`,
		`<p class="plot-note">1,000 requests</p>`,
		`<th scope="row" class="num">100</th><td class="num">46</td><td class="num">41.5</td>`,
		`<a href="snippet-hits.csv" download type="text/csv">snippet-hits.csv</a> (CSV, 2 rows)`,
		`<span class="stderr">warming up` + "\n</span>",
		`<span class="output-status">exit 0 · 12 ms · JSON lines</span>`,
		`<svg class="plot-svg plot-bar"`,
		`<th scope="row">b, c</th><td class="num">2.5</td>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(page, `<span class="stdout">`) {
		t.Error("a plot block also shows its data as text output")
	}
	if strings.Contains(page, "fmt.Println(`{") {
		t.Error("hide=source shows the source of a plot block")
	}
	for name, want := range map[string]string{
		"snippet-hits.csv": "size,lru,fifo\r\n10,18.5,15\r\n100,46,41.5\r\n",
		"snippet-json.csv": "k,v\r\na,1\r\n\"b, c\",2.5\r\n",
	} {
		got, err := os.ReadFile(filepath.Join(out, "posts/a", name))
		if err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want %q", name, got, err, want)
		}
	}
}

// TestPlotErrors: a plot's bad options fail at the fence's line before
// anything runs; bad data fails there too, naming the output line, row and
// column.
func TestPlotErrors(t *testing.T) {
	code := "fmt.Println(1)\n```\n"
	tests := []struct{ name, fence, stdout, want string }{
		{"no x", "```go run name=p plot=line y=b\n", "", "content/posts/a.md:6: go run: plot=line needs x=COLUMN: the column for the x axis"},
		{"axis without plot", "```go run name=p x=a y=b\n", "", "content/posts/a.md:6: go run: x= is an option of plots: add plot=line (or scatter, bar) to draw the output"},
		{"unknown kind", "```go run name=p plot=pie x=a y=b\n", "", "content/posts/a.md:6: go run: plot=pie: draw a line, scatter or bar chart"},
		{"hide=output", "```go run name=p plot=line x=a y=b hide=output\n", "", "content/posts/a.md:6: go run: plot=line with hide=output would show nothing: the plot replaces the output already (hide=source shows the plot alone)"},
		{"expect=fail", "```go run name=p plot=line x=a y=b expect=fail\n", "", "content/posts/a.md:6: go run: plot=line with expect=fail: a plot needs a program that runs and exits 0"},
		{"bench block", "```go bench name=p plot=line x=a y=b\n", "", `content/posts/a.md:6: go bench: unknown option "plot" for go bench (known: name, file, count, cpu, benchtime, baseline, claim, uses, timeout, hide, linenos, hl)`},
		{"missing column", "```go run name=p plot=line x=size y=p99\n", "size,p50\n1,2\n", `content/posts/a.md:6: plot: y=p99: the output has no column "p99" (its columns: size, p50)`},
		{"not a number", "```go run name=p plot=line x=size y=p99 yunit=ms\n", "# note\nsize,p99\n1,2\n2,3ms\n", `content/posts/a.md:6: plot: row 2 (output line 4), column "p99": "3ms" is not a number (print digits only: units belong in yunit=)`},
		{"no rows", "```go run name=p plot=line x=size y=p99\n", "size,p99\n", "content/posts/a.md:6: plot: no rows of data in the output, only the CSV header size, p99"},
		{"no output", "```go run name=p plot=scatter x=size y=p99\n", "", "content/posts/a.md:6: plot: no data in the output: print a CSV header row and records, or JSON objects, one per line"},
		{"ragged row", "```go run name=p plot=line x=size y=p99\n", "size,p99\n1\n", "content/posts/a.md:6: plot: output line 2: 1 cells, but the header (size, p99) has 2 columns"},
		{"bad JSON", "```go run name=p plot=line x=size y=p99\n", "{\"size\":1,\"p99\":[2]}\n", `content/posts/a.md:6: plot: output line 1: key "p99" holds an object or array: a cell must be a number, string, boolean or null`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &fakeRunner{results: map[string]playground.Result{"content/posts/a.md#p": okResult(tt.stdout, "")}}
			root := writeArchive(t, txtar.Parse([]byte(postWith(tt.fence+code))))
			_, _, err := buildSite(t, root, r)
			if err == nil || err.Error() != tt.want {
				t.Errorf("error:\n got: %v\nwant: %s", err, tt.want)
			}
		})
	}
}

// TestPlotOutputClaimed: a bundle file that would land on a plot's data
// file is an error before anything renders.
func TestPlotOutputClaimed(t *testing.T) {
	site := okConfig + "-- content/posts/a/index.md --\n---\ntitle: A\ndate: 2026-01-01\n---\n\n```go run name=p plot=line x=a y=b\nfmt.Println(1)\n```\n" +
		"-- content/posts/a/snippet-p.csv --\na,b\n"
	root := writeArchive(t, txtar.Parse([]byte(site)))
	_, _, err := buildSite(t, root, &fakeRunner{})
	want := "content/posts/a/snippet-p.csv: this bundle file would replace the data of plot snippet-p (content/posts/a/index.md:6) at /posts/a/snippet-p.csv: give one of them another URL"
	if err == nil || err.Error() != want {
		t.Errorf("error:\n got: %v\nwant: %s", err, want)
	}
}

// TestPlotOptionsNotInKey: the plot options are presentation only. The
// program a block runs, everything the results store keys it by, is the
// same with and without them, so stored results still serve a block that
// gains or changes a plot.
func TestPlotOptionsNotInKey(t *testing.T) {
	var progs []playground.Program
	for _, fence := range []string{"```go run name=p\n", "```go run name=p plot=line x=a y=b log=y yunit=ms title=\"T\"\n", "```go run name=p plot=bar x=a y=b\n"} {
		pr := &programRunner{fakeRunner: fakeRunner{results: map[string]playground.Result{"content/posts/a.md#p": okResult("a,b\n1,2\n", "")}}, progs: map[string]playground.Program{}}
		root := writeArchive(t, txtar.Parse([]byte(postWith(fence+"fmt.Println(\"a,b\\n1,2\")\n```\n"))))
		if _, _, err := buildSite(t, root, pr); err != nil {
			t.Fatal(err)
		}
		if len(pr.progs) != 1 {
			t.Fatalf("%d programs ran, want 1", len(pr.progs))
		}
		progs = append(progs, pr.progs["content/posts/a.md#p"])
	}
	for i := 1; i < len(progs); i++ {
		if !reflect.DeepEqual(progs[i], progs[0]) {
			t.Errorf("plot options changed the program:\n%+v\nwant\n%+v", progs[i], progs[0])
		}
	}
}
