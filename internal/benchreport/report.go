// Package benchreport writes a go bench block's report as HTML. The
// statistics (reading the raw `go test -bench` output, medians, intervals,
// ratios, significance, noise and the spelling of numbers) are
// internal/benchstats's, shared with the playground server, so a reader's
// Rerun shows the same figures; this package only writes them:
//
//   - The report is one <div data-bench>: warnings (too few runs, noise,
//     unreadable lines), the block's claims these runs could not confirm
//     (Block.Unconfirmed), the table, a legend in plain words (folded in
//     a <details>; it also says which runs the claims judged on extra
//     runs used, Block.Pooled), an inline SVG
//     chart of sec/op (bars with interval whiskers, or with several
//     GOMAXPROCS values a line per benchmark), and the environment stamp
//     (with the machine's load, marked when it was busy) with the link to
//     the raw text, which the generator writes next to the page as
//     Block.RawRef. Output depends only on its inputs: no map order, no
//     clock.
//
// It knows nothing of snippets, markdown or the playground: the caller
// analyses the output (benchstats.Analyse, then sets Results.Noise) and
// describes the block in a Block.
package benchreport

import (
	"cmp"
	"fmt"
	"html"
	"html/template"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/benchpress/benchpress/internal/benchstats"
)

// Block is what the report needs to know of the block beside its results.
type Block struct {
	ID        string // the block's anchor, e.g. snippet-counter: the prefix of the report's element IDs
	Benchtime string // the block's benchtime= as the author wrote it, for the stamp; "" leaves it out
	RawRef    string // where the raw output is, relative to the page; "" for no link
	Env       Env
	// Unconfirmed are the block's claims that these runs could not
	// decide, extra runs included: the report says so beside its figures,
	// so a reader does not take the post's prose for a measured fact.
	Unconfirmed []Unconfirmed
	// Pooled are the block's claims judged on more runs than the table
	// shows: its own and rounds of extra runs of the benchmarks they
	// name. The legend says which runs each was judged on and what they
	// gave, so that a reader who finds the table's ratio "~" under a
	// claim that holds knows why.
	Pooled []Pooled
	// Caption opens the table's caption, "Benchmark results" when empty:
	// a page that shows a second report of the same block (a reader's
	// rerun) names it apart, as its scrolling region is named by it.
	Caption string
	// Notes are the caller's own warnings, in plain text, written before
	// the report's (the playground server's "No ratios: ..." when an edited
	// program lost its baseline).
	Notes []string
}

// Unconfirmed is a claim whose verdict was inconclusive.
type Unconfirmed struct {
	Claim   string // as written: Atomic < Mutex
	Where   string // the configuration that could not be told apart, if the claim covered several
	Figures string // 1.02x [0.91, 1.10], p=0.480
	Rounds  int    // rounds of extra runs it was given
}

// Pooled is a claim judged on the block's own runs and rounds of extra
// runs, pooled.
type Pooled struct {
	Claim      string   // as written: Atomic < Mutex
	Holds      bool     // it holds; false: it was not confirmed (Unconfirmed says so beside the figures)
	Benchmarks []string // what the rounds ran for it: Atomic, Mutex
	Rounds     int      // rounds of extra runs, at least 1
	Runs       string   // runs of each benchmark it was judged on, in all: "18", "12 to 18"
	Figures    string   // what those gave: 0.41x [0.38, 0.44], p=0.002
}

// Env is the environment the benchmarks ran in, for the stamp. An empty
// field is left out; without GOOS, the platform (GOOS and GOARCH) is the
// raw output's header's, and so is the CPU without CPU.
type Env struct {
	GoVersion, GOOS, GOARCH, CPU string
	Machine                      string    // identifies the machine: blocks stamped with different ones are not comparable
	RanAt                        time.Time // when the benchmarks ran; the stamp shows its UTC date
	// Load says how busy the machine was while they ran ("other processes
	// took 41% of 2 CPUs, steal 0%, load average 3.12"); Busy marks it as
	// enough to doubt the figures.
	Load string
	Busy bool
}

