// Package benchstats has one job: to read the raw output of `go test -bench`
// and summarise it the way benchstat does, for a report that a build writes
// into a page and a playground server sends to a reader's browser alike.
//
//   - The output is read with golang.org/x/perf/benchfmt, the reader
//     benchstat uses, and summarised with golang.org/x/perf/benchmath: per
//     benchmark (base name and sub-benchmark configuration), per GOMAXPROCS
//     (the -N suffix) and per unit, the median and its 95% confidence
//     interval; against a baseline, the Mann-Whitney U test at alpha 0.05
//     decides whether a ratio is significant (benchstat prints "~" when it is
//     not). Numbers are formatted by golang.org/x/perf/benchunit with the unit
//     spelled for readers (32.42 ns/op, 0 B/op).
//   - Honest by default: a cell without enough runs for an interval has none,
//     a time whose interval is wider than the noise threshold is noisy, and a
//     benchmark's geometric mean covers only the configurations that both it
//     and the baseline ran.
//   - Claims (claim.go) are judged with the same statistics.
//
// Rendering is not its job: the generator writes the HTML report and chart
// from Results, and Report (report.go) is the same summary as plain data,
// for JSON. It imports nothing of the generator or the playground, so both
// may import it.
package benchstats

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"
	"golang.org/x/perf/benchunit"
)

// Confidence is the confidence level of the intervals shown, and
// MinRuns the fewest runs for which benchmath can give one at that
// level with no distributional assumption.
const (
	Confidence = 0.95
	MinRuns    = 6
)

// DefaultNoise is the widest time interval, as a fraction of the median,
// a benchmark may have before it is called noisy, when the site's
// bench.noise does not say: the build and the playground server both
// default to it.
const DefaultNoise = 0.1

// NoisyRow is a benchmark whose time interval is wider than the noise
// threshold.
type NoisyRow struct {
	Name   string // as go test printed it, without "Benchmark"
	Label  string // as the report's table names it (Label)
	Spread string // the interval as benchstat writes it: 138%
}

// Results is the statistical summary of one bench block's output.
type Results struct {
	Units    []Unit
	Rows     []*Row // series in order of first appearance, each by GOMAXPROCS
	Geomeans []*Geomean
	Baseline string  // base name, without "Benchmark"; "" for none
	Noise    float64 // an interval wider than this fraction of its median is noisy; 0: none is
	Procs    []int   // the GOMAXPROCS values that ran, ascending
	MinRuns  int     // fewest and most runs of any benchmark and unit
	MaxRuns  int

	// File-level configuration printed by the test binary.
	GOOS, GOARCH, CPU string

	// Lines that started like a result but could not be read, with the
	// first reader message.
	BadLines int
	BadFirst string
}

// Unit is one metric: sec/op, B/op, allocs/op or a custom unit from
// b.ReportMetric, tidied as benchstat tidies them (ns -> sec, MB -> B).
type Unit struct {
	Name   string
	Class  benchunit.Class
	Better int // -1 lower is better, +1 higher, 0 unknown
	Assume benchmath.Assumption
}

// Row is one benchmark in one configuration at one GOMAXPROCS.
type Row struct {
	Name   string // as printed, without "Benchmark": Sprintf/parts=8-2
	Base   string // Sprintf
	Config string // /parts=8
	Procs  int
	Cells  []*Cell // by unit; nil where the unit was not reported

	Paired bool        // the baseline ran in this configuration
	order  int         // first appearance of its series
	values [][]float64 // by unit, as read
}

// Label names r as the report's table does: its series, with the
// GOMAXPROCS suffix only when the block ran several.
func (res *Results) Label(r *Row) string {
	if res.MultiProcs() {
		return r.Name
	}
	return r.Series()
}

// Series is the row's name without the GOMAXPROCS suffix.
func (r *Row) Series() string { return r.Base + r.Config }

// Cell is one row's measurements of one unit.
type Cell struct {
	Sample  *benchmath.Sample
	Summary benchmath.Summary

	// Against the baseline's row of the same configuration and GOMAXPROCS.
	Cmp   *benchmath.Comparison
	Ratio float64 // this center / the baseline's; NaN when undefined
}

// HasCI reports whether the cell has a finite confidence interval.
func (c *Cell) HasCI() bool {
	return !math.IsInf(c.Summary.Lo, 0) && !math.IsInf(c.Summary.Hi, 0)
}

// Spread is the wider side of the interval as a fraction of the median
// (benchstat's ± percentage), +Inf without an interval or a positive median.
func (c *Cell) Spread() float64 {
	s := c.Summary
	if !c.HasCI() || !(s.Center > 0) || s.Lo < 0 {
		return math.Inf(1)
	}
	return math.Max(s.Hi/s.Center-1, 1-s.Lo/s.Center)
}

// Significant reports whether the difference from the baseline is
// statistically significant (benchstat prints a delta, not "~").
func (c *Cell) Significant() bool {
	return c.Cmp != nil && c.Cmp.P <= c.Cmp.Alpha
}

