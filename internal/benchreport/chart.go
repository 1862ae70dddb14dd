package benchreport

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"

	"golang.org/x/perf/benchunit"

	"github.com/benchpress/benchpress/internal/benchstats"
)

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

// chartUnit picks what the chart shows: sec/op, else the first unit.
func chartUnit(res *benchstats.Results) int {
	for i, u := range res.Units {
		if u.Name == "sec/op" {
			return i
		}
	}
	return 0
}

// writeChart writes the chart of the time per operation: a line chart
// over GOMAXPROCS when the block ran with several values, else bars.
func writeChart(b *strings.Builder, res *benchstats.Results, id string) {
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

// coord formats a coordinate: to a tenth of a unit, never "-0".
func coord(v float64) string {
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
	fmt.Fprintf(b, "<svg class=\"bench-svg\" role=\"img\" aria-labelledby=\"%[1]s-chart-title\" aria-describedby=\"%[1]s-chart-desc\" viewBox=\"0 0 %[2]d %[3]s\" width=\"%[2]d\" height=\"%[3]s\" preserveAspectRatio=\"xMinYMin meet\" font-size=\"%[4]d\" xmlns=\"http://www.w3.org/2000/svg\">\n", id, chartW, coord(h), chartFont)
	fmt.Fprintf(b, "<title id=\"%s-chart-title\">%s</title>\n<desc id=\"%s-chart-desc\">%s</desc>\n", id, html.EscapeString(title), id, html.EscapeString(desc))
}

// describeCell is a row's value in words for the chart description.
func describeCell(c *benchstats.Cell, u benchstats.Unit) string {
	s := benchstats.SpellValue(c.Summary.Center, u, true)
	if c.HasCI() {
		s += " ±" + c.Summary.PctRangeString()
	} else {
		s += " (" + benchstats.Runs(len(c.Sample.Values)) + ", no interval)"
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
	fmt.Fprintf(b, "<text class=\"bench-axis-label\" x=\"%s\" y=\"%s\" fill=\"currentColor\">%s</text>\n", coord(x0), coord(pad+chartFont), html.EscapeString(caption))
	var ticks []float64
	for t := 0.0; t <= top*(1+1e-9); t += step {
		ticks = append(ticks, t)
	}
	labels := tickLabels(ticks, u)
	b.WriteString("<g class=\"bench-grid\" stroke=\"currentColor\" stroke-opacity=\"0.2\">\n")
	for _, t := range ticks {
		fmt.Fprintf(b, "<line x1=\"%[1]s\" y1=\"%[2]s\" x2=\"%[1]s\" y2=\"%[3]s\"/>\n", coord(x(t)), coord(y0), coord(yb))
	}
	b.WriteString("</g>\n<g class=\"bench-ticks bench-value-ticks\" fill=\"currentColor\">\n")
	for i, t := range ticks {
		anchor := "middle" // the end ticks stay inside the box
		if i == 0 {
			anchor = "start"
		} else if i == len(ticks)-1 {
			anchor = "end"
		}
		fmt.Fprintf(b, "<text x=\"%s\" y=\"%s\" text-anchor=\"%s\">%s</text>\n", coord(x(t)), coord(yb+chartFont+4), anchor, html.EscapeString(labels[i]))
	}
	b.WriteString("</g>\n")

	for i, br := range bars {
		ytext := y0 + float64(i)*rowH + labelH - 4
		yc := y0 + float64(i)*rowH + labelH + barH/2 + 2
		c := br.c
		fmt.Fprintf(b, "<g class=\"bench-series bench-s%d\">\n", br.s)
		fmt.Fprintf(b, "<text class=\"bench-label\" x=\"%s\" y=\"%s\" fill=\"currentColor\">%s</text>\n", coord(x0), coord(ytext), html.EscapeString(br.label))
		fmt.Fprintf(b, "<text class=\"bench-value\" x=\"%s\" y=\"%s\" text-anchor=\"end\" fill=\"currentColor\">%s</text>\n", coord(float64(chartW)-2), coord(ytext), html.EscapeString(br.value))
		fmt.Fprintf(b, "<rect class=\"bench-bar\" x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"currentColor\" fill-opacity=\"0.55\"/>\n",
			coord(x0), coord(yc-barH/2), coord(x(c.Summary.Center)-x0), coord(barH))
		if c.HasCI() {
			lo, hi := x(math.Max(c.Summary.Lo, 0)), x(math.Min(c.Summary.Hi, top))
			tip := fmt.Sprintf("M%s %sV%s", coord(hi), coord(yc-5), coord(yc+5)) // a cap, or an arrow where the axis cuts it
			if c.Summary.Hi > top {
				tip = fmt.Sprintf("M%[1]s %[2]sL%[3]s %[4]sL%[1]s %[5]s", coord(hi-5), coord(yc-4), coord(hi+4), coord(yc), coord(yc+4))
			}
			fmt.Fprintf(b, "<path class=\"bench-whisker bench-ink\" d=\"M%[1]s %[3]sV%[4]sM%[1]s %[5]sH%[2]s%[6]s\" stroke=\"currentColor\" stroke-width=\"1.5\" fill=\"none\"/>\n",
				coord(lo), coord(hi), coord(yc-5), coord(yc+5), coord(yc), tip)
		}
		b.WriteString("</g>\n")
	}
	b.WriteString("</svg>\n")
}

// markers distinguish lines without relying on colour.
var markers = []func(x, y string) string{
	func(x, y string) string { return fmt.Sprintf("<circle cx=\"%s\" cy=\"%s\" r=\"4\"/>", x, y) },
	func(x, y string) string {
		return fmt.Sprintf("<rect x=\"%s\" y=\"%s\" width=\"8\" height=\"8\"/>", coordMinus(x, 4), coordMinus(y, 4))
	},
	func(x, y string) string {
		return fmt.Sprintf("<path d=\"M%s %sl5 8h-10z\"/>", x, coordMinus(y, 5))
	},
	func(x, y string) string {
		return fmt.Sprintf("<path d=\"M%s %sl5 5l-5 5l-5 -5z\"/>", x, coordMinus(y, 5))
	},
}

// coordMinus moves a coordinate coord wrote back by d, rounding again.
func coordMinus(s string, d float64) string {
	v, _ := strconv.ParseFloat(s, 64)
	return coord(v - d)
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
	fmt.Fprintf(b, "<text class=\"bench-axis-label\" x=\"%s\" y=\"%s\" fill=\"currentColor\">%s</text>\n", coord(x0), coord(pad+chartFont), html.EscapeString(caption))
	b.WriteString("<g class=\"bench-grid\" stroke=\"currentColor\" stroke-opacity=\"0.2\">\n")
	for _, t := range ticks {
		fmt.Fprintf(b, "<line x1=\"%s\" y1=\"%[2]s\" x2=\"%s\" y2=\"%[2]s\"/>\n", coord(x0), coord(y(t)), coord(x1))
	}
	b.WriteString("</g>\n<g class=\"bench-ticks bench-value-ticks\" fill=\"currentColor\">\n")
	for i, t := range ticks {
		fmt.Fprintf(b, "<text x=\"%s\" y=\"%s\" text-anchor=\"end\">%s</text>\n", coord(x0-6), coord(y(t)+4), html.EscapeString(labels[i]))
	}
	b.WriteString("</g>\n<g class=\"bench-ticks\" fill=\"currentColor\">\n")
	for _, p := range res.Procs {
		fmt.Fprintf(b, "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\">%d</text>\n", coord(xOf[p]), coord(y1+16), p)
	}
	fmt.Fprintf(b, "<text class=\"bench-axis-label\" x=\"%s\" y=\"%s\" text-anchor=\"middle\">GOMAXPROCS</text>\n", coord((x0+x1)/2), coord(y1+32))
	b.WriteString("</g>\n")

	for i, s := range ss {
		fmt.Fprintf(b, "<g class=\"bench-series bench-s%d\" fill=\"currentColor\" stroke=\"currentColor\">\n<title>%s</title>\n", i%6, html.EscapeString(s.name))
		var d strings.Builder
		for j, r := range s.rows {
			cmd := "L"
			if j == 0 {
				cmd = "M"
			}
			fmt.Fprintf(&d, "%s%s %s", cmd, coord(xOf[r.Procs]), coord(y(r.Cells[ui].Summary.Center)))
		}
		fmt.Fprintf(b, "<path class=\"bench-line\" d=\"%s\" fill=\"none\" stroke-width=\"2\"/>\n", d.String())
		for _, r := range s.rows {
			c := r.Cells[ui]
			px := xOf[r.Procs]
			if c.HasCI() {
				lo, hi := y(math.Max(c.Summary.Lo, 0)), y(math.Min(c.Summary.Hi, top))
				end := fmt.Sprintf("M%s %sH%s", coord(px-5), coord(hi), coord(px+5)) // a cap, or an arrow where the axis cuts it
				if c.Summary.Hi > top {
					end = fmt.Sprintf("M%[1]s %[4]sL%[2]s %[5]sL%[3]s %[4]s", coord(px-4), coord(px), coord(px+4), coord(hi+5), coord(hi))
				}
				fmt.Fprintf(b, "<path class=\"bench-whisker\" d=\"%[5]sM%[3]s %[2]sV%[4]sM%[1]s %[4]sH%[6]s\" fill=\"none\" stroke-width=\"1.5\"/>\n",
					coord(px-5), coord(hi), coord(px), coord(lo), end, coord(px+5))
			}
			b.WriteString(markers[i%len(markers)](coord(px), coord(y(c.Summary.Center))))
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
		fmt.Fprintf(b, "<path d=\"M%s %sh24\" stroke-width=\"2\"/>", coord(lx), coord(ly))
		b.WriteString(markers[i%len(markers)](coord(lx+12), coord(ly)))
		fmt.Fprintf(b, "<text class=\"bench-label\" x=\"%s\" y=\"%s\" stroke=\"none\">%s</text></g>\n", coord(lx+32), coord(ly+4), html.EscapeString(truncLabel(s.name, int((colW-40)/charW))))
	}
	b.WriteString("</svg>\n")
}
