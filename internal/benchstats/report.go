package benchstats

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Report is Results as plain data for a client that shows it, with every
// figure already spelled as the author's page spells it (32.42 ns/op,
// ±2%, 45.62 ns to 88.45 ns, 0.52×, ~, p=0.002 n=6), so that a page's
// script only places text and a reader's rerun reads like the author's
// report. The playground server sends it, as JSON, for a benchmark run.
//
// Every string is data, never markup: a client must insert it as text.
type Report struct {
	Caption  string   // "median of 6 runs ± 95% confidence interval; ratios against Mutex"
	Baseline string   `json:",omitempty"` // base name, without "Benchmark"
	Procs    []int    // the GOMAXPROCS values that ran, ascending
	Columns  []Column // the units with a column, in order
	Zero     []string `json:",omitempty"` // units every run measured as 0, spelled: "0 B/op"
	Rows     []ReportRow
	Geomeans []ReportRow `json:",omitempty"` // over more than one configuration
	Warnings []string    `json:",omitempty"` // plain sentences: too few runs, noise, unreadable lines
	Noise    string      `json:",omitempty"` // the noise threshold: "10%"
	Wide     bool        `json:",omitempty"` // too wide for a post's column as a table: show cards
}

// Column is one unit of the report.
type Column struct {
	Unit   string // sec/op, B/op, allocs/op or a custom unit
	Better int    `json:",omitempty"` // -1 lower is better, +1 higher, 0 unknown
}

// ReportRow is one benchmark at one GOMAXPROCS, or one geometric mean.
type ReportRow struct {
	Name     string       // the series, without "Benchmark" and the GOMAXPROCS suffix: Sprintf/parts=8
	Procs    int          `json:",omitempty"` // GOMAXPROCS, when the report has several
	Baseline bool         `json:",omitempty"` // the baseline's row
	Noisy    bool         `json:",omitempty"` // its time interval is wider than the threshold
	Pairs    int          `json:",omitempty"` // a geometric mean: the configurations it covers
	Cells    []ReportCell // by Columns
}

// ReportCell is one row's figures for one unit.
type ReportCell struct {
	Value    string `json:",omitempty"` // the median, spelled; "" when the unit was not reported
	Interval string `json:",omitempty"` // "±2%"; for a noisy time, the range: "45.62 ns to 88.45 ns"
	Noisy    string `json:",omitempty"` // a noisy time's spread: "±61%"
	Runs     int    `json:",omitempty"` // runs, when too few for an interval
	Ratio    string `json:",omitempty"` // against the baseline: "0.52×", or "~" when not significant
	Verdict  string `json:",omitempty"` // "better" or "worse" for a significant ratio of a unit with a direction
	P        string `json:",omitempty"` // the comparison: "p=0.002 n=6"
	Note     string `json:",omitempty"` // why there is no figure: "baseline", "not reported", ...
}

// Report summarises res for display.
func (res *Results) Report() *Report {
	shown, zero := res.TableUnits()
	rep := &Report{Baseline: res.Baseline, Procs: res.Procs, Rows: []ReportRow{}, Wide: res.TableChars(shown) > 64}
	if res.Noise > 0 {
		rep.Noise = Pct(res.Noise)
	}
	runs := strconv.Itoa(res.MinRuns)
	if res.MinRuns != res.MaxRuns {
		runs = fmt.Sprintf("%d to %d", res.MinRuns, res.MaxRuns)
	}
	rep.Caption = "median of " + runs + " runs"
	if res.AnyCI() {
		rep.Caption += " ± 95% confidence interval"
	}
	if res.Baseline != "" {
		rep.Caption += "; ratios against " + res.Baseline
	}
	for _, ui := range shown {
		rep.Columns = append(rep.Columns, Column{Unit: res.Units[ui].Name, Better: res.Units[ui].Better})
	}
	for _, ui := range zero {
		rep.Zero = append(rep.Zero, SpellValue(0, res.Units[ui], true))
	}
	for _, r := range res.Rows {
		row := ReportRow{Name: r.Series(), Baseline: res.Baseline != "" && r.Base == res.Baseline}
		if res.MultiProcs() {
			row.Procs = r.Procs
		}
		if ui := res.TimeUnit(); ui >= 0 && res.Noisy(ui, r.Cells[ui]) {
			row.Noisy = true
		}
		for _, ui := range shown {
			row.Cells = append(row.Cells, res.reportCell(r, ui))
		}
		rep.Rows = append(rep.Rows, row)
	}
	for _, g := range res.Geomeans {
		if g.Pairs < 2 { // over one configuration it would repeat the row
			continue
		}
		row := ReportRow{Name: g.Base, Pairs: g.Pairs}
		for _, ui := range shown {
			var c ReportCell
			if math.IsNaN(g.Center[ui]) {
				c.Note = "not defined"
			} else {
				c.Value = SpellValue(g.Center[ui], res.Units[ui], true)
			}
			if !math.IsNaN(g.Ratio[ui]) {
				c.Ratio = FormatRatio(g.Ratio[ui])
			}
			row.Cells = append(row.Cells, c)
		}
		rep.Geomeans = append(rep.Geomeans, row)
	}
	rep.Warnings = res.Warnings()
	return rep
}

