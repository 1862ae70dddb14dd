package generator

// A go bench block's report, from the raw `go test -bench` output:
//
//   - The output is read with golang.org/x/perf/benchfmt, the reader
//     benchstat uses, and summarised with golang.org/x/perf/benchmath the way
//     benchstat does: per benchmark (base name and sub-benchmark
//     configuration), per GOMAXPROCS (the -N suffix) and per unit, the median
//     and its 95% confidence interval; against baseline=, the Mann-Whitney U
//     test at alpha 0.05 decides whether a ratio is shown or "~". Numbers are
//     formatted by golang.org/x/perf/benchunit, so they read as benchstat's
//     do (32.42n sec/op, 192.0 B/op).
//   - Honest by default: a cell without enough runs for an interval says so
//     instead of showing one, a warning above the table says why, and a
//     benchmark's geometric mean covers only the configurations that both it
//     and the baseline ran.
//   - The report is one <div data-bench>: the table, a legend in plain words,
//     an inline SVG chart of sec/op (bars with interval whiskers, or with
//     several GOMAXPROCS values a line per benchmark), and the environment
//     stamp with the link to the raw text, which render.go writes next to the
//     page as sn.RawRef. Output depends only on its inputs: no map order, no
//     clock.

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"
	"golang.org/x/perf/benchunit"
)

// benchConfidence is the confidence level of the intervals shown, and
// benchMinRuns the fewest runs for which benchmath can give one at that
// level with no distributional assumption.
const (
	benchConfidence = 0.95
	benchMinRuns    = 6
)

// renderBenchReport turns a bench block's raw output into its table, chart
// and environment stamp. An error is the author's to fix (no results, an
// unknown baseline); the caller reports it at the fence.
func renderBenchReport(raw string, sn *Snippet) (template.HTML, error) {
	res, err := analyseBench(raw, sn.Opts.Baseline)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	writeBenchReport(&b, res, sn)
	return template.HTML(b.String()), nil
}

// benchResults is the statistical summary of one bench block's output.
type benchResults struct {
	Units    []benchUnit
	Rows     []*benchRow // series in order of first appearance, each by GOMAXPROCS
	Geomeans []*benchGeomean
	Baseline string // base name, without "Benchmark"; "" for none
	Procs    []int  // the GOMAXPROCS values that ran, ascending
	MinRuns  int    // fewest and most runs of any benchmark and unit
	MaxRuns  int

	// File-level configuration printed by the test binary.
	GOOS, GOARCH, CPU string

	// Lines that started like a result but could not be read, with the
	// first reader message.
	BadLines int
	BadFirst string
}

// benchUnit is one metric: sec/op, B/op, allocs/op or a custom unit from
// b.ReportMetric, tidied as benchstat tidies them (ns -> sec, MB -> B).
type benchUnit struct {
	Name   string
	Class  benchunit.Class
	Better int // -1 lower is better, +1 higher, 0 unknown
	assume benchmath.Assumption
}

// benchRow is one benchmark in one configuration at one GOMAXPROCS.
type benchRow struct {
	Name   string // as printed, without "Benchmark": Sprintf/parts=8-2
	Base   string // Sprintf
	Config string // /parts=8
	Procs  int
	Cells  []*benchCell // by unit; nil where the unit was not reported

	paired bool        // the baseline ran in this configuration
	order  int         // first appearance of its series
	values [][]float64 // by unit, as read
}

// Series is the row's name without the GOMAXPROCS suffix.
func (r *benchRow) Series() string { return r.Base + r.Config }

// benchCell is one row's measurements of one unit.
type benchCell struct {
	Sample  *benchmath.Sample
	Summary benchmath.Summary

	// Against the baseline's row of the same configuration and GOMAXPROCS.
	Cmp   *benchmath.Comparison
	Ratio float64 // this center / the baseline's; NaN when undefined
}

// HasCI reports whether the cell has a finite confidence interval.
func (c *benchCell) HasCI() bool {
	return !math.IsInf(c.Summary.Lo, 0) && !math.IsInf(c.Summary.Hi, 0)
}

// Significant reports whether the difference from the baseline is
// statistically significant (benchstat prints a delta, not "~").
func (c *benchCell) Significant() bool {
	return c.Cmp != nil && c.Cmp.P <= c.Cmp.Alpha
}

// benchGeomean summarises one non-baseline benchmark against the baseline
// over the configurations both ran.
type benchGeomean struct {
	Base   string
	Pairs  int       // configurations in the mean
	Center []float64 // by unit: geomean of this benchmark's medians; NaN if undefined
	Ratio  []float64 // by unit: geomean of the ratios; NaN if undefined
}

