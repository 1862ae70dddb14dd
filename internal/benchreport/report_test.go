package benchreport

import (
	"bufio"
	"fmt"
	"html"
	"html/template"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/benchpress/benchpress/internal/benchstats"
	"github.com/benchpress/benchpress/internal/golden"
)

// The recorded outputs in testdata: real `go test -bench` runs of the
// benchmarks in testdata/source.txtar (which says how to record them
// again), each with the baseline its report compares against.
var benchRecordings = []struct{ name, baseline string }{
	{"counter", "Mutex"}, // -cpu 1,2; a custom metric (incs/s) from b.ReportMetric
	{"keys", "Sprintf"},  // sub-benchmarks (/parts=N), GOMAXPROCS 2 only; B/op and allocs/op vary
}

func readBenchdata(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// testBlock is a bench block named name as the generator describes it:
// stamp and the raw file's reference.
func testBlock(name string) Block {
	return Block{ID: "snippet-" + name, Benchtime: "20ms", RawRef: "snippet-" + name + ".txt", Env: Env{
		GoVersion: "go1.26.8", GOOS: "linux", GOARCH: "amd64", CPU: "Intel(R) Xeon(R) Processor @ 2.80GHz",
		RanAt: time.Date(2026, 11, 23, 8, 38, 12, 0, time.UTC)}}
}

// renderRaw analyses a block's raw output as the generator does, at the
// default noise threshold of ±10%, and renders its report.
func renderRaw(raw string, blk Block, baseline string) (template.HTML, error) {
	res, err := benchstats.Analyse(raw, baseline)
	if err != nil {
		return "", err
	}
	res.Noise = 0.1
	return Render(res, blk), nil
}

// benchstatTable is one unit's table of a recorded benchstat output.
type benchstatTable struct {
	unit string
	cols []string            // column headers (-col .name: benchmark names)
	rows map[string][]string // row label -> the rest of the line, split on runs of spaces
	geo  string              // the geomean line, after its label
}

// parseBenchstat reads benchstat's text tables: a header line of column
// names between │, a line of units, then rows "label  cells...".
func parseBenchstat(t *testing.T, text string) []*benchstatTable {
	t.Helper()
	var tables []*benchstatTable
	var cur *benchstatTable
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.TrimSpace(line) == "":
			cur = nil
		case strings.Contains(line, "│"):
			cells := strings.Split(line, "│")[1:]
			for i := range cells {
				cells[i] = strings.TrimSpace(cells[i])
			}
			cells = cells[:len(cells)-1]
			if cur == nil {
				cur = &benchstatTable{cols: cells, rows: map[string][]string{}}
				tables = append(tables, cur)
			} else {
				cur.unit = strings.Fields(cells[0])[0]
			}
		case cur != nil && cur.unit != "" && !strings.HasPrefix(line, "¹") && !strings.HasPrefix(line, "²"):
			label, rest, _ := strings.Cut(line, " ")
			if label == "geomean" {
				cur.geo = rest
			} else {
				cur.rows[label] = strings.Fields(rest)
			}
		}
	}
	return tables
}