// Geomean summarises one non-baseline benchmark against the baseline
// over the configurations both ran.
type Geomean struct {
	Base   string
	Pairs  int       // configurations in the mean
	Center []float64 // by unit: geomean of this benchmark's medians; NaN if undefined
	Ratio  []float64 // by unit: geomean of the ratios; NaN if undefined
}

// analysis is Analyse's state while it reads results: rows and units by
// name, and each series' place in the output.
type analysis struct {
	res         *Results
	rowOf       map[string]*Row
	unitOf      map[string]int
	seriesOrder map[string]int
}

// add records one result line: its row (made on first sight) and its
// values by unit.
func (a *analysis) add(rec *benchfmt.Result) {
	res := a.res
	if res.GOOS == "" {
		res.GOOS, res.GOARCH = rec.GetConfig("goos"), rec.GetConfig("goarch")
		res.CPU = rec.GetConfig("cpu")
	}
	name := strings.ToValidUTF8(rec.Name.String(), "\uFFFD")
	r := a.rowOf[name]
	if r == nil {
		base, config, procs := splitName(rec.Name)
		r = &Row{Name: name, Base: strings.ToValidUTF8(base, "\uFFFD"),
			Config: strings.ToValidUTF8(config, "\uFFFD"), Procs: procs}
		if _, ok := a.seriesOrder[r.Series()]; !ok {
			a.seriesOrder[r.Series()] = len(a.seriesOrder)
		}
		r.order = a.seriesOrder[r.Series()]
		a.rowOf[name] = r
		res.Rows = append(res.Rows, r)
	}
	for _, v := range rec.Values {
		ui, ok := a.unitOf[v.Unit]
		if !ok {
			ui = len(res.Units)
			a.unitOf[v.Unit] = ui
			res.Units = append(res.Units, Unit{Name: v.Unit, Class: benchunit.ClassOf(v.Unit)})
		}
		for len(r.values) <= ui {
			r.values = append(r.values, nil)
		}
		r.values[ui] = append(r.values[ui], v.Value)
	}
}

// splitName splits a benchmark's name into its base name, its
// sub-benchmark configuration and its GOMAXPROCS suffix (1 without one).
func splitName(n benchfmt.Name) (base, config string, procs int) {
	b, parts := n.Parts()
	procs = 1
	var cfg strings.Builder
	for i, p := range parts {
		if i == len(parts)-1 && len(p) > 1 && p[0] == '-' {
			if n, err := strconv.Atoi(string(p[1:])); err == nil {
				procs = n
				continue
			}
		}
		cfg.Write(p)
	}
	return string(b), cfg.String(), procs
}

// summarise summarises each row's values by unit, and counts the fewest
// and most runs.
func (res *Results) summarise() {
	thresholds := benchmath.DefaultThresholds
	res.MinRuns = math.MaxInt
	for _, r := range res.Rows {
		r.Cells = make([]*Cell, len(res.Units))
		for ui, vs := range r.values {
			if len(vs) == 0 {
				continue
			}
			s := benchmath.NewSample(append([]float64(nil), vs...), &thresholds)
			r.Cells[ui] = &Cell{Sample: s, Summary: res.Units[ui].Assume.Summary(s, Confidence), Ratio: math.NaN()}
			res.MinRuns = min(res.MinRuns, len(vs))
			res.MaxRuns = max(res.MaxRuns, len(vs))
		}
	}
}