func (res *Results) reportCell(r *Row, ui int) ReportCell {
	u := res.Units[ui]
	c := r.Cells[ui]
	var out ReportCell
	if c == nil {
		out.Note = "not reported"
		return out
	}
	out.Value = SpellValue(c.Summary.Center, u, true)
	switch {
	case res.Noisy(ui, c):
		out.Interval = SpellValue(c.Summary.Lo, u, false) + " to " + SpellValue(c.Summary.Hi, u, false)
		out.Noisy = "±" + c.Summary.PctRangeString()
	case c.HasCI():
		out.Interval = "±" + c.Summary.PctRangeString()
	default:
		out.Runs = len(c.Sample.Values)
	}
	if res.Baseline == "" {
		return out
	}
	switch {
	case r.Base == res.Baseline:
		out.Note = "baseline"
	case c.Cmp == nil && r.Paired:
		out.Note = res.Baseline + " did not report " + u.Name
	case c.Cmp == nil:
		out.Note = "no baseline run in this configuration"
	case !c.Significant():
		out.Ratio, out.P = "~", c.Cmp.String()
	case math.IsNaN(c.Ratio):
		out.Note, out.P = "not defined", c.Cmp.String()
	default:
		out.Ratio, out.P = FormatRatio(c.Ratio), c.Cmp.String()
		if u.Better != 0 && c.Ratio != 1 {
			if (c.Ratio < 1) == (u.Better < 0) {
				out.Verdict = "better"
			} else {
				out.Verdict = "worse"
			}
		}
	}
	return out
}

// Caution is one of the report's cautions, for the author's page and the
// reader's Rerun alike: each writes Title (emphasised) and Detail, then
// its own advice and the closing punctuation.
type Caution struct {
	Kind   string // "few" (runs), "noise" or "unread" (output lines)
	Title  string
	Detail string
}

// Cautions are what a reader must know before trusting the figures: too
// few runs for an interval, noisy times, output lines left out.
func (res *Results) Cautions() []Caution {
	var out []Caution
	var few []string
	for _, r := range res.Rows {
		for _, c := range r.Cells {
			if c != nil && !c.HasCI() {
				few = append(few, fmt.Sprintf("%s (%d)", res.Label(r), len(c.Sample.Values)))
				break
			}
		}
	}
	if len(few) > 0 {
		what := fmt.Sprintf("Every benchmark ran fewer than %d times, so no interval is shown.", MinRuns)
		if len(few) < len(res.Rows) {
			what = fmt.Sprintf("These ran fewer than %d times, so no interval is shown for them: %s.", MinRuns, strings.Join(few, ", "))
		}
		out = append(out, Caution{"few", "Too few runs for a confidence interval.", what + " Their medians may be noise"})
	}
	if noisy := res.NoisyRows(); len(noisy) > 0 {
		var names []string
		for _, n := range noisy {
			names = append(names, fmt.Sprintf("%s (±%s)", n.Label, n.Spread))
		}
		what, medians := "The time of "+strings.Join(names, ", ")+" varied", "their medians are"
		if len(noisy) == 1 {
			medians = "its median is"
		}
		if len(noisy) == len(res.Rows) && len(noisy) > 1 {
			what = "The time of every benchmark varied: " + strings.Join(names, ", ") + ";"
		}
		out = append(out, Caution{"noise", "Noisy measurements.", fmt.Sprintf("%s more than ±%s between runs, so %s uncertain and may move on a rerun", what, Pct(res.Noise), medians)})
	}
	if res.BadLines > 0 {
		what := "1 line of output could not be read as a result and is"
		if res.BadLines > 1 {
			what = fmt.Sprintf("%d lines of output could not be read as results and are", res.BadLines)
		}
		out = append(out, Caution{"unread", what + " left out", "(" + res.BadFirst + ")"})
	}
	return out
}

// Warnings are the cautions in plain sentences, for the reader's Rerun.
func (res *Results) Warnings() []string {
	var out []string
	for _, c := range res.Cautions() {
		out = append(out, c.Title+" "+c.Detail+".")
	}
	return out
}

// TableChars estimates a table of the shown units in characters: the
// longest name, then per unit its value with the interval and the ratio.
// Above 64 it is wider than a post's column on any screen.
func (res *Results) TableChars(shown []int) int {
	n := 0
	for _, r := range res.Rows {
		n = max(n, len([]rune(r.Series())))
	}
	if res.MultiProcs() {
		n += 11
	}
	for range shown {
		n += 18
		if res.Baseline != "" {
			n += 12
		}
	}
	return n
}