// TestBenchReportMatchesBenchstat checks the numbers benchpress shows
// against what benchstat printed for the same raw files: `benchstat F`
// for medians and intervals, `benchstat -col .name F` for the comparison
// with the first benchmark (the baseline): "~" or the delta, the p-value
// and sample sizes, and the geometric means.
func TestBenchReportMatchesBenchstat(t *testing.T) {
	deltaRE := regexp.MustCompile(`(~|[+-]\d+\.\d+%) \(((?:p=\S+ )?n=[^)]+)\)`)
	geoDeltaRE := regexp.MustCompile(`[+-]\d+\.\d+%`)
	for _, rec := range benchRecordings {
		t.Run(rec.name, func(t *testing.T) {
			res, err := benchstats.Analyse(readBenchdata(t, rec.name+".txt"), rec.baseline)
			if err != nil {
				t.Fatal(err)
			}
			unitIndex := func(unit string) int {
				for i, u := range res.Units {
					if u.Name == unit {
						return i
					}
				}
				t.Fatalf("no unit %s in %v", unit, res.Units)
				return -1
			}
			rowNamed := func(name string) *benchstats.Row {
				for _, r := range res.Rows {
					if r.Name == name {
						return r
					}
				}
				t.Fatalf("no row %s", name)
				return nil
			}

			page, err := renderRaw(readBenchdata(t, rec.name+".txt"), testBlock(rec.name), rec.baseline)
			if err != nil {
				t.Fatal(err)
			}

			// Medians and intervals, in the numbers and on the page.
			plain := parseBenchstat(t, readBenchdata(t, rec.name+".benchstat"))
			if len(plain) != len(res.Units) {
				t.Fatalf("benchstat has %d units, we have %d", len(plain), len(res.Units))
			}
			checked := 0
			for _, tb := range plain {
				ui := unitIndex(tb.unit)
				u := res.Units[ui]
				if len(tb.rows) != len(res.Rows) {
					t.Errorf("%s: benchstat has %d rows, we have %d", tb.unit, len(tb.rows), len(res.Rows))
				}
				for name, cells := range tb.rows {
					c := rowNamed(name).Cells[ui]
					// cells: value ± pct%
					if got := benchstats.FormatValue(c.Summary.Center, u.Class); got != cells[0] {
						t.Errorf("%s %s: median %s, benchstat %s", name, tb.unit, got, cells[0])
					}
					if got := c.Summary.PctRangeString(); cells[1] != "±" || got != cells[2] {
						t.Errorf("%s %s: interval ± %s, benchstat %v", name, tb.unit, got, cells[1:])
					}
					// The page spells the same number out with its unit, and
					// shows a noisy time's interval as its range.
					cell := fmt.Sprintf("<td class=\"num bench-value\">%s <span class=\"bench-ci\">±%s</span></td>", benchstats.SpellValue(c.Summary.Center, u, true), cells[2])
					if res.Noise = 0.1; res.Noisy(ui, c) {
						cell = fmt.Sprintf("<td class=\"num bench-value\">%s <span class=\"bench-interval\"><span class=\"bench-ci bench-range\">%s to %s</span> <span class=\"bench-noise\">noisy, ±%s</span></span></td>",
							benchstats.SpellValue(c.Summary.Center, u, true), benchstats.SpellValue(c.Summary.Lo, u, false), benchstats.SpellValue(c.Summary.Hi, u, false), cells[2])
					}
					if res.ZeroUnit(ui) {
						// Every run measured 0: no column, a line in the legend.
						if strings.Contains(string(page), ">"+tb.unit+"</th>") || !strings.Contains(string(page), benchstats.SpellValue(0, u, true)) {
							t.Errorf("%s: every run measured 0, want no column and %q in the legend", tb.unit, benchstats.SpellValue(0, u, true))
						}
					} else if !strings.Contains(string(page), cell) {
						t.Errorf("%s %s: the page has no cell %s", name, tb.unit, cell)
					}
					checked++
				}
			}

			// Comparison with the baseline.
			cmp := parseBenchstat(t, readBenchdata(t, rec.name+".col-name.benchstat"))
			for _, tb := range cmp {
				ui := unitIndex(tb.unit)
				u := res.Units[ui]
				if tb.cols[0] != rec.baseline {
					t.Fatalf("benchstat's first column is %s, not the baseline %s", tb.cols[0], rec.baseline)
				}
				for label, cells := range tb.rows {
					deltas := deltaRE.FindAllStringSubmatch(strings.Join(cells, " "), -1)
					if len(deltas) != len(tb.cols)-1 {
						t.Fatalf("%s row %q: %d comparisons for %d columns", tb.unit, label, len(deltas), len(tb.cols)-1)
					}
					for i, col := range tb.cols[1:] {
						c := rowNamed(col + strings.TrimPrefix(label, "*")).Cells[ui]
						want, wantP := deltas[i][1], deltas[i][2]
						got := "~"
						if c.Significant() {
							got = fmtDelta(c.Ratio)
						}
						if got != want || c.Cmp.String() != wantP {
							t.Errorf("%s %s%s: %s (%s), benchstat %s (%s)", tb.unit, col, label[1:], got, c.Cmp.String(), want, wantP)
						}
						checked++
					}
				}
				// geomean: baseline's, then per candidate its geomean and delta.
				geoDeltas := geoDeltaRE.FindAllString(tb.geo, -1)
				geoValues := strings.Fields(geoDeltaRE.ReplaceAllString(strings.NewReplacer("¹", "", "²", "").Replace(tb.geo), ""))
				for i, col := range tb.cols[1:] {
					g := geomeanOf(res, col)
					if g == nil {
						t.Fatalf("no geomean for %s", col)
					}
					if got := fmtDelta(g.Ratio[ui]); got != geoDeltas[i] {
						t.Errorf("%s geomean %s: %s, benchstat %s", tb.unit, col, got, geoDeltas[i])
					}
					if len(geoValues) == len(tb.cols) {
						if got := benchstats.FormatValue(g.Center[ui], u.Class); got != geoValues[i+1] {
							t.Errorf("%s geomean %s: %s, benchstat %s", tb.unit, col, got, geoValues[i+1])
						}
					} else if !math.IsNaN(g.Center[ui]) {
						t.Errorf("%s geomean %s: %v, but benchstat shows none", tb.unit, col, g.Center[ui])
					}
					checked++
				}
			}
			if checked < 20 {
				t.Errorf("only %d numbers checked", checked)
			}
		})
	}
}

