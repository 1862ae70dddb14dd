package generator

// A go bench block's report, as HTML. The statistics (reading the raw
// `go test -bench` output, medians, intervals, ratios, significance, noise
// and the spelling of numbers) are internal/benchstats's, shared with the
// playground server, so a reader's Rerun shows the same figures; this file
// only writes them:
//
//   - The report is one <div data-bench>: warnings (too few runs, noise,
//     unreadable lines), the table, a legend in plain words, an inline SVG
//     chart of sec/op (bars with interval whiskers, or with several
//     GOMAXPROCS values a line per benchmark), and the environment stamp
//     with the link to the raw text, which render.go writes next to the page
//     as sn.RawRef. Output depends only on its inputs: no map order, no
//     clock.

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strconv"
	"strings"

	"golang.org/x/perf/benchunit"

	"github.com/benchpress/benchpress/generator/snippet"
	"github.com/benchpress/benchpress/internal/benchstats"
	"github.com/benchpress/benchpress/playground"
)

// renderBenchReport turns a bench block's raw output into its table, chart
// and environment stamp. noise is the widest interval (a fraction of the
// median: 0.1 for ±10%) a time measurement may have before the report
// calls it noisy; the noisy rows are returned for the build to warn about.
// An error is the author's to fix (no results, an unknown baseline); the
// caller reports it at the fence.
func renderBenchReport(raw string, sn *snippet.Snippet, noise float64) (template.HTML, *benchstats.Results, error) {
	res, err := benchstats.Analyse(raw, sn.Opts.Baseline)
	if err != nil {
		return "", nil, err
	}
	res.Noise = noise
	var b strings.Builder
	writeBenchReport(&b, res, sn)
	return template.HTML(b.String()), res, nil
}

// ---- HTML ----

func esc(s string) string { return html.EscapeString(s) }