// Render writes the report of res, a block's analysed output; res.Noise
// must be set, as it decides which times are shown as noisy.
func Render(res *benchstats.Results, blk Block) template.HTML {
	var b strings.Builder
	writeReport(&b, res, blk)
	return template.HTML(b.String())
}

// writeReport writes the whole report: warnings, table, legend, chart and
// stamp in one <div data-bench>.
func writeReport(b *strings.Builder, res *benchstats.Results, blk Block) {
	id := blk.ID
	fmt.Fprintf(b, "<div class=\"bench\" data-bench data-runs=\"%d\"", res.MinRuns)
	if res.Baseline != "" {
		fmt.Fprintf(b, " data-baseline=\"%s\"", html.EscapeString(res.Baseline))
	}
	b.WriteString(">\n")
	for _, n := range blk.Notes {
		fmt.Fprintf(b, "<p class=\"bench-warning\" role=\"note\">%s</p>\n", html.EscapeString(n))
	}
	writeWarnings(b, res, blk.Env)
	writeUnconfirmed(b, blk)
	dashes := writeTable(b, res, id, cmp.Or(blk.Caption, "Benchmark results"))
	writeLegend(b, res, dashes, blk.Pooled)
	writeChart(b, res, id)
	writeStamp(b, res, blk)
	b.WriteString("</div>\n")
}

// writeWarnings writes what the reader must know before trusting the
// figures: too few runs, noisy times, lines left out. Noise is blamed on
// a busy machine only as far as the load stamp allows.
func writeWarnings(b *strings.Builder, res *benchstats.Results, env Env) {
	for _, c := range res.Cautions() {
		cls, advice := "bench-warning", ""
		switch c.Kind {
		case "few":
			advice = fmt.Sprintf(": raise <code>count=</code> in the fence to %d or more.", benchstats.MinRuns)
		case "noise":
			cls += " bench-noise-warning"
			advice = "; the table shows their interval as the range it is. "
			switch {
			case env.Load == "":
				advice += "The machine was likely busy: the figures are best measured again on a quieter one."
			case env.Busy:
				advice += "The machine was busy (see the load below): the figures are best measured again on a quieter one."
			default:
				advice += "Other processes were quiet while they ran (see the load below), so the spread is the benchmark's own: more runs or a longer benchtime narrow it."
			}
		case "unread":
			advice = ". A benchmark that prints to standard output can break its result lines."
		}
		fmt.Fprintf(b, "<p class=\"%s\" role=\"note\"><strong>%s</strong> %s%s</p>\n", cls, html.EscapeString(c.Title), html.EscapeString(c.Detail), advice)
	}
}

// writeUnconfirmed writes, for each claim these runs could not decide,
// that it was not confirmed and the figures that left it open.
func writeUnconfirmed(b *strings.Builder, blk Block) {
	for _, u := range blk.Unconfirmed {
		where, extra := "", ""
		if u.Where != "" {
			where = " for " + u.Where
		}
		switch u.Rounds {
		case 0:
		case 1:
			extra = ", after a round of extra runs"
		default:
			extra = fmt.Sprintf(", after %d rounds of extra runs", u.Rounds)
		}
		fmt.Fprintf(b, "<p class=\"bench-warning bench-unconfirmed\" role=\"note\"><strong>Claim not confirmed.</strong> The post claims <q>%s</q>, and these runs could not tell whether it holds%s (%s%s): read it as the author's expectation, not as a measured result.</p>\n",
			html.EscapeString(u.Claim), html.EscapeString(where), html.EscapeString(u.Figures), extra)
	}
}