// fmtDelta writes a ratio as benchstat writes a difference: +64.19%.
func fmtDelta(ratio float64) string { return fmt.Sprintf("%+.2f%%", (ratio-1)*100) }

func geomeanOf(res *benchstats.Results, base string) *benchstats.Geomean {
	for _, g := range res.Geomeans {
		if g.Base == base {
			return g
		}
	}
	return nil
}

// firstRuns keeps the first n result lines of every benchmark.
func firstRuns(raw string, n int) string {
	seen := map[string]int{}
	var b strings.Builder
	for _, line := range strings.SplitAfter(raw, "\n") {
		if f := strings.Fields(line); len(f) > 0 && strings.HasPrefix(f[0], "Benchmark") {
			if seen[f[0]]++; seen[f[0]] > n {
				continue
			}
		}
		b.WriteString(line)
	}
	return b.String()
}

// svgOf is the chart of a report.
func svgOf(t *testing.T, page string) string {
	i, j := strings.Index(page, "<svg"), strings.Index(page, "</svg>")
	if i < 0 || j < i {
		t.Fatal("report has no <svg>")
	}
	return page[i:j+len("</svg>")] + "\n"
}

// TestBenchReportGolden renders the recorded outputs (and one cut to three
// runs, too few for an interval) and compares the HTML and the chart with
// testdata/*.golden.{html,svg}; -update rewrites them.
func TestBenchReportGolden(t *testing.T) {
	cases := []struct{ name, raw, baseline string }{
		{"counter", readBenchdata(t, "counter.txt"), "Mutex"},
		{"keys", readBenchdata(t, "keys.txt"), "Sprintf"},
		{"few", firstRuns(readBenchdata(t, "keys.txt"), 3), ""},
	}
	// busy: a block measured on a busy machine, with a claim its runs
	// could not confirm and one that held on extra runs.
	cases = append(cases, struct{ name, raw, baseline string }{"busy", readBenchdata(t, "counter.txt"), "Mutex"})
	block := func(name string) Block {
		blk := testBlock(name)
		if name == "few" {
			// The playground server's own note, escaped as text.
			blk.Notes = []string{"No ratios: baseline=Gone: the output has no BenchmarkGone (it has <Sprintf> & co)."}
		}
		if name == "busy" {
			blk.Env.Load, blk.Env.Busy = "other processes took 67% of 2 CPUs, steal 0%, load average 3.10", true
			blk.Unconfirmed = []Unconfirmed{{Claim: "Atomic < Mutex", Where: "Atomic-2 against Mutex-2", Figures: "0.97x [0.81, 1.12], p=0.412", Rounds: 2}}
			// Claims judged on more runs than the table's: the legend
			// says which.
			blk.Pooled = []Pooled{
				{Claim: "Sharded < 0.5x Mutex", Holds: true, Benchmarks: []string{"Sharded", "Mutex"}, Rounds: 1, Runs: "12", Figures: "0.31x [0.28, 0.35], p=0.000"},
				{Claim: "Atomic < Mutex", Benchmarks: []string{"Atomic", "Mutex"}, Rounds: 2, Runs: "18", Figures: "0.97x [0.81, 1.12], p=0.412"},
			}
		}
		return blk
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			page, err := renderRaw(c.raw, block(c.name), c.baseline)
			if err != nil {
				t.Fatal(err)
			}
			again, _ := renderRaw(c.raw, block(c.name), c.baseline)
			if page != again {
				t.Fatal("two renderings of the same output differ")
			}
			golden.Check(t, c.name+".golden.html", []byte(page))
			golden.Check(t, c.name+".golden.svg", []byte(svgOf(t, string(page))))
		})
	}
}