// analyseBench reads raw benchmark output and summarises it.
func analyseBench(raw, baseline string) (*benchResults, error) {
	res := &benchResults{Baseline: strings.TrimPrefix(baseline, "Benchmark")}
	rd := benchfmt.NewReader(strings.NewReader(raw), "output")
	rowOf := map[string]*benchRow{}
	unitOf := map[string]int{}
	seriesOrder := map[string]int{}
	for rd.Scan() {
		switch rec := rd.Result().(type) {
		case *benchfmt.SyntaxError:
			if res.BadLines == 0 {
				res.BadFirst = fmt.Sprintf("line %d: %s", rec.Line, rec.Msg)
			}
			res.BadLines++
		case *benchfmt.Result:
			if res.GOOS == "" {
				res.GOOS, res.GOARCH = rec.GetConfig("goos"), rec.GetConfig("goarch")
				res.CPU = rec.GetConfig("cpu")
			}
			base, parts := rec.Name.Parts()
			procs := 1
			var config strings.Builder
			for i, p := range parts {
				if i == len(parts)-1 && len(p) > 1 && p[0] == '-' {
					if n, err := strconv.Atoi(string(p[1:])); err == nil {
						procs = n
						continue
					}
				}
				config.Write(p)
			}
			name := strings.ToValidUTF8(rec.Name.String(), "\uFFFD")
			r := rowOf[name]
			if r == nil {
				r = &benchRow{Name: name, Base: strings.ToValidUTF8(string(base), "\uFFFD"),
					Config: strings.ToValidUTF8(config.String(), "\uFFFD"), Procs: procs}
				if _, ok := seriesOrder[r.Series()]; !ok {
					seriesOrder[r.Series()] = len(seriesOrder)
				}
				r.order = seriesOrder[r.Series()]
				rowOf[name] = r
				res.Rows = append(res.Rows, r)
			}
			for _, v := range rec.Values {
				ui, ok := unitOf[v.Unit]
				if !ok {
					ui = len(res.Units)
					unitOf[v.Unit] = ui
					res.Units = append(res.Units, benchUnit{Name: v.Unit, Class: benchunit.ClassOf(v.Unit)})
				}
				for len(r.values) <= ui {
					r.values = append(r.values, nil)
				}
				r.values[ui] = append(r.values[ui], v.Value)
			}
		}
	}
	if err := rd.Err(); err != nil {
		return nil, err
	}
	if len(res.Rows) == 0 {
		if res.BadLines > 0 {
			return nil, fmt.Errorf("no benchmark results could be read from the output (%s)", res.BadFirst)
		}
		return nil, fmt.Errorf("no benchmark results in the output: define functions func BenchmarkXxx(b *testing.B)")
	}
	units := rd.Units()
	for i := range res.Units {
		u := &res.Units[i]
		u.Better = units.GetBetter(u.Name)
		u.assume = units.GetAssumption(u.Name)
	}

	// Summaries.
	thresholds := benchmath.DefaultThresholds
	res.MinRuns = math.MaxInt
	for _, r := range res.Rows {
		r.Cells = make([]*benchCell, len(res.Units))
		for ui, vs := range r.values {
			if len(vs) == 0 {
				continue
			}
			s := benchmath.NewSample(append([]float64(nil), vs...), &thresholds)
			r.Cells[ui] = &benchCell{Sample: s, Summary: res.Units[ui].assume.Summary(s, benchConfidence), Ratio: math.NaN()}
			res.MinRuns = min(res.MinRuns, len(vs))
			res.MaxRuns = max(res.MaxRuns, len(vs))
		}
	}
	if res.MaxRuns == 0 {
		return nil, fmt.Errorf("the benchmark results in the output have no measurements")
	}
	// Rows of a series together, in order of first appearance, then by
	// GOMAXPROCS: go test prints them that way, but the format does not
	// promise it.
	sort.SliceStable(res.Rows, func(i, j int) bool {
		a, b := res.Rows[i], res.Rows[j]
		if a.order != b.order {
			return a.order < b.order
		}
		return a.Procs < b.Procs
	})
	seen := map[int]bool{}
	for _, r := range res.Rows {
		if !seen[r.Procs] {
			seen[r.Procs] = true
			res.Procs = append(res.Procs, r.Procs)
		}
	}
	sort.Ints(res.Procs)

	if res.Baseline != "" {
		if err := res.compare(); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// compare pairs every row with the baseline's row of the same
// configuration and GOMAXPROCS, and computes the geometric means.
func (res *benchResults) compare() error {
	baseRows := map[string]*benchRow{}
	var names []string
	for _, r := range res.Rows {
		if r.Base == res.Baseline {
			baseRows[r.Config+"\x00"+strconv.Itoa(r.Procs)] = r
		}
		if !containsString(names, r.Base) {
			names = append(names, r.Base)
		}
	}
	if len(baseRows) == 0 {
		return fmt.Errorf("baseline=%s: the output has no Benchmark%s (it has %s)", res.Baseline, res.Baseline, strings.Join(names, ", "))
	}
	geo := map[string]*benchGeomean{}
	type acc struct{ centers, ratios [][]float64 }
	accs := map[string]*acc{}
	for _, r := range res.Rows {
		if r.Base == res.Baseline {
			continue
		}
		br := baseRows[r.Config+"\x00"+strconv.Itoa(r.Procs)]
		if br == nil {
			continue
		}
		g := geo[r.Base]
		if g == nil {
			g = &benchGeomean{Base: r.Base}
			geo[r.Base] = g
			accs[r.Base] = &acc{make([][]float64, len(res.Units)), make([][]float64, len(res.Units))}
			res.Geomeans = append(res.Geomeans, g)
		}
		g.Pairs++
		r.paired = true
		a := accs[r.Base]
		for ui, c := range r.Cells {
			bc := br.Cells[ui]
			if c == nil || bc == nil {
				continue
			}
			cmp := res.Units[ui].assume.Compare(bc.Sample, c.Sample)
			c.Cmp = &cmp
			old, cur := bc.Summary.Center, c.Summary.Center
			switch {
			case old == cur:
				c.Ratio = 1 // 0/0 too: both measured nothing
			case old != 0:
				c.Ratio = cur / old
			}
			a.centers[ui] = append(a.centers[ui], cur)
			a.ratios[ui] = append(a.ratios[ui], c.Ratio)
		}
	}
	for _, g := range res.Geomeans {
		a := accs[g.Base]
		g.Center = make([]float64, len(res.Units))
		g.Ratio = make([]float64, len(res.Units))
		for ui := range res.Units {
			// A unit one side did not report is left out, not averaged
			// over a different set of configurations.
			if len(a.ratios[ui]) == g.Pairs {
				g.Center[ui] = geomean(a.centers[ui])
				g.Ratio[ui] = geomean(a.ratios[ui])
			} else {
				g.Center[ui], g.Ratio[ui] = math.NaN(), math.NaN()
			}
		}
	}
	return nil
}

// geomean is the geometric mean of positive values; NaN if any is not.
func geomean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	var sum float64
	for _, x := range xs {
		if !(x > 0) || math.IsInf(x, 0) {
			return math.NaN()
		}
		sum += math.Log(x)
	}
	return math.Exp(sum / float64(len(xs)))
}

func containsString(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// formatBenchValue formats a measurement as benchstat does: at least three
// significant digits and an SI (or, for bytes, IEC) prefix: 32.42n, 1.539µ,
// 192.0.
func formatBenchValue(v float64, cls benchunit.Class) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "?"
	}
	return benchunit.Scale(v, cls)
}