// Analyse reads raw benchmark output and summarises it.
func Analyse(raw, baseline string) (*Results, error) {
	res := &Results{Baseline: strings.TrimPrefix(baseline, "Benchmark")}
	rd := benchfmt.NewReader(strings.NewReader(raw), "output")
	a := analysis{res: res, rowOf: map[string]*Row{}, unitOf: map[string]int{}, seriesOrder: map[string]int{}}
	for rd.Scan() {
		switch rec := rd.Result().(type) {
		case *benchfmt.SyntaxError:
			if res.BadLines == 0 {
				res.BadFirst = fmt.Sprintf("line %d: %s", rec.Line, rec.Msg)
			}
			res.BadLines++
		case *benchfmt.Result:
			a.add(rec)
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
		u.Assume = units.GetAssumption(u.Name)
	}

	res.summarise()
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
func (res *Results) compare() error {
	baseRows := map[string]*Row{}
	var names []string
	for _, r := range res.Rows {
		if r.Base == res.Baseline {
			baseRows[r.Config+"\x00"+strconv.Itoa(r.Procs)] = r
		}
		if !slices.Contains(names, r.Base) {
			names = append(names, r.Base)
		}
	}
	if len(baseRows) == 0 {
		return fmt.Errorf("baseline=%s: the output has no Benchmark%s (it has %s)", res.Baseline, res.Baseline, strings.Join(names, ", "))
	}
	geo := map[string]*Geomean{}
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
			g = &Geomean{Base: r.Base}
			geo[r.Base] = g
			accs[r.Base] = &acc{make([][]float64, len(res.Units)), make([][]float64, len(res.Units))}
			res.Geomeans = append(res.Geomeans, g)
		}
		g.Pairs++
		r.Paired = true
		a := accs[r.Base]
		for ui, c := range r.Cells {
			bc := br.Cells[ui]
			if c == nil || bc == nil {
				continue
			}
			cmp := res.Units[ui].Assume.Compare(bc.Sample, c.Sample)
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

// SpellValue writes a measurement for readers: benchstat's digits and
// prefix with the unit spelled out (32.42 ns/op, 2.000 KiB/op, 0 B/op,
// 3 allocs/op, 11.92M incs/s). perOp false drops a trailing /op, for axis
// ticks and ranges (100 ns, 0 B).
func SpellValue(v float64, u Unit, perOp bool) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "?"
	}
	sc := benchunit.CommonScale([]float64{v}, u.Class)
	num := strings.TrimSuffix(sc.Format(v), sc.Prefix)
	if sc.Prefix == "" && v == math.Trunc(v) && math.Abs(v) < 1e15 {
		num = strconv.FormatFloat(v, 'f', -1, 64) // 0, not 0.000; 192, not 192.0
	}
	return num + UnitSuffix(sc.Prefix, u.Name, perOp)
}

// UnitSuffix is what follows a scaled number: " ns/op" for sec/op with
// prefix n, " KiB/op" for B/op with Ki, "M incs/s" for other units.
func UnitSuffix(prefix, unit string, perOp bool) string {
	if !perOp {
		unit = strings.TrimSuffix(unit, "/op")
	}
	switch {
	case unit == "sec" || strings.HasPrefix(unit, "sec/"):
		return " " + prefix + "s" + strings.TrimPrefix(unit, "sec")
	case unit == "B" || strings.HasPrefix(unit, "B/"):
		return " " + prefix + unit
	}
	return prefix + " " + unit
}

// FormatValue formats a measurement as benchstat does: at least three
// significant digits and an SI (or, for bytes, IEC) prefix: 32.42n, 1.539µ,
// 192.0.
func FormatValue(v float64, cls benchunit.Class) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "?"
	}
	return benchunit.Scale(v, cls)
}

// FormatRatio formats a ratio with about three significant digits: 0.52×,
// 1.53×, 12.4×, 230×.
func FormatRatio(r float64) string {
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

// timeUnit is the index of sec/op, -1 if the output has none.
func (res *Results) TimeUnit() int {
	for i, u := range res.Units {
		if u.Name == "sec/op" {
			return i
		}
	}
	return -1
}

// noisy reports whether a cell is a time measurement whose interval is
// wider than the site's threshold.
func (res *Results) Noisy(ui int, c *Cell) bool {
	return res.Noise > 0 && c != nil && ui == res.TimeUnit() && c.HasCI() && c.Spread() > res.Noise
}

func (res *Results) NoisyRows() []NoisyRow {
	var out []NoisyRow
	ui := res.TimeUnit()
	for _, r := range res.Rows {
		if ui >= 0 && res.Noisy(ui, r.Cells[ui]) {
			out = append(out, NoisyRow{Name: r.Name, Label: res.Label(r), Spread: r.Cells[ui].Summary.PctRangeString()})
		}
	}
	return out
}

// zeroUnit reports whether every row measured 0 of a unit in every run:
// a column that carries nothing (no allocations), which the table leaves
// out and the legend mentions.
func (res *Results) ZeroUnit(ui int) bool {
	for _, r := range res.Rows {
		if c := r.Cells[ui]; c != nil {
			for _, v := range c.Sample.Values {
				if v != 0 {
					return false
				}
			}
		}
	}
	return true
}

// tableUnits are the units the table has columns for.
func (res *Results) TableUnits() (shown, zero []int) {
	for ui := range res.Units {
		if res.ZeroUnit(ui) && len(res.Units) > 1 {
			zero = append(zero, ui)
		} else {
			shown = append(shown, ui)
		}
	}
	if len(shown) == 0 { // only zeros: show them rather than an empty table
		return zero, nil
	}
	return shown, zero
}

// Runs counts a benchmark's runs in words: "1 run", "6 runs".
func Runs(n int) string {
	if n == 1 {
		return "1 run"
	}
	return strconv.Itoa(n) + " runs"
}

// Pct writes a fraction as a percentage: 0.1 -> 10%.
func Pct(f float64) string { return strconv.FormatFloat(f*100, 'f', -1, 64) + "%" }

// MultiProcs reports whether the benchmarks ran at several GOMAXPROCS values.
func (res *Results) MultiProcs() bool { return len(res.Procs) > 1 }

// AnyCI reports whether any cell has a confidence interval.
func (res *Results) AnyCI() bool {
	for _, r := range res.Rows {
		for _, c := range r.Cells {
			if c != nil && c.HasCI() {
				return true
			}
		}
	}
	return false
}