// TestBenchReportCases covers the edges: one sample, outputs without
// results, an unknown baseline, metrics only one side reports, missing
// pairings and hostile names.
func TestBenchReportCases(t *testing.T) {
	const head = "goos: linux\ngoarch: amd64\npkg: example.com/x\ncpu: Test CPU\n"
	tests := []struct {
		name, raw, baseline string
		err                 string   // the whole error, if one is expected
		want                []string // in the report
		absent              []string
	}{
		{name: "one sample", raw: head + "BenchmarkX-2   \t 1000\t 1234 ns/op\t 16 B/op\t 1 allocs/op\nPASS\n",
			want: []string{
				`<p class="bench-warning" role="note"><strong>Too few runs for a confidence interval.</strong> Every benchmark ran fewer than 6 times, so no interval is shown. Their medians may be noise: raise <code>count=</code> in the fence to 6 or more.</p>`,
				`<td class="num bench-value">1.234 µs/op <span class="bench-few">n=1, no interval</span></td>`,
				`<td class="num bench-value">16 B/op <span class="bench-few">n=1, no interval</span></td>`,
				"X: 1.234 µs/op (1 run, no interval)",
				"<dt>n=1, no interval</dt><dd>only 1 run: a 95% confidence interval of the median needs at least 6.</dd>",
				`data-runs="1"`},
			absent: []string{"bench-ci", "bench-whisker"}},
		{name: "some with few runs", raw: head + strings.Repeat("BenchmarkA \t 100 \t 10 ns/op\n", 6) + strings.Repeat("BenchmarkB-2 \t 100 \t 10 ns/op\n", 2),
			want: []string{
				"These ran fewer than 6 times, so no interval is shown for them: B-2 (2). Their medians may be noise",
				"<caption id=\"snippet-x-caption\">Benchmark results: median of 2 to 6 runs ± 95% confidence interval</caption>",
				"<dt>n=2, no interval</dt>"}},
		{name: "no results", raw: head + "PASS\nok  \texample.com/x\t0.01s\n",
			err: "no benchmark results in the output: define functions func BenchmarkXxx(b *testing.B)"},
		{name: "empty output", raw: "",
			err: "no benchmark results in the output: define functions func BenchmarkXxx(b *testing.B)"},
		{name: "failed", raw: head + "--- FAIL: BenchmarkX\n    x_test.go:9: boom\nFAIL\n",
			err: "no benchmark results in the output: define functions func BenchmarkXxx(b *testing.B)"},
		{name: "unreadable", raw: head + "BenchmarkX   \t hello from the benchmark\n",
			err: "no benchmark results could be read from the output (line 5: parsing iteration count: invalid syntax)"},
		{name: "some unreadable", raw: head + "BenchmarkX   \t 100 \t 5 ns/op\nBenchmarkY hello 10 ns/op\n",
			want: []string{"<strong>1 line of output could not be read as a result and is left out</strong> (line 6: parsing iteration count: invalid syntax)"}},
		{name: "unknown baseline", raw: readBenchdata(t, "counter.txt"), baseline: "Nope",
			err: "baseline=Nope: the output has no BenchmarkNope (it has Mutex, Sharded, Atomic)"},
		{name: "baseline with prefix", raw: readBenchdata(t, "counter.txt"), baseline: "BenchmarkMutex",
			want: []string{`data-baseline="Mutex"`, ">vs Mutex<"}},
		{name: "metric on one side only",
			raw:      head + strings.Repeat("BenchmarkA \t 100 \t 10 ns/op\nBenchmarkB \t 100 \t 5 ns/op \t 3 hits/op\n", 6),
			baseline: "A",
			want: []string{
				`<tr class="bench-baseline"><th scope="row">A</th><td class="num bench-value">10.00 ns/op <span class="bench-ci">±0%</span></td><td class="num bench-ratio"><span class="bench-tag">baseline</span></td><td class="num bench-value">` + notReported + `<span class="bench-card-unit" aria-hidden="true"> hits/op</span></td>`,
				`<td class="num bench-ratio bench-better">0.50× <span class="bench-p">p=0.002 n=6</span></td>`,
				`<td class="num bench-value">3 hits/op <span class="bench-ci">±0%</span></td><td class="num bench-ratio"><span aria-hidden="true">–</span><span class="visually-hidden">A did not report hits/op</span></td>`}},
		{name: "geomean only over pairs",
			raw: head + strings.Repeat("BenchmarkA/n=1 \t 100 \t 10 ns/op\nBenchmarkA/n=2 \t 100 \t 20 ns/op\nBenchmarkB/n=1 \t 100 \t 20 ns/op\n"+
				"BenchmarkB/n=2 \t 100 \t 80 ns/op\nBenchmarkB/n=3 \t 100 \t 1 ns/op\n", 6),
			baseline: "A",
			want: []string{
				`<th scope="row">B <span class="bench-tag">geomean of 2</span></th><td class="num bench-value">40.00 ns/op</td><td class="num bench-ratio">2.83×</td>`,
				`<th scope="row">B/n=3</th><td class="num bench-value">1.000 ns/op <span class="bench-ci">±0%</span></td><td class="num bench-ratio">` + noBaseline}},
		{name: "not significant", raw: head + "BenchmarkA 1 10 ns/op\nBenchmarkA 1 12 ns/op\nBenchmarkA 1 11 ns/op\nBenchmarkA 1 13 ns/op\nBenchmarkA 1 9 ns/op\nBenchmarkA 1 10 ns/op\n" +
			"BenchmarkB 1 11 ns/op\nBenchmarkB 1 10 ns/op\nBenchmarkB 1 12 ns/op\nBenchmarkB 1 9 ns/op\nBenchmarkB 1 13 ns/op\nBenchmarkB 1 11 ns/op\n", baseline: "A",
			want: []string{`<td class="num bench-ratio bench-same"><span aria-hidden="true">~</span><span class="visually-hidden">no significant difference</span> <span class="bench-p">p=`}},
		{name: "hostile names", raw: head + strings.Repeat("BenchmarkX/<script>alert(\"1\")</script>&amp; \t 100 \t 10 ns/op\n", 6),
			want:   []string{"X/&lt;script&gt;alert(&#34;1&#34;)&lt;/script&gt;&amp;amp;"},
			absent: []string{"<script>", `alert("1")`}},
		{name: "custom units", raw: head + strings.Repeat("BenchmarkX \t 100 \t 10 ns/op \t 12500000 B/s \t 2048 B/op\n", 6),
			want: []string{">sec/op<", ">B/s<", "<td class=\"num bench-value\">11.92 MiB/s <span", "<td class=\"num bench-value\">2.000 KiB/op <span"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := renderRaw(tt.raw, testBlock("x"), tt.baseline)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error:\n got: %v\nwant: %s", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(page), w) {
					t.Errorf("report lacks\n%s\nin\n%s", w, page)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(string(page), a) {
					t.Errorf("report has %q", a)
				}
			}
		})
	}
}