// formatRatio formats a ratio with about three significant digits: 0.52×,
// 1.53×, 12.4×, 230×.
func formatRatio(r float64) string {
	var s string
	switch a := math.Abs(r); {
	case math.IsNaN(r) || math.IsInf(r, 0):
		return "?"
	case a >= 99.5:
		s = strconv.FormatFloat(r, 'f', 0, 64)
	case a >= 9.995:
		s = strconv.FormatFloat(r, 'f', 1, 64)
	case a >= 0.0995 || a == 0:
		s = strconv.FormatFloat(r, 'f', 2, 64)
	default:
		s = strconv.FormatFloat(r, 'g', 2, 64)
	}
	return s + "×"
}

// ---- HTML ----

func esc(s string) string { return html.EscapeString(s) }

func writeBenchReport(b *strings.Builder, res *benchResults, sn *Snippet) {
	id := sn.anchor()
	fmt.Fprintf(b, "<div class=\"bench\" data-bench data-runs=\"%d\"", res.MinRuns)
	if res.Baseline != "" {
		fmt.Fprintf(b, " data-baseline=\"%s\"", esc(res.Baseline))
	}
	b.WriteString(">\n")
	writeBenchWarnings(b, res)
	dashes := writeBenchTable(b, res, id)
	writeBenchLegend(b, res, dashes)
	writeBenchChart(b, res, id)
	writeBenchStamp(b, res, sn)
	b.WriteString("</div>\n")
}

func writeBenchWarnings(b *strings.Builder, res *benchResults) {
	var few []string
	for _, r := range res.Rows {
		for _, c := range r.Cells {
			if c != nil && !c.HasCI() {
				few = append(few, fmt.Sprintf("%s (%d)", r.Name, len(c.Sample.Values)))
				break
			}
		}
	}
	if len(few) > 0 {
		what := "Every benchmark ran fewer than %[1]d times, so no interval is shown."
		if len(few) < len(res.Rows) {
			what = "These ran fewer than %[1]d times, so no interval is shown for them: " + esc(strings.Join(few, ", ")) + "."
		}
		fmt.Fprintf(b, "<p class=\"bench-warning\" role=\"note\"><strong>Too few runs for a confidence interval.</strong> "+what+
			" Their medians may be noise: raise <code>count=</code> in the fence to %[1]d or more.</p>\n", benchMinRuns)
	}
	if res.BadLines > 0 {
		what := "1 line of output could not be read as a result and is"
		if res.BadLines > 1 {
			what = fmt.Sprintf("%d lines of output could not be read as results and are", res.BadLines)
		}
		fmt.Fprintf(b, "<p class=\"bench-warning\" role=\"note\"><strong>%s left out</strong> (%s). A benchmark that prints to standard output can break its result lines.</p>\n",
			what, esc(res.BadFirst))
	}
}

func (res *benchResults) multiProcs() bool { return len(res.Procs) > 1 }

// anyCI reports whether any cell has a confidence interval.
func (res *benchResults) anyCI() bool {
	for _, r := range res.Rows {
		for _, c := range r.Cells {
			if c != nil && c.HasCI() {
				return true
			}
		}
	}
	return false
}