func writeBenchReport(b *strings.Builder, res *benchstats.Results, sn *snippet.Snippet) {
	id := sn.Anchor()
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

func writeBenchWarnings(b *strings.Builder, res *benchstats.Results) {
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
			" Their medians may be noise: raise <code>count=</code> in the fence to %[1]d or more.</p>\n", benchstats.MinRuns)
	}
	if noisy := res.NoisyRows(); len(noisy) > 0 {
		var names []string
		for _, n := range noisy {
			names = append(names, fmt.Sprintf("%s (±%s)", n.Name, n.Spread))
		}
		what := "The time of " + strings.Join(names, ", ") + " varied"
		if len(noisy) == len(res.Rows) {
			what = "The time of every benchmark varied: " + strings.Join(names, ", ") + ";"
		}
		fmt.Fprintf(b, "<p class=\"bench-warning bench-noise-warning\" role=\"note\"><strong>Noisy measurements.</strong> %s more than ±%s between runs, so their medians are uncertain and may move on a rerun; the table shows their interval as the range it is. The machine was likely busy: the figures are best measured again on a quieter one.</p>\n",
			esc(what), esc(benchstats.Pct(res.Noise)))
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

// writeBenchTable writes the table and reports whether it has empty
// cells (a dash), for the legend.
func writeBenchTable(b *strings.Builder, res *benchstats.Results, id string) (dashes bool) {
	start := b.Len()
	shown, _ := res.TableUnits()
	// position: relative in the theme keeps what is inside (the visually
	// hidden texts) from widening the page past the scrolling box.
	cls := "bench-table"
	if res.TableChars(shown) > 64 {
		// Wider than the post column on any screen: cards everywhere.
		cls += " bench-wide"
	}
	fmt.Fprintf(b, "<div class=\"bench-scroll\" role=\"region\" aria-labelledby=\"%s-caption\" tabindex=\"0\">\n<table class=\"%s\">\n", id, cls)
	runs := strconv.Itoa(res.MinRuns)
	if res.MinRuns != res.MaxRuns {
		runs = fmt.Sprintf("%d to %d", res.MinRuns, res.MaxRuns)
	}
	fmt.Fprintf(b, "<caption id=\"%s-caption\">Benchmark results: median of %s runs", id, runs)
	if res.AnyCI() {
		b.WriteString(" ± 95% confidence interval")
	}
	if res.Baseline != "" {
		fmt.Fprintf(b, "; ratios against %s", esc(res.Baseline))
	}
	b.WriteString("</caption>\n<thead>\n<tr><th scope=\"col\">Benchmark</th>")
	if res.MultiProcs() {
		b.WriteString("<th scope=\"col\" class=\"num\">GOMAXPROCS</th>")
	}
	for _, ui := range shown {
		u := res.Units[ui]
		fmt.Fprintf(b, "<th scope=\"col\" class=\"num\">%s</th>", esc(u.Name))
		if res.Baseline != "" {
			fmt.Fprintf(b, "<th scope=\"col\" class=\"num\">vs %s<span class=\"visually-hidden\"> (%s)</span></th>", esc(res.Baseline), esc(u.Name))
		}
	}
	b.WriteString("</tr>\n</thead>\n<tbody>\n")
	for _, r := range res.Rows {
		var cls []string
		if r.Base == res.Baseline {
			cls = append(cls, "bench-baseline")
		}
		if ui := res.TimeUnit(); ui >= 0 && res.Noisy(ui, r.Cells[ui]) {
			cls = append(cls, "bench-noisy")
		}
		attr := ""
		if len(cls) > 0 {
			attr = " class=\"" + strings.Join(cls, " ") + "\""
		}
		// The GOMAXPROCS suffix has its own column, or, when there is
		// one value, its place in the stamp.
		fmt.Fprintf(b, "<tr%s><th scope=\"row\">%s</th>", attr, esc(r.Series()))
		if res.MultiProcs() {
			fmt.Fprintf(b, "<td class=\"num bench-procs\"><span class=\"bench-procs-label\">GOMAXPROCS </span>%d</td>", r.Procs)
		}
		for _, ui := range shown {
			u := res.Units[ui]
			c := r.Cells[ui]
			b.WriteString("<td class=\"num bench-value\">")
			if c == nil {
				// A card has no column header to say whose dash it is.
				fmt.Fprintf(b, "%s<span class=\"bench-card-unit\" aria-hidden=\"true\"> %s</span>", notReported, esc(u.Name))
			} else {
				writeValue(b, res, ui, c)
			}
			b.WriteString("</td>")
			if res.Baseline != "" {
				writeRatioCell(b, res, r, c, u)
			}
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody>\n")
	var geo []*benchstats.Geomean
	for _, g := range res.Geomeans {
		if g.Pairs > 1 { // over one configuration it would repeat the row
			geo = append(geo, g)
		}
	}
	if len(geo) > 0 {
		b.WriteString("<tfoot>\n")
		for _, g := range geo {
			fmt.Fprintf(b, "<tr class=\"bench-geomean\"><th scope=\"row\">%s <span class=\"bench-tag\">geomean of %d</span></th>", esc(g.Base), g.Pairs)
			if res.MultiProcs() {
				b.WriteString("<td class=\"bench-procs\"></td>")
			}
			for _, ui := range shown {
				u := res.Units[ui]
				if math.IsNaN(g.Center[ui]) {
					fmt.Fprintf(b, "<td class=\"num bench-value\">%s</td>", notDefined)
				} else {
					fmt.Fprintf(b, "<td class=\"num bench-value\">%s</td>", esc(benchstats.SpellValue(g.Center[ui], u, true)))
				}
				if math.IsNaN(g.Ratio[ui]) {
					fmt.Fprintf(b, "<td class=\"num bench-ratio\">%s</td>", notDefined)
				} else {
					fmt.Fprintf(b, "<td class=\"num bench-ratio\">%s</td>", esc(benchstats.FormatRatio(g.Ratio[ui])))
				}
			}
			b.WriteString("</tr>\n")
		}
		b.WriteString("</tfoot>\n")
	}
	b.WriteString("</table>\n</div>\n")
	return strings.Contains(b.String()[start:], "aria-hidden=\"true\">–<")
}

// writeValue writes a cell's median and interval: ± a percentage, or, for
// a noisy time, the interval as its range (a wide interval is rarely
// symmetric, and ±138% would read as if the time could be negative).
func writeValue(b *strings.Builder, res *benchstats.Results, ui int, c *benchstats.Cell) {
	u := res.Units[ui]
	b.WriteString(esc(benchstats.SpellValue(c.Summary.Center, u, true)))
	switch {
	case res.Noisy(ui, c):
		fmt.Fprintf(b, " <span class=\"bench-interval\"><span class=\"bench-ci bench-range\">%s to %s</span> <span class=\"bench-noise\">noisy, ±%s</span></span>",
			esc(benchstats.SpellValue(c.Summary.Lo, u, false)), esc(benchstats.SpellValue(c.Summary.Hi, u, false)), esc(c.Summary.PctRangeString()))
	case c.HasCI():
		fmt.Fprintf(b, " <span class=\"bench-ci\">±%s</span>", esc(c.Summary.PctRangeString()))
	default:
		fmt.Fprintf(b, " <span class=\"bench-few\">n=%d, no interval</span>", len(c.Sample.Values))
	}
}

const (
	notReported = `<span aria-hidden="true">–</span><span class="visually-hidden">not reported</span>`
	notDefined  = `<span aria-hidden="true">–</span><span class="visually-hidden">not defined</span>`
	noBaseline  = `<span aria-hidden="true">–</span><span class="visually-hidden">no baseline run in this configuration</span>`
)

func writeRatioCell(b *strings.Builder, res *benchstats.Results, r *benchstats.Row, c *benchstats.Cell, u benchstats.Unit) {
	td := "<td class=\"num bench-ratio"
	switch {
	case r.Base == res.Baseline:
		b.WriteString(td + "\"><span class=\"bench-tag\">baseline</span></td>")
	case c == nil:
		fmt.Fprintf(b, "%s\">%s</td>", td, notReported)
	case c.Cmp == nil && r.Paired:
		fmt.Fprintf(b, "%s\"><span aria-hidden=\"true\">–</span><span class=\"visually-hidden\">%s did not report %s</span></td>", td, esc(res.Baseline), esc(u.Name))
	case c.Cmp == nil:
		fmt.Fprintf(b, "%s\">%s</td>", td, noBaseline)
	case !c.Significant():
		fmt.Fprintf(b, "%s bench-same\"><span aria-hidden=\"true\">~</span><span class=\"visually-hidden\">no significant difference</span> <span class=\"bench-p\">%s</span></td>", td, esc(c.Cmp.String()))
	case math.IsNaN(c.Ratio):
		fmt.Fprintf(b, "%s\">%s <span class=\"bench-p\">%s</span></td>", td, notDefined, esc(c.Cmp.String()))
	default:
		cls := ""
		if u.Better != 0 && c.Ratio != 1 {
			if (c.Ratio < 1) == (u.Better < 0) {
				cls = " bench-better"
			} else {
				cls = " bench-worse"
			}
		}
		fmt.Fprintf(b, "%s%s\">%s <span class=\"bench-p\">%s</span></td>", td, cls, esc(benchstats.FormatRatio(c.Ratio)), esc(c.Cmp.String()))
	}
}

func writeBenchLegend(b *strings.Builder, res *benchstats.Results, dashes bool) {
	b.WriteString("<dl class=\"bench-legend\">\n")
	if res.AnyCI() {
		b.WriteString("<dt>±5%</dt><dd>the 95% confidence interval of the median, as a percentage of it: the spread of the runs. A wide interval means a noisy measurement.</dd>\n")
	}
	if len(res.NoisyRows()) > 0 {
		fmt.Fprintf(b, "<dt>noisy</dt><dd>a time whose interval is wider than ±%s: the interval is shown as the range it is, from its low to its high end.</dd>\n", esc(benchstats.Pct(res.Noise)))
	}
	if res.MinRuns < benchstats.MinRuns {
		fmt.Fprintf(b, "<dt>n=%d, no interval</dt><dd>only %d runs: a 95%% confidence interval of the median needs at least %d.</dd>\n", res.MinRuns, res.MinRuns, benchstats.MinRuns)
	}
	if res.Baseline != "" {
		fmt.Fprintf(b, "<dt>0.50×</dt><dd>the median divided by %[1]s’s median in the same configuration: below 1× is less (for time, faster), above 1× is more.</dd>\n", esc(res.Baseline))
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
	if _, zero := res.TableUnits(); len(zero) > 0 {
		var what []string
		for _, ui := range zero {
			what = append(what, benchstats.SpellValue(0, res.Units[ui], true))
		}
		term := strings.Join(what, ", ")
		fmt.Fprintf(b, "<dt>%s</dt><dd>every run of every benchmark: the table leaves out what carries no information.</dd>\n", esc(term))
	}
	b.WriteString("</dl>\n")
}

func writeBenchStamp(b *strings.Builder, res *benchstats.Results, sn *snippet.Snippet) {
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
//
// The coordinate system is narrow (chartW units) so that at its smallest,
// in the content column of a 360 px phone (about 300 px), the text is
// still drawn at about 11 px; the theme caps its width on wide screens so
// it never grows past body text. Labels sit above their bars rather than
// beside them, giving the bars the whole width.
const (
	chartW    = 360
	chartFont = 13
	charW     = 7.4 // generous advance of a character at chartFont
)

// chartMax is the value the axis must reach: every median, and the
// intervals unless one is wider than twice the largest median; a
// whisker past the axis ends in an arrow, and the text gives its size.
func chartMax(cells []*benchstats.Cell) float64 {
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
func chartUnit(res *benchstats.Results) int {
	for i, u := range res.Units {
		if u.Name == "sec/op" {
			return i
		}
	}
	return 0
}

func writeBenchChart(b *strings.Builder, res *benchstats.Results, id string) {
	// The figure scrolls on narrow screens rather than shrink the text
	// (see the theme CSS), so it can take the keyboard focus.
	fmt.Fprintf(b, "<figure class=\"bench-chart\" tabindex=\"0\" aria-labelledby=\"%s-chart-title\">\n", id)
	if res.MultiProcs() {
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

// tickLabels formats axis ticks with the unit and the prefix of the
// largest, and no needless digits: 0 µs, 0.5 µs, 1 µs, 1.5 µs.
func tickLabels(ticks []float64, u benchstats.Unit) []string {
	sc := benchunit.CommonScale(ticks[len(ticks)-1:], u.Class)
	out := make([]string, len(ticks))
	for i, t := range ticks {
		v := t / sc.Factor
		v = math.Round(v*1e6) / 1e6
		out[i] = strconv.FormatFloat(v, 'f', -1, 64) + benchstats.UnitSuffix(sc.Prefix, u.Name, false)
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
	fmt.Fprintf(b, "<svg class=\"bench-svg\" role=\"img\" aria-labelledby=\"%[1]s-chart-title\" aria-describedby=\"%[1]s-chart-desc\" viewBox=\"0 0 %[2]d %[3]s\" width=\"%[2]d\" height=\"%[3]s\" preserveAspectRatio=\"xMinYMin meet\" font-size=\"%[4]d\" xmlns=\"http://www.w3.org/2000/svg\">\n", id, chartW, f(h), chartFont)
	fmt.Fprintf(b, "<title id=\"%s-chart-title\">%s</title>\n<desc id=\"%s-chart-desc\">%s</desc>\n", id, esc(title), id, esc(desc))
}

// describeCell is a row's value in words for the chart description.
func describeCell(c *benchstats.Cell, u benchstats.Unit) string {
	s := benchstats.SpellValue(c.Summary.Center, u, true)
	if c.HasCI() {
		s += " ±" + c.Summary.PctRangeString()
	} else {
		s += fmt.Sprintf(" (%d runs, no interval)", len(c.Sample.Values))
	}
	return s
}

func betterNote(u benchstats.Unit) string {
	switch u.Better {
	case -1:
		return "lower is better"
	case 1:
		return "higher is better"
	}
	return ""
}

// writeBarChart draws one horizontal bar per row, the interval as a
// whisker; above each bar its name at the left and its median and
// interval at the right.
func writeBarChart(b *strings.Builder, res *benchstats.Results, id string) {
	ui := chartUnit(res)
	u := res.Units[ui]
	type bar struct {
		label, value string
		c            *benchstats.Cell
		s            int
	}
	var bars []bar
	idx := map[string]int{} // colour by benchmark, sub-benchmarks alike
	for _, r := range res.Rows {
		if _, ok := idx[r.Base]; !ok {
			idx[r.Base] = len(idx)
		}
	}
	for _, r := range res.Rows {
		c := r.Cells[ui]
		if c == nil {
			continue
		}
		val := benchstats.SpellValue(c.Summary.Center, u, false)
		switch {
		case res.Noisy(ui, c):
			val += " (noisy)"
		case c.HasCI():
			val += " ±" + c.Summary.PctRangeString()
		default:
			val += fmt.Sprintf(" n=%d", len(c.Sample.Values))
		}
		room := int(math.Floor((chartW-12)/charW)) - len([]rune(val)) - 2
		bars = append(bars, bar{truncLabel(r.Series(), max(room, 8)), val, c, idx[r.Base] % 6})
	}
	cells := make([]*benchstats.Cell, len(bars))
	for i, br := range bars {
		cells[i] = br.c
	}
	top, step := niceScale(chartMax(cells))
	const rowH, barH, pad, labelH = 44.0, 14.0, 4.0, chartFont + 6
	x0, x1 := 2.0, float64(chartW)-10 // room for a whisker's arrow
	y0 := pad + chartFont + 8
	yb := y0 + float64(len(bars))*rowH
	h := yb + chartFont + 10
	x := func(v float64) float64 { return x0 + v/top*(x1-x0) }

	title := fmt.Sprintf("%s per benchmark: median with 95%% confidence interval", u.Name)
	var desc []string
	for _, br := range bars {
		desc = append(desc, br.label+": "+describeCell(br.c, u))
	}
	chartHead(b, id, h, title, strings.Join(desc, "; ")+".")

	caption := u.Name
	if n := betterNote(u); n != "" {
		caption += " (" + n + ")"
	}
	fmt.Fprintf(b, "<text class=\"bench-axis-label\" x=\"%s\" y=\"%s\" fill=\"currentColor\">%s</text>\n", f(x0), f(pad+chartFont), esc(caption))
	var ticks []float64
	for t := 0.0; t <= top*(1+1e-9); t += step {
		ticks = append(ticks, t)
	}
	labels := tickLabels(ticks, u)
	b.WriteString("<g class=\"bench-grid\" stroke=\"currentColor\" stroke-opacity=\"0.2\">\n")
	for _, t := range ticks {
		fmt.Fprintf(b, "<line x1=\"%[1]s\" y1=\"%[2]s\" x2=\"%[1]s\" y2=\"%[3]s\"/>\n", f(x(t)), f(y0), f(yb))
	}
	b.WriteString("</g>\n<g class=\"bench-ticks bench-value-ticks\" fill=\"currentColor\">\n")
	for i, t := range ticks {
		anchor := "middle" // the end ticks stay inside the box
		if i == 0 {
			anchor = "start"
		} else if i == len(ticks)-1 {
			anchor = "end"
		}
		fmt.Fprintf(b, "<text x=\"%s\" y=\"%s\" text-anchor=\"%s\">%s</text>\n", f(x(t)), f(yb+chartFont+4), anchor, esc(labels[i]))
	}
	b.WriteString("</g>\n")

	for i, br := range bars {
		ytext := y0 + float64(i)*rowH + labelH - 4
		yc := y0 + float64(i)*rowH + labelH + barH/2 + 2
		c := br.c
		fmt.Fprintf(b, "<g class=\"bench-series bench-s%d\">\n", br.s)
		fmt.Fprintf(b, "<text class=\"bench-label\" x=\"%s\" y=\"%s\" fill=\"currentColor\">%s</text>\n", f(x0), f(ytext), esc(br.label))
		fmt.Fprintf(b, "<text class=\"bench-value\" x=\"%s\" y=\"%s\" text-anchor=\"end\" fill=\"currentColor\">%s</text>\n", f(float64(chartW)-2), f(ytext), esc(br.value))
		fmt.Fprintf(b, "<rect class=\"bench-bar\" x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"currentColor\" fill-opacity=\"0.55\"/>\n",
			f(x0), f(yc-barH/2), f(x(c.Summary.Center)-x0), f(barH))
		if c.HasCI() {
			lo, hi := x(math.Max(c.Summary.Lo, 0)), x(math.Min(c.Summary.Hi, top))
			tip := fmt.Sprintf("M%s %sV%s", f(hi), f(yc-5), f(yc+5)) // a cap, or an arrow where the axis cuts it
			if c.Summary.Hi > top {
				tip = fmt.Sprintf("M%[1]s %[2]sL%[3]s %[4]sL%[1]s %[5]s", f(hi-5), f(yc-4), f(hi+4), f(yc), f(yc+4))
			}
			fmt.Fprintf(b, "<path class=\"bench-whisker bench-ink\" d=\"M%[1]s %[3]sV%[4]sM%[1]s %[5]sH%[2]s%[6]s\" stroke=\"currentColor\" stroke-width=\"1.5\" fill=\"none\"/>\n",
				f(lo), f(hi), f(yc-5), f(yc+5), f(yc), tip)
		}
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
func writeLineChart(b *strings.Builder, res *benchstats.Results, id string) {
	ui := chartUnit(res)
	u := res.Units[ui]
	type series struct {
		name string
		rows []*benchstats.Row
	}
	var ss []*series
	byName := map[string]*series{}
	var cells []*benchstats.Cell
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
	labels := tickLabels(ticks, u)
	longestTick := 0
	for _, l := range labels {
		longestTick = max(longestTick, len([]rune(l)))
	}
	const pad, plotH, legendRow = 8.0, 180.0, 20.0
	x0 := math.Max(40, float64(longestTick)*charW+10)
	x1 := float64(chartW) - 8
	y0 := pad + chartFont + 10
	y1 := y0 + plotH
	longestName := 0
	for _, s := range ss {
		longestName = max(longestName, len([]rune(s.name)))
	}
	perRow := 2 // legend entries side by side when the names fit
	if float64(longestName)*charW+40 > (x1-x0)/2 {
		perRow = 1
	}
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
	b.WriteString("</g>\n<g class=\"bench-ticks bench-value-ticks\" fill=\"currentColor\">\n")
	for i, t := range ticks {
		fmt.Fprintf(b, "<text x=\"%s\" y=\"%s\" text-anchor=\"end\">%s</text>\n", f(x0-6), f(y(t)+4), esc(labels[i]))
	}
	b.WriteString("</g>\n<g class=\"bench-ticks\" fill=\"currentColor\">\n")
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

// benchLine is where a benchmark's function is declared in the site (the
// post's line for a fence body), for warnings; the fence's line when it
// cannot be found. name is as go test printed it: Sharded/parts=8-4.
func benchLine(sn *snippet.Snippet, name string) (string, int) {
	base := name
	if i := strings.IndexAny(base, "/"); i >= 0 {
		base = base[:i]
	} else if i := strings.LastIndexByte(base, '-'); i > 0 {
		if _, err := strconv.Atoi(base[i+1:]); err == nil {
			base = base[:i]
		}
	}
	decl := "func Benchmark" + base + "("
	for _, f := range sn.Program.Files {
		for i, l := range strings.Split(string(f.Data), "\n") {
			if strings.HasPrefix(l, decl) {
				return sn.Pos(playground.Diagnostic{File: f.Name, Line: i + 1})
			}
		}
	}
	return sn.File, sn.Line
}