func TestNiceScale(t *testing.T) {
	for _, tt := range []struct{ max, top, step float64 }{
		{78.26e-9, 80e-9, 20e-9}, {1.77e-6, 2e-6, 0.5e-6}, {3, 3, 1}, {0, 1, 0.25}, {1, 1, 0.5}, {101, 150, 50}} {
		top, step := niceScale(tt.max)
		if math.Abs(top-tt.top) > 1e-12*tt.top || math.Abs(step-tt.step) > 1e-12*tt.step {
			t.Errorf("niceScale(%v) = %v, %v; want %v, %v", tt.max, top, step, tt.top, tt.step)
		}
	}
}

// TestReportMatchesPage: the report the playground server sends a reader
// (benchstats.Report) has the very figures the author's page shows, so a
// Rerun reads like the author's report.
func TestReportMatchesPage(t *testing.T) {
	for _, rec := range append(benchRecordings, struct{ name, baseline string }{"counter", ""}) {
		t.Run(rec.name+"/"+rec.baseline, func(t *testing.T) {
			raw := readBenchdata(t, rec.name+".txt")
			page, err := renderRaw(raw, testBlock(rec.name), rec.baseline)
			if err != nil {
				t.Fatal(err)
			}
			res, err := benchstats.Analyse(raw, rec.baseline)
			if err != nil {
				t.Fatal(err)
			}
			res.Noise = 0.1
			rep := res.Report()
			text := string(page)
			if !strings.Contains(text, "Benchmark results: "+rep.Caption+"</caption>") {
				t.Errorf("the page's caption is not %q", rep.Caption)
			}
			for _, r := range append(rep.Rows, rep.Geomeans...) {
				if !strings.Contains(text, ">"+html.EscapeString(r.Name)+"<") && !strings.Contains(text, ">"+html.EscapeString(r.Name)+" <") {
					t.Errorf("row %s is not on the page", r.Name)
				}
				for i, c := range r.Cells {
					for _, s := range []string{c.Value, c.Interval, c.Ratio, c.P, c.Noisy} {
						if s != "" && !strings.Contains(text, html.EscapeString(s)) {
							t.Errorf("%s, %s: %q is not on the page", r.Name, rep.Columns[i].Unit, s)
						}
					}
				}
			}
		})
	}
}

// TestNoiseAdvice: a noisy table blames the machine only as far as the
// load stamp allows.
func TestNoiseAdvice(t *testing.T) {
	for _, tt := range []struct {
		name string
		load string
		busy bool
		want string
	}{
		{"no stamp", "", false, "The machine was likely busy: the figures are best measured again on a quieter one."},
		{"busy", "other processes took 67% of 2 CPUs, steal 0%, load average 3.10", true, "The machine was busy (see the load below)"},
		{"quiet", "other processes took 2% of 2 CPUs, steal 0%, load average 1.10", false, "Other processes were quiet while they ran (see the load below), so the spread is the benchmark's own"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			blk := testBlock("noise")
			blk.Env.Load, blk.Env.Busy = tt.load, tt.busy
			page, err := renderRaw(readBenchdata(t, "counter.txt"), blk, "Mutex")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(page), "Noisy measurements.") || !strings.Contains(string(page), tt.want) {
				t.Errorf("the noise warning lacks %q:\n%s", tt.want, page)
			}
		})
	}
}