// writeBenchTable writes the table and reports whether it has empty
// cells (a dash), for the legend.
func writeBenchTable(b *strings.Builder, res *benchResults, id string) (dashes bool) {
	start := b.Len()
	fmt.Fprintf(b, "<div class=\"bench-scroll\" role=\"region\" aria-labelledby=\"%s-caption\" tabindex=\"0\">\n<table class=\"bench-table\">\n", id)
	runs := strconv.Itoa(res.MinRuns)
	if res.MinRuns != res.MaxRuns {
		runs = fmt.Sprintf("%d to %d", res.MinRuns, res.MaxRuns)
	}
	fmt.Fprintf(b, "<caption id=\"%s-caption\">Benchmark results: median of %s runs", id, runs)
	if res.anyCI() {
		b.WriteString(" ± 95% confidence interval")
	}
	if res.Baseline != "" {
		fmt.Fprintf(b, "; ratios against %s", esc(res.Baseline))
	}
	b.WriteString("</caption>\n<thead>\n<tr><th scope=\"col\">Benchmark</th>")
	if res.multiProcs() {
		b.WriteString("<th scope=\"col\" class=\"num\">GOMAXPROCS</th>")
	}
	for _, u := range res.Units {
		fmt.Fprintf(b, "<th scope=\"col\" class=\"num\">%s</th>", esc(u.Name))
		if res.Baseline != "" {
			fmt.Fprintf(b, "<th scope=\"col\" class=\"num\">vs %s<span class=\"visually-hidden\"> (%s)</span></th>", esc(res.Baseline), esc(u.Name))
		}
	}
	b.WriteString("</tr>\n</thead>\n<tbody>\n")
	for _, r := range res.Rows {
		cls := ""
		if r.Base == res.Baseline {
			cls = " class=\"bench-baseline\""
		}
		// The GOMAXPROCS suffix has its own column, or, when there is
		// one value, its place in the stamp.
		fmt.Fprintf(b, "<tr%s><th scope=\"row\">%s</th>", cls, esc(r.Series()))
		if res.multiProcs() {
			fmt.Fprintf(b, "<td class=\"num\">%d</td>", r.Procs)
		}
		for ui, u := range res.Units {
			c := r.Cells[ui]
			b.WriteString("<td class=\"num\">")
			if c == nil {
				b.WriteString(notReported)
			} else {
				b.WriteString(esc(formatBenchValue(c.Summary.Center, u.Class)))
				if c.HasCI() {
					fmt.Fprintf(b, " <span class=\"bench-ci\">± %s</span>", esc(c.Summary.PctRangeString()))
				} else {
					fmt.Fprintf(b, " <span class=\"bench-few\">n=%d, no interval</span>", len(c.Sample.Values))
				}
			}
			b.WriteString("</td>")
			if res.Baseline != "" {
				writeRatioCell(b, res, r, c, u)
			}
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody>\n")
	var geo []*benchGeomean
	for _, g := range res.Geomeans {
		if g.Pairs > 1 { // over one configuration it would repeat the row
			geo = append(geo, g)
		}
	}
	if len(geo) > 0 {
		b.WriteString("<tfoot>\n")
		for _, g := range geo {
			fmt.Fprintf(b, "<tr class=\"bench-geomean\"><th scope=\"row\">%s <span class=\"bench-tag\">geomean of %d</span></th>", esc(g.Base), g.Pairs)
			if res.multiProcs() {
				b.WriteString("<td></td>")
			}
			for ui, u := range res.Units {
				if math.IsNaN(g.Center[ui]) {
					fmt.Fprintf(b, "<td class=\"num\">%s</td>", notDefined)
				} else {
					fmt.Fprintf(b, "<td class=\"num\">%s</td>", esc(formatBenchValue(g.Center[ui], u.Class)))
				}
				if math.IsNaN(g.Ratio[ui]) {
					fmt.Fprintf(b, "<td class=\"num bench-ratio\">%s</td>", notDefined)
				} else {
					fmt.Fprintf(b, "<td class=\"num bench-ratio\">%s</td>", esc(formatRatio(g.Ratio[ui])))
				}
			}
			b.WriteString("</tr>\n")
		}
		b.WriteString("</tfoot>\n")
	}
	b.WriteString("</table>\n</div>\n")
	return strings.Contains(b.String()[start:], "aria-hidden=\"true\">–<")
}

const (
	notReported = `<span aria-hidden="true">–</span><span class="visually-hidden">not reported</span>`
	notDefined  = `<span aria-hidden="true">–</span><span class="visually-hidden">not defined</span>`
	noBaseline  = `<span aria-hidden="true">–</span><span class="visually-hidden">no baseline run in this configuration</span>`
)

func writeRatioCell(b *strings.Builder, res *benchResults, r *benchRow, c *benchCell, u benchUnit) {
	switch {
	case r.Base == res.Baseline:
		b.WriteString("<td class=\"num bench-ratio\"><span class=\"bench-tag\">baseline</span></td>")
	case c == nil:
		fmt.Fprintf(b, "<td class=\"num bench-ratio\">%s</td>", notReported)
	case c.Cmp == nil && r.paired:
		fmt.Fprintf(b, "<td class=\"num bench-ratio\"><span aria-hidden=\"true\">–</span><span class=\"visually-hidden\">%s did not report %s</span></td>", esc(res.Baseline), esc(u.Name))
	case c.Cmp == nil:
		fmt.Fprintf(b, "<td class=\"num bench-ratio\">%s</td>", noBaseline)
	case !c.Significant():
		fmt.Fprintf(b, "<td class=\"num bench-ratio bench-same\"><span aria-hidden=\"true\">~</span><span class=\"visually-hidden\">no significant difference</span> <span class=\"bench-p\">%s</span></td>", esc(c.Cmp.String()))
	case math.IsNaN(c.Ratio):
		fmt.Fprintf(b, "<td class=\"num bench-ratio\">%s <span class=\"bench-p\">%s</span></td>", notDefined, esc(c.Cmp.String()))
	default:
		cls := ""
		if u.Better != 0 && c.Ratio != 1 {
			if (c.Ratio < 1) == (u.Better < 0) {
				cls = " bench-better"
			} else {
				cls = " bench-worse"
			}
		}
		fmt.Fprintf(b, "<td class=\"num bench-ratio%s\">%s <span class=\"bench-p\">%s</span></td>", cls, esc(formatRatio(c.Ratio)), esc(c.Cmp.String()))
	}
}

func writeBenchLegend(b *strings.Builder, res *benchResults, dashes bool) {
	b.WriteString("<dl class=\"bench-legend\">\n")
	if res.anyCI() {
		b.WriteString("<dt>± 5%</dt><dd>the 95% confidence interval of the median, as a percentage of it: the spread of the runs. A wide interval means a noisy measurement.</dd>\n")
	}
	if res.MinRuns < benchMinRuns {
		fmt.Fprintf(b, "<dt>n=%d, no interval</dt><dd>only %d runs: a 95%% confidence interval of the median needs at least %d.</dd>\n", res.MinRuns, res.MinRuns, benchMinRuns)
	}
	if res.Baseline != "" {
		fmt.Fprintf(b, "<dt>0.50×</dt><dd>the median divided by %[1]s’s median in the same configuration: below 1× is less (for sec/op, faster), above 1× is more.</dd>\n", esc(res.Baseline))
		fmt.Fprintf(b, "<dt>~</dt><dd>no statistically significant difference from %s: the runs cannot tell the two apart, whatever the medians say.</dd>\n", esc(res.Baseline))
		b.WriteString("<dt>p=0.002 n=6</dt><dd>the chance of a difference at least this large if there were none (significant below 0.05, by the Mann-Whitney U test), and the number of runs compared.</dd>\n")
		for _, g := range res.Geomeans {
			if g.Pairs > 1 {
				fmt.Fprintf(b, "<dt>geomean</dt><dd>the geometric mean over the configurations that both the benchmark and %s ran.</dd>\n", esc(res.Baseline))
				break
			}
		}
	}
	if dashes {
		b.WriteString("<dt>–</dt><dd>nothing to show: the metric was not reported, or the baseline did not run in that configuration.</dd>\n")
	}
	b.WriteString("</dl>\n")
}

func writeBenchStamp(b *strings.Builder, res *benchResults, sn *Snippet) {
	var env struct{ GoVersion, GOOS, GOARCH, CPU, Date string }
	if r := sn.Result; r != nil {
		env.GoVersion, env.GOOS, env.GOARCH, env.CPU = r.Env.GoVersion, r.Env.GOOS, r.Env.GOARCH, r.Env.CPU
		if !r.Env.RanAt.IsZero() {
			env.Date = r.Env.RanAt.UTC().Format("2006-01-02")
		}
	}
	if env.GOOS == "" {
		env.GOOS, env.GOARCH = res.GOOS, res.GOARCH
	}
	if env.CPU == "" {
		env.CPU = res.CPU
	}
	item := func(term, def string) {
		if def != "" {
			fmt.Fprintf(b, "<div><dt>%s</dt><dd>%s</dd></div>", term, def)
		}
	}
	b.WriteString("<dl class=\"bench-env\">")
	if env.GOOS != "" || env.GOARCH != "" {
		item("platform", esc(env.GOOS+"/"+env.GOARCH))
	}
	item("CPU", esc(env.CPU))
	item("Go", esc(env.GoVersion))
	procs := make([]string, len(res.Procs))
	for i, p := range res.Procs {
		procs[i] = strconv.Itoa(p)
	}
	item("GOMAXPROCS", strings.Join(procs, ", "))
	runs := strconv.Itoa(res.MinRuns)
	if res.MinRuns != res.MaxRuns {
		runs = fmt.Sprintf("%d–%d", res.MinRuns, res.MaxRuns)
	}
	item("count", runs)
	item("benchtime", esc(sn.Program.Bench.Benchtime))
	item("run on", env.Date)
	if r := sn.Result; r != nil {
		// Blocks stamped with different machines are not comparable.
		item("machine", esc(r.Env.Machine))
	}
	if sn.RawRef != "" {
		item("raw output", fmt.Sprintf("<a href=\"%s\" type=\"text/plain\">%s</a> (benchfmt, for benchstat)", esc(sn.RawRef), esc(sn.RawRef)))
	}
	b.WriteString("</dl>\n")
}

// ---- SVG ----

// The chart is drawn in a fixed coordinate system (viewBox) that scales
// with the page. Colours come from CSS classes in the theme (bench-s0 ...
// set `color`), drawn with currentColor, so the chart follows light and
// dark mode and stays legible, in one colour, without the stylesheet.
const (
	chartW    = 640
	chartFont = 12
	charW     = 7.6 // generous advance of a character at chartFont
)

// chartMax is the value the axis must reach: every median, and the
// intervals unless one is wider than twice the largest median; a
// whisker past the axis ends in an arrow, and the text gives its size.
func chartMax(cells []*benchCell) float64 {
	var centers float64
	for _, c := range cells {
		centers = math.Max(centers, c.Summary.Center)
	}
	hi := centers
	for _, c := range cells {
		if c.HasCI() {
			hi = math.Max(hi, math.Min(c.Summary.Hi, 2*centers))
		}
	}
	return hi
}

// benchChartUnit picks what the chart shows: sec/op, else the first unit.
func (res *benchResults) chartUnit() int {
	for i, u := range res.Units {
		if u.Name == "sec/op" {
			return i
		}
	}
	return 0
}

func writeBenchChart(b *strings.Builder, res *benchResults, id string) {
	// The figure scrolls on narrow screens rather than shrink the text
	// (see the theme CSS), so it can take the keyboard focus.
	fmt.Fprintf(b, "<figure class=\"bench-chart\" tabindex=\"0\" aria-labelledby=\"%s-chart-title\">\n", id)
	if res.multiProcs() {
		writeLineChart(b, res, id)
	} else {
		writeBarChart(b, res, id)
	}
	b.WriteString("</figure>\n")
}

// f formats a coordinate.
func f(v float64) string {
	s := strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
	if s == "-0" {
		return "0"
	}
	return s
}

// niceScale returns the axis maximum and tick step for values up to max:
// steps of 1, 2 or 5 times a power of ten, about four of them.
func niceScale(max float64) (top, step float64) {
	if !(max > 0) || math.IsInf(max, 0) {
		return 1, 0.25
	}
	raw := max / 4
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step = 10 * mag
	for _, m := range []float64{1, 2, 5} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	top = math.Ceil(max/step-1e-9) * step
	return top, step
}

// tickLabels formats axis ticks with the SI prefix of the largest and no
// needless digits: 0, 0.5µ, 1µ, 1.5µ.
func tickLabels(ticks []float64, cls benchunit.Class) []string {
	sc := benchunit.CommonScale(ticks[len(ticks)-1:], cls)
	out := make([]string, len(ticks))
	for i, t := range ticks {
		v := t / sc.Factor
		v = math.Round(v*1e6) / 1e6
		out[i] = strconv.FormatFloat(v, 'f', -1, 64) + sc.Prefix
		if t == 0 {
			out[i] = "0"
		}
	}
	return out
}

func truncLabel(s string, max int) string {
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	return string(r[:max-1]) + "…"
}

// chartHead writes the <svg> element with its title and description.
func chartHead(b *strings.Builder, id string, h float64, title, desc string) {
	fmt.Fprintf(b, "<svg class=\"bench-svg\" role=\"img\" aria-labelledby=\"%[1]s-chart-title\" aria-describedby=\"%[1]s-chart-desc\" viewBox=\"0 0 %[2]d %[3]s\" width=\"%[2]d\" height=\"%[3]s\" font-size=\"%[4]d\" xmlns=\"http://www.w3.org/2000/svg\">\n", id, chartW, f(h), chartFont)
	fmt.Fprintf(b, "<title id=\"%s-chart-title\">%s</title>\n<desc id=\"%s-chart-desc\">%s</desc>\n", id, esc(title), id, esc(desc))
}

// describeCell is a row's value in words for the chart description.
func describeCell(c *benchCell, u benchUnit) string {
	s := formatBenchValue(c.Summary.Center, u.Class) + " " + u.Name
	if c.HasCI() {
		s += " ± " + c.Summary.PctRangeString()
	} else {
		s += fmt.Sprintf(" (%d runs, no interval)", len(c.Sample.Values))
	}
	return s
}

func betterNote(u benchUnit) string {
	switch u.Better {
	case -1:
		return "lower is better"
	case 1:
		return "higher is better"
	}
	return ""
}

// writeBarChart draws one horizontal bar per row, the interval as a
// whisker, the median and interval as text at the right.
func writeBarChart(b *strings.Builder, res *benchResults, id string) {
	ui := res.chartUnit()
	u := res.Units[ui]
	type bar struct {
		label string
		c     *benchCell
		s     int
	}
	var bars []bar
	idx := map[string]int{} // colour by benchmark, sub-benchmarks alike
	for _, r := range res.Rows {
		if _, ok := idx[r.Base]; !ok {
			idx[r.Base] = len(idx)
		}
	}
	longest := 0
	for _, r := range res.Rows {
		if c := r.Cells[ui]; c != nil {
			l := truncLabel(r.Series(), 32)
			bars = append(bars, bar{l, c, idx[r.Base] % 6})
			longest = max(longest, len([]rune(l)))
		}
	}
	cells := make([]*benchCell, len(bars))
	for i, br := range bars {
		cells[i] = br.c
	}
	top, step := niceScale(chartMax(cells))
	const rowH, barH, pad = 26.0, 16.0, 8.0
	x0 := math.Max(60, float64(longest)*charW+16)
	x1 := float64(chartW) - 120 // room for the value text
	y0 := pad + chartFont + 6
	h := y0 + float64(len(bars))*rowH + 34
	x := func(v float64) float64 { return x0 + v/top*(x1-x0) }

	title := fmt.Sprintf("%s per benchmark: median with 95%% confidence interval", u.Name)
	var desc []string
	for _, br := range bars {
		desc = append(desc, br.label+": "+describeCell(br.c, u))
	}
	chartHead(b, id, h, title, strings.Join(desc, "; ")+".")

	// Axis caption, gridlines and ticks.
	caption := u.Name
	if n := betterNote(u); n != "" {
		caption += " (" + n + ")"
	}
	fmt.Fprintf(b, "<text class=\"bench-axis-label\" x=\"%s\" y=\"%s\" fill=\"currentColor\">%s</text>\n", f(x0), f(pad+chartFont), esc(caption))
	var ticks []float64
	for t := 0.0; t <= top*(1+1e-9); t += step {
		ticks = append(ticks, t)
	}
	labels := tickLabels(ticks, u.Class)
	yb := y0 + float64(len(bars))*rowH
	b.WriteString("<g class=\"bench-grid\" stroke=\"currentColor\" stroke-opacity=\"0.2\">\n")
	for _, t := range ticks {
		fmt.Fprintf(b, "<line x1=\"%[1]s\" y1=\"%[2]s\" x2=\"%[1]s\" y2=\"%[3]s\"/>\n", f(x(t)), f(y0-4), f(yb))
	}
	b.WriteString("</g>\n<g class=\"bench-ticks\" fill=\"currentColor\" text-anchor=\"middle\">\n")
	for i, t := range ticks {
		fmt.Fprintf(b, "<text x=\"%s\" y=\"%s\">%s</text>\n", f(x(t)), f(yb+16), esc(labels[i]))
	}
	b.WriteString("</g>\n")

	for i, br := range bars {
		yc := y0 + float64(i)*rowH + rowH/2
		c := br.c
		fmt.Fprintf(b, "<g class=\"bench-series bench-s%d\">\n", br.s)
		fmt.Fprintf(b, "<text class=\"bench-label\" x=\"%s\" y=\"%s\" text-anchor=\"end\" fill=\"currentColor\">%s</text>\n", f(x0-8), f(yc+4), esc(br.label))
		fmt.Fprintf(b, "<rect class=\"bench-bar\" x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"currentColor\" fill-opacity=\"0.55\"/>\n",
			f(x0), f(yc-barH/2), f(x(c.Summary.Center)-x0), f(barH))
		end := x(c.Summary.Center)
		if c.HasCI() {
			lo, hi := x(math.Max(c.Summary.Lo, 0)), x(math.Min(c.Summary.Hi, top))
			tip := fmt.Sprintf("M%s %sV%s", f(hi), f(yc-5), f(yc+5)) // a cap, or an arrow where the axis cuts it
			if c.Summary.Hi > top {
				tip = fmt.Sprintf("M%[1]s %[2]sL%[3]s %[4]sL%[1]s %[5]s", f(hi-5), f(yc-4), f(hi), f(yc), f(yc+4))
			}
			fmt.Fprintf(b, "<path class=\"bench-whisker bench-ink\" d=\"M%[1]s %[3]sV%[4]sM%[1]s %[5]sH%[2]s%[6]s\" stroke=\"currentColor\" stroke-width=\"1.5\" fill=\"none\"/>\n",
				f(lo), f(hi), f(yc-5), f(yc+5), f(yc), tip)
			end = math.Max(end, hi)
		}
		val := formatBenchValue(c.Summary.Center, u.Class)
		if c.HasCI() {
			val += " ±" + c.Summary.PctRangeString()
		} else {
			val += fmt.Sprintf(" n=%d", len(c.Sample.Values))
		}
		fmt.Fprintf(b, "<text class=\"bench-value\" x=\"%s\" y=\"%s\" fill=\"currentColor\">%s</text>\n", f(end+6), f(yc+4), esc(val))
		b.WriteString("</g>\n")
	}
	b.WriteString("</svg>\n")
}

// markers distinguish lines without relying on colour.
var markers = []func(x, y string) string{
	func(x, y string) string { return fmt.Sprintf("<circle cx=\"%s\" cy=\"%s\" r=\"4\"/>", x, y) },
	func(x, y string) string {
		return fmt.Sprintf("<rect x=\"%s\" y=\"%s\" width=\"8\" height=\"8\"/>", sub(x, 4), sub(y, 4))
	},
	func(x, y string) string {
		return fmt.Sprintf("<path d=\"M%s %sl5 8h-10z\"/>", x, sub(y, 5))
	},
	func(x, y string) string {
		return fmt.Sprintf("<path d=\"M%s %sl5 5l-5 5l-5 -5z\"/>", x, sub(y, 5))
	},
}

func sub(s string, d float64) string {
	v, _ := strconv.ParseFloat(s, 64)
	return f(v - d)
}

// writeLineChart draws, for several GOMAXPROCS values, a line per
// benchmark over GOMAXPROCS with the intervals as whiskers.
func writeLineChart(b *strings.Builder, res *benchResults, id string) {
	ui := res.chartUnit()
	u := res.Units[ui]
	type series struct {
		name string
		rows []*benchRow
	}
	var ss []*series
	byName := map[string]*series{}
	var cells []*benchCell
	for _, r := range res.Rows {
		c := r.Cells[ui]
		if c == nil {
			continue
		}
		s := byName[r.Series()]
		if s == nil {
			s = &series{name: r.Series()}
			byName[r.Series()] = s
			ss = append(ss, s)
		}
		s.rows = append(s.rows, r)
		cells = append(cells, c)
	}
	top, step := niceScale(chartMax(cells))
	var ticks []float64
	for t := 0.0; t <= top*(1+1e-9); t += step {
		ticks = append(ticks, t)
	}
	labels := tickLabels(ticks, u.Class)
	longestTick := 0
	for _, l := range labels {
		longestTick = max(longestTick, len([]rune(l)))
	}
	const pad, plotH, legendRow = 8.0, 200.0, 20.0
	x0 := math.Max(40, float64(longestTick)*charW+14)
	x1 := float64(chartW) - 24
	y0 := pad + chartFont + 10
	y1 := y0 + plotH
	perRow := 2
	legendTop := y1 + 44
	h := legendTop + float64((len(ss)+perRow-1)/perRow)*legendRow + pad
	n := len(res.Procs)
	xOf := map[int]float64{}
	for i, p := range res.Procs {
		// Evenly spaced: GOMAXPROCS values are usually doublings.
		xOf[p] = x0 + 20 + float64(i)*(x1-x0-40)/float64(max(n-1, 1))
	}
	y := func(v float64) float64 { return y1 - v/top*plotH }

	title := fmt.Sprintf("%s by GOMAXPROCS: median of each benchmark with 95%% confidence interval", u.Name)
	var desc []string
	for _, s := range ss {
		var pts []string
		for _, r := range s.rows {
			pts = append(pts, fmt.Sprintf("%d: %s", r.Procs, describeCell(r.Cells[ui], u)))
		}
		desc = append(desc, s.name+" at GOMAXPROCS "+strings.Join(pts, ", "))
	}
	chartHead(b, id, h, title, strings.Join(desc, "; ")+".")

	caption := u.Name
	if note := betterNote(u); note != "" {
		caption += " (" + note + ")"
	}
	fmt.Fprintf(b, "<text class=\"bench-axis-label\" x=\"%s\" y=\"%s\" fill=\"currentColor\">%s</text>\n", f(x0), f(pad+chartFont), esc(caption))
	b.WriteString("<g class=\"bench-grid\" stroke=\"currentColor\" stroke-opacity=\"0.2\">\n")
	for _, t := range ticks {
		fmt.Fprintf(b, "<line x1=\"%s\" y1=\"%[2]s\" x2=\"%s\" y2=\"%[2]s\"/>\n", f(x0), f(y(t)), f(x1))
	}
	b.WriteString("</g>\n<g class=\"bench-ticks\" fill=\"currentColor\">\n")
	for i, t := range ticks {
		fmt.Fprintf(b, "<text x=\"%s\" y=\"%s\" text-anchor=\"end\">%s</text>\n", f(x0-6), f(y(t)+4), esc(labels[i]))
	}
	for _, p := range res.Procs {
		fmt.Fprintf(b, "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\">%d</text>\n", f(xOf[p]), f(y1+16), p)
	}
	fmt.Fprintf(b, "<text class=\"bench-axis-label\" x=\"%s\" y=\"%s\" text-anchor=\"middle\">GOMAXPROCS</text>\n", f((x0+x1)/2), f(y1+32))
	b.WriteString("</g>\n")

	for i, s := range ss {
		fmt.Fprintf(b, "<g class=\"bench-series bench-s%d\" fill=\"currentColor\" stroke=\"currentColor\">\n<title>%s</title>\n", i%6, esc(s.name))
		var d strings.Builder
		for j, r := range s.rows {
			cmd := "L"
			if j == 0 {
				cmd = "M"
			}
			fmt.Fprintf(&d, "%s%s %s", cmd, f(xOf[r.Procs]), f(y(r.Cells[ui].Summary.Center)))
		}
		fmt.Fprintf(b, "<path class=\"bench-line\" d=\"%s\" fill=\"none\" stroke-width=\"2\"/>\n", d.String())
		for _, r := range s.rows {
			c := r.Cells[ui]
			px := xOf[r.Procs]
			if c.HasCI() {
				lo, hi := y(math.Max(c.Summary.Lo, 0)), y(math.Min(c.Summary.Hi, top))
				end := fmt.Sprintf("M%s %sH%s", f(px-5), f(hi), f(px+5)) // a cap, or an arrow where the axis cuts it
				if c.Summary.Hi > top {
					end = fmt.Sprintf("M%[1]s %[4]sL%[2]s %[5]sL%[3]s %[4]s", f(px-4), f(px), f(px+4), f(hi+5), f(hi))
				}
				fmt.Fprintf(b, "<path class=\"bench-whisker\" d=\"%[5]sM%[3]s %[2]sV%[4]sM%[1]s %[4]sH%[6]s\" fill=\"none\" stroke-width=\"1.5\"/>\n",
					f(px-5), f(hi), f(px), f(lo), end, f(px+5))
			}
			b.WriteString(markers[i%len(markers)](f(px), f(y(c.Summary.Center))))
			b.WriteString("\n")
		}
		b.WriteString("</g>\n")
	}

	// Legend: marker and line sample beside each name.
	colW := (x1 - x0) / float64(perRow)
	for i, s := range ss {
		lx := x0 + float64(i%perRow)*colW
		ly := legendTop + float64(i/perRow)*legendRow
		fmt.Fprintf(b, "<g class=\"bench-legend-item bench-s%d\" fill=\"currentColor\" stroke=\"currentColor\">", i%6)
		fmt.Fprintf(b, "<path d=\"M%s %sh24\" stroke-width=\"2\"/>", f(lx), f(ly))
		b.WriteString(markers[i%len(markers)](f(lx+12), f(ly)))
		fmt.Fprintf(b, "<text class=\"bench-label\" x=\"%s\" y=\"%s\" stroke=\"none\">%s</text></g>\n", f(lx+32), f(ly+4), esc(truncLabel(s.name, int((colW-40)/charW))))
	}
	b.WriteString("</svg>\n")
}