// writeTable writes the table and reports whether it has empty
// cells (a dash), for the legend.
func writeTable(b *strings.Builder, res *benchstats.Results, id, caption string) (dashes bool) {
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
	fmt.Fprintf(b, "<caption id=\"%s-caption\">%s: median of %s runs", id, html.EscapeString(caption), runs)
	if res.AnyCI() {
		b.WriteString(" ± 95% confidence interval")
	}
	if res.Baseline != "" {
		fmt.Fprintf(b, "; ratios against %s", html.EscapeString(res.Baseline))
	}
	b.WriteString("</caption>\n<thead>\n<tr><th scope=\"col\">Benchmark</th>")
	if res.MultiProcs() {
		b.WriteString("<th scope=\"col\" class=\"num\">GOMAXPROCS</th>")
	}
	for _, ui := range shown {
		u := res.Units[ui]
		fmt.Fprintf(b, "<th scope=\"col\" class=\"num\">%s</th>", html.EscapeString(u.Name))
		if res.Baseline != "" {
			fmt.Fprintf(b, "<th scope=\"col\" class=\"num\">vs %s<span class=\"visually-hidden\"> (%s)</span></th>", html.EscapeString(res.Baseline), html.EscapeString(u.Name))
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
		fmt.Fprintf(b, "<tr%s><th scope=\"row\">%s</th>", attr, html.EscapeString(r.Series()))
		if res.MultiProcs() {
			fmt.Fprintf(b, "<td class=\"num bench-procs\"><span class=\"bench-procs-label\">GOMAXPROCS </span>%d</td>", r.Procs)
		}
		for _, ui := range shown {
			u := res.Units[ui]
			c := r.Cells[ui]
			b.WriteString("<td class=\"num bench-value\">")
			if c == nil {
				// A card has no column header to say whose dash it is.
				fmt.Fprintf(b, "%s<span class=\"bench-card-unit\" aria-hidden=\"true\"> %s</span>", notReported, html.EscapeString(u.Name))
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
			fmt.Fprintf(b, "<tr class=\"bench-geomean\"><th scope=\"row\">%s <span class=\"bench-tag\">geomean of %d</span></th>", html.EscapeString(g.Base), g.Pairs)
			if res.MultiProcs() {
				b.WriteString("<td class=\"bench-procs\"></td>")
			}
			for _, ui := range shown {
				u := res.Units[ui]
				if math.IsNaN(g.Center[ui]) {
					fmt.Fprintf(b, "<td class=\"num bench-value\">%s</td>", notDefined)
				} else {
					fmt.Fprintf(b, "<td class=\"num bench-value\">%s</td>", html.EscapeString(benchstats.SpellValue(g.Center[ui], u, true)))
				}
				if math.IsNaN(g.Ratio[ui]) {
					fmt.Fprintf(b, "<td class=\"num bench-ratio\">%s</td>", notDefined)
				} else {
					fmt.Fprintf(b, "<td class=\"num bench-ratio\">%s</td>", html.EscapeString(benchstats.FormatRatio(g.Ratio[ui])))
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
	b.WriteString(html.EscapeString(benchstats.SpellValue(c.Summary.Center, u, true)))
	switch {
	case res.Noisy(ui, c):
		fmt.Fprintf(b, " <span class=\"bench-interval\"><span class=\"bench-ci bench-range\">%s to %s</span> <span class=\"bench-noise\">noisy, ±%s</span></span>",
			html.EscapeString(benchstats.SpellValue(c.Summary.Lo, u, false)), html.EscapeString(benchstats.SpellValue(c.Summary.Hi, u, false)), html.EscapeString(c.Summary.PctRangeString()))
	case c.HasCI():
		fmt.Fprintf(b, " <span class=\"bench-ci\">±%s</span>", html.EscapeString(c.Summary.PctRangeString()))
	default:
		fmt.Fprintf(b, " <span class=\"bench-few\">n=%d, no interval</span>", len(c.Sample.Values))
	}
}

const (
	notReported = `<span aria-hidden="true">–</span><span class="visually-hidden">not reported</span>`
	notDefined  = `<span aria-hidden="true">–</span><span class="visually-hidden">not defined</span>`
	noBaseline  = `<span aria-hidden="true">–</span><span class="visually-hidden">no baseline run in this configuration</span>`
)

// writeRatioCell writes a cell's comparison with the baseline, or says in
// words why there is none.
func writeRatioCell(b *strings.Builder, res *benchstats.Results, r *benchstats.Row, c *benchstats.Cell, u benchstats.Unit) {
	td := "<td class=\"num bench-ratio"
	switch {
	case r.Base == res.Baseline:
		b.WriteString(td + "\"><span class=\"bench-tag\">baseline</span></td>")
	case c == nil:
		fmt.Fprintf(b, "%s\">%s</td>", td, notReported)
	case c.Cmp == nil && r.Paired:
		fmt.Fprintf(b, "%s\"><span aria-hidden=\"true\">–</span><span class=\"visually-hidden\">%s did not report %s</span></td>", td, html.EscapeString(res.Baseline), html.EscapeString(u.Name))
	case c.Cmp == nil:
		fmt.Fprintf(b, "%s\">%s</td>", td, noBaseline)
	case !c.Significant():
		fmt.Fprintf(b, "%s bench-same\"><span aria-hidden=\"true\">~</span><span class=\"visually-hidden\">no significant difference</span> <span class=\"bench-p\">%s</span></td>", td, html.EscapeString(c.Cmp.String()))
	case math.IsNaN(c.Ratio):
		fmt.Fprintf(b, "%s\">%s <span class=\"bench-p\">%s</span></td>", td, notDefined, html.EscapeString(c.Cmp.String()))
	default:
		cls := ""
		if u.Better != 0 && c.Ratio != 1 {
			if (c.Ratio < 1) == (u.Better < 0) {
				cls = " bench-better"
			} else {
				cls = " bench-worse"
			}
		}
		fmt.Fprintf(b, "%s%s\">%s <span class=\"bench-p\">%s</span></td>", td, cls, html.EscapeString(benchstats.FormatRatio(c.Ratio)), html.EscapeString(c.Cmp.String()))
	}
}

// writeLegend explains, in plain words, each notation the table uses,
// folded: it is the same on every block and would otherwise be most of a
// report's height on a phone. The metrics left out for being zero are a
// figure, not notation: they stay in view.
func writeLegend(out *strings.Builder, res *benchstats.Results, dashes bool, pooled []Pooled) {
	if _, zero := res.TableUnits(); len(zero) > 0 {
		var what []string
		for _, ui := range zero {
			what = append(what, benchstats.SpellValue(0, res.Units[ui], true))
		}
		fmt.Fprintf(out, "<p class=\"bench-zero\"><strong>%s</strong> in every run of every benchmark: the table leaves out what carries no information.</p>\n", html.EscapeString(strings.Join(what, ", ")))
	}
	b := new(strings.Builder)
	if res.AnyCI() {
		b.WriteString("<dt>±5%</dt><dd>the 95% confidence interval of the median, as a percentage of it: the spread of the runs. A wide interval means a noisy measurement.</dd>\n")
	}
	if len(res.NoisyRows()) > 0 {
		fmt.Fprintf(b, "<dt>noisy</dt><dd>a time whose interval is wider than ±%s: the interval is shown as the range it is, from its low to its high end.</dd>\n", html.EscapeString(benchstats.Pct(res.Noise)))
	}
	if res.MinRuns < benchstats.MinRuns {
		fmt.Fprintf(b, "<dt>n=%d, no interval</dt><dd>only %s: a 95%% confidence interval of the median needs at least %d.</dd>\n", res.MinRuns, benchstats.Runs(res.MinRuns), benchstats.MinRuns)
	}
	if res.Baseline != "" {
		fmt.Fprintf(b, "<dt>0.50×</dt><dd>the median divided by %[1]s’s median in the same configuration: below 1× is less (for time, faster), above 1× is more.</dd>\n", html.EscapeString(res.Baseline))
		fmt.Fprintf(b, "<dt>~</dt><dd>no statistically significant difference from %s: the runs cannot tell the two apart, whatever the medians say.</dd>\n", html.EscapeString(res.Baseline))
		b.WriteString("<dt>p=0.002 n=6</dt><dd>the chance of a difference at least this large if there were none (significant below 0.05, by the Mann-Whitney U test), and the number of runs compared.</dd>\n")
		for _, g := range res.Geomeans {
			if g.Pairs > 1 {
				fmt.Fprintf(b, "<dt>geomean</dt><dd>the geometric mean over the configurations that both the benchmark and %s ran.</dd>\n", html.EscapeString(res.Baseline))
				break
			}
		}
	}
	if dashes {
		b.WriteString("<dt>–</dt><dd>nothing to show: the metric was not reported, or the baseline did not run in that configuration.</dd>\n")
	}
	writePooled(b, pooled)
	if b.Len() > 0 {
		fmt.Fprintf(out, "<details class=\"bench-glossary\"><summary>What the figures mean</summary>\n<dl class=\"bench-legend\">\n%s</dl>\n</details>\n", b)
	}
}

// writePooled says, in the legend, which runs the claims judged on more
// runs than the table's were judged on, and what those gave. The table
// keeps the block's own runs: the extra rounds ran only the claims'
// benchmarks, later, so pooled rows would be compared with a baseline
// measured in one sitting against rows measured in several.
func writePooled(b *strings.Builder, pooled []Pooled) {
	if len(pooled) == 0 {
		return
	}
	b.WriteString("<dt>claims</dt><dd>")
	for _, p := range pooled {
		verdict := "holds on more runs than the table shows"
		if !p.Holds {
			verdict = "was not confirmed even on more runs than the table shows"
		}
		rounds := "a round"
		if p.Rounds > 1 {
			rounds = strconv.Itoa(p.Rounds) + " rounds"
		}
		fmt.Fprintf(b, "<q>%s</q> %s: the table’s runs and %s of extra runs of %s, made after them because the table’s runs could not decide it; %s runs of each in all (%s). ",
			html.EscapeString(p.Claim), verdict, rounds, html.EscapeString(andList(p.Benchmarks)), html.EscapeString(p.Runs), html.EscapeString(p.Figures))
	}
	b.WriteString("The table, the chart and the raw output hold the block’s own runs only: the extra runs measured just the claims’ benchmarks, at another time.</dd>\n")
}

// andList joins names as prose does: "A", "A and B", "A, B and C".
func andList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// writeStamp writes where and when the benchmarks ran, and the link to
// the raw output.
func writeStamp(b *strings.Builder, res *benchstats.Results, blk Block) {
	env := blk.Env
	date := ""
	if !env.RanAt.IsZero() {
		date = env.RanAt.UTC().Format("2006-01-02")
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
		item("platform", html.EscapeString(env.GOOS+"/"+env.GOARCH))
	}
	item("CPU", html.EscapeString(env.CPU))
	item("Go", html.EscapeString(env.GoVersion))
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
	item("benchtime", html.EscapeString(blk.Benchtime))
	item("run on", date)
	if env.Load != "" {
		load := html.EscapeString(env.Load)
		if env.Busy {
			load = "<strong class=\"bench-busy\">busy:</strong> " + load
		}
		item("load", load)
	}
	// Blocks stamped with different machines are not comparable.
	item("machine", html.EscapeString(env.Machine))
	if blk.RawRef != "" {
		item("raw output", fmt.Sprintf("<a href=\"%s\" type=\"text/plain\">%s</a> (benchfmt, for benchstat)", html.EscapeString(blk.RawRef), html.EscapeString(blk.RawRef)))
	}
	b.WriteString("</dl>\n")
}
