package plot

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
)

// The SVG is drawn in a fixed coordinate system (viewBox) narrow enough
// that, scaled into the content column of a 360 px phone (about 300 px),
// its 13-unit text is still drawn at about 11 px; the theme caps its width
// on wide screens so the text never outgrows the body's. Colours are CSS
// classes (plot-s0 ... plot-s5 set `color`) drawn with currentColor, so
// the chart follows the light and dark themes and stays legible, in one
// colour, without any stylesheet; each series also has its own marker
// shape, so colour is never the only cue.
const (
	width    = 360
	fontSize = 13
	pad      = 4.0
	plotH    = 190.0
	legendH  = 20.0
	barH     = 14.0
	barGap   = 3.0
)

// coord formats a coordinate to a tenth of a unit.
func coord(v float64) string {
	s := strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
	if s == "-0" {
		return "0"
	}
	return s
}

// escapeText escapes text for HTML and SVG; characters XML does not allow
// (control characters, U+FFFE, U+FFFF) become U+FFFD, and line breaks
// spaces, so a program's odd bytes cannot break the markup.
func escapeText(s string) string {
	if strings.IndexFunc(s, badChar) >= 0 {
		s = strings.Map(func(r rune) rune {
			switch {
			case r == '\n' || r == '\r' || r == '\t':
				return ' '
			case badChar(r):
				return '\uFFFD'
			}
			return r
		}, s)
	}
	return html.EscapeString(s)
}

func badChar(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r < 0xa0) || r == 0xFFFE || r == 0xFFFF
}

// textW is the width text takes at fontSize, generously: the advances of
// DejaVu Sans, the widest of the usual system sans-serif fonts, by class
// of character.
func textW(s string) float64 {
	w := 0.0
	for _, r := range s {
		w += runeW(r)
	}
	return w * fontSize
}

func runeW(r rune) float64 {
	switch {
	case r >= '0' && r <= '9':
		return 0.64
	case strings.ContainsRune(" .,:;'|!ijlft()[]", r):
		return 0.4
	case strings.ContainsRune("mwMW%", r):
		return 1.0
	case r >= 'A' && r <= 'Z':
		return 0.75
	case r >= 'a' && r <= 'z':
		return 0.62
	}
	return 0.85
}

// trunc shortens s to fit w units, with an ellipsis.
func trunc(s string, w float64) string {
	if textW(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && textW(string(r))+textW("…") > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// marker draws series i's point shape centred on (x, y).
func marker(i int, x, y float64) string {
	switch i % 4 {
	case 1:
		return fmt.Sprintf(`<rect x="%s" y="%s" width="7" height="7"/>`, coord(x-3.5), coord(y-3.5))
	case 2:
		return fmt.Sprintf(`<path d="M%s %sl4.5 7.5h-9z"/>`, coord(x), coord(y-4.5))
	case 3:
		return fmt.Sprintf(`<path d="M%s %sl4.5 4.5l-4.5 4.5l-4.5 -4.5z"/>`, coord(x), coord(y-4.5))
	}
	return fmt.Sprintf(`<circle cx="%s" cy="%s" r="3.5"/>`, coord(x), coord(y))
}

// SVG draws the chart. id prefixes the ids of its parts; labelID names the
// element that titles it (the figure's caption).
func (c *Chart) SVG(id, labelID string) string {
	var b strings.Builder
	if c.Spec.Kind == Bar {
		c.barSVG(&b, id, labelID)
	} else {
		c.xySVG(&b, id, labelID)
	}
	return b.String()
}

func (c *Chart) head(b *strings.Builder, id, labelID string, h float64) {
	fmt.Fprintf(b, "<svg class=\"plot-svg plot-%s\" role=\"img\" aria-labelledby=\"%s\" aria-describedby=\"%s-desc\" viewBox=\"0 0 %d %s\" width=\"%d\" height=\"%s\" preserveAspectRatio=\"xMinYMin meet\" font-size=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">\n",
		c.Spec.Kind, labelID, id, width, coord(h), width, coord(h), fontSize)
	fmt.Fprintf(b, "<desc id=\"%s-desc\">%s</desc>\n", id, escapeText(c.Describe()))
}

// legendLayout places one entry per series, in rows that fit the width;
// it returns each entry's position and the height of the rows.
func (c *Chart) legendLayout(top float64) (pos [][2]float64, h float64) {
	if len(c.Series) < 2 {
		return nil, 0
	}
	x, y := 0.0, top
	for _, s := range c.Series {
		w := 30 + textW(trunc(s.Name, width-30)) + 14
		if x > 0 && x+w > width {
			x, y = 0, y+legendH
		}
		pos = append(pos, [2]float64{x, y})
		x += w
	}
	return pos, y + legendH - top
}

// writeLegend draws a sample of each series (its line and marker, or its
// bar) and its name.
func (c *Chart) writeLegend(b *strings.Builder, pos [][2]float64) {
	if len(pos) == 0 {
		return
	}
	b.WriteString("<g class=\"plot-legend\">\n")
	for i, s := range c.Series {
		x, y := pos[i][0], pos[i][1]+legendH/2
		fmt.Fprintf(b, "<g class=\"plot-legend-item plot-s%d\" fill=\"currentColor\" stroke=\"currentColor\">", i%6)
		switch c.Spec.Kind {
		case Bar:
			fmt.Fprintf(b, "<rect x=\"%s\" y=\"%s\" width=\"24\" height=\"10\" stroke=\"none\" fill-opacity=\"0.7\"/>", coord(x), coord(y-5))
		case Line:
			fmt.Fprintf(b, "<path d=\"M%s %sh24\" fill=\"none\" stroke-width=\"2\"/>", coord(x), coord(y))
			b.WriteString(marker(i, x+12, y))
		default:
			b.WriteString(marker(i, x+12, y))
		}
		fmt.Fprintf(b, "<text class=\"plot-label\" x=\"%s\" y=\"%s\" stroke=\"none\">%s</text></g>\n", coord(x+30), coord(y+4.5), escapeText(trunc(s.Name, width-30)))
	}
	b.WriteString("</g>\n")
}

// thin returns every k-th index of ticks for the smallest k whose labels,
// at the given positions along one axis, leave gap units between them.
func thin(pos []float64, size []float64, gap float64) []int {
	for k := 1; ; k++ {
		var keep []int
		ok := true
		for i := 0; i < len(pos); i += k {
			if len(keep) > 0 {
				j := keep[len(keep)-1]
				if math.Abs(pos[i]-pos[j]) < (size[i]+size[j])/2+gap {
					ok = false
					break
				}
			}
			keep = append(keep, i)
		}
		if ok || k >= len(pos) {
			return keep
		}
	}
}

// xySVG draws a line or scatter chart: y ticks at the left, x ticks and
// the x axis title below, the y axis title above the plot, the legend on
// top.
func (c *Chart) xySVG(b *strings.Builder, id, labelID string) {
	d := c.domain()
	xs := newScale(d.XLo, d.XHi, c.Spec.XLog, false)
	ys := newScale(d.YLo, d.YHi, c.Spec.YLog, true)
	xl := tickTexts(xs.ticks, c.Spec.XUnit, c.Spec.XLog)
	yl := tickTexts(ys.ticks, c.Spec.YUnit, c.Spec.YLog)
	yw := 0.0
	for _, l := range yl {
		yw = math.Max(yw, textW(l))
	}

	legend, lh := c.legendLayout(pad)
	yTitle := pad + lh + fontSize
	y0 := yTitle + 12
	y1 := y0 + plotH
	x0 := math.Max(yw+8, textW(xl[0])/2+2)
	x1 := width - math.Max(8, textW(xl[len(xl)-1])/2+2)
	h := y1 + 17 + 22
	X := func(v float64) float64 { return x0 + xs.at(v)*(x1-x0) }
	Y := func(v float64) float64 { return y1 - ys.at(v)*(y1-y0) }

	c.head(b, id, labelID, h)
	c.writeLegend(b, legend)
	fmt.Fprintf(b, "<text class=\"plot-axis-title plot-y-title\" x=\"0\" y=\"%s\" fill=\"currentColor\">%s</text>\n", coord(yTitle), escapeText(trunc(c.YTitle(), width)))

	b.WriteString("<g class=\"plot-grid\" stroke=\"currentColor\" stroke-opacity=\"0.2\">\n")
	for _, t := range ys.ticks {
		fmt.Fprintf(b, "<line x1=\"%s\" y1=\"%[2]s\" x2=\"%s\" y2=\"%[2]s\"/>\n", coord(x0), coord(Y(t)), coord(x1))
	}
	for _, t := range xs.ticks {
		fmt.Fprintf(b, "<line x1=\"%[1]s\" y1=\"%[2]s\" x2=\"%[1]s\" y2=\"%[3]s\"/>\n", coord(X(t)), coord(y0), coord(y1))
	}
	b.WriteString("</g>\n")
	fmt.Fprintf(b, "<path class=\"plot-axis\" d=\"M%s %sV%sH%s\" fill=\"none\" stroke=\"currentColor\" stroke-opacity=\"0.6\"/>\n", coord(x0), coord(y0), coord(y1), coord(x1))

	var pos, size []float64
	for _, t := range ys.ticks {
		pos, size = append(pos, Y(t)), append(size, fontSize)
	}
	fmt.Fprintf(b, "<g class=\"plot-ticks plot-y-ticks\" data-unit=\"%s\" fill=\"currentColor\" text-anchor=\"end\">\n", escapeText(c.Spec.YUnit))
	for _, i := range thin(pos, size, 2) {
		fmt.Fprintf(b, "<text x=\"%s\" y=\"%s\">%s</text>\n", coord(x0-6), coord(Y(ys.ticks[i])+4.5), escapeText(yl[i]))
	}
	b.WriteString("</g>\n")
	pos, size = pos[:0], size[:0]
	for i, t := range xs.ticks {
		pos, size = append(pos, X(t)), append(size, textW(xl[i]))
	}
	fmt.Fprintf(b, "<g class=\"plot-ticks plot-x-ticks\" data-unit=\"%s\" fill=\"currentColor\" text-anchor=\"middle\">\n", escapeText(c.Spec.XUnit))
	for _, i := range thin(pos, size, 8) {
		fmt.Fprintf(b, "<text x=\"%s\" y=\"%s\">%s</text>\n", coord(X(xs.ticks[i])), coord(y1+17), escapeText(xl[i]))
	}
	b.WriteString("</g>\n")
	fmt.Fprintf(b, "<text class=\"plot-axis-title plot-x-title\" x=\"%s\" y=\"%s\" fill=\"currentColor\" text-anchor=\"middle\">%s</text>\n", coord((x0+x1)/2), coord(y1+17+19), escapeText(trunc(c.XTitle(), x1-x0)))

	for i, s := range c.Series {
		fmt.Fprintf(b, "<g class=\"plot-series plot-s%d\" data-series=\"%d\" fill=\"currentColor\" stroke=\"currentColor\">\n", i%6, i)
		if c.Spec.Kind == Line && len(s.Points) > 1 {
			var d strings.Builder
			for j, p := range s.Points {
				cmd := "L"
				if j == 0 {
					cmd = "M"
				}
				fmt.Fprintf(&d, "%s%s %s", cmd, coord(X(p.X)), coord(Y(p.Y)))
			}
			fmt.Fprintf(b, "<path class=\"plot-line\" d=\"%s\" fill=\"none\" stroke-width=\"2\" stroke-linejoin=\"round\"/>\n", d.String())
		}
		// Markers show where the data is; past a few dozen points a line
		// says it better, and a scatter's points are its markers.
		if c.Spec.Kind == Scatter || len(s.Points) <= 40 {
			for _, p := range s.Points {
				b.WriteString(marker(i, X(p.X), Y(p.Y)))
				b.WriteString("\n")
			}
		}
		b.WriteString("</g>\n")
	}
	b.WriteString("</svg>\n")
}

// barSVG draws horizontal bars: per category its name, then one bar per
// series with its value at the end; the value axis and its ticks below,
// its title above.
func (c *Chart) barSVG(b *strings.Builder, id, labelID string) {
	d := c.domain()
	valW := d.ValueW
	vs := newScale(d.YLo, d.YHi, c.Spec.YLog, true)
	labels := tickTexts(vs.ticks, c.Spec.YUnit, c.Spec.YLog)
	legend, lh := c.legendLayout(pad)
	yTitle := pad + lh + fontSize
	y0 := yTitle + 8
	x0 := 2.0
	x1 := width - math.Max(valW+8, textW(labels[len(labels)-1])/2+2)
	if x1 < width/2 {
		x1 = width / 2 // values too long to fit beside the bars overlap them rather than squeeze the bars away
	}
	X := func(v float64) float64 { return x0 + vs.at(v)*(x1-x0) }
	base := X(math.Max(vs.lo, math.Min(0, vs.hi)))
	if vs.log {
		base = x0
	}

	// Rows: a category's name, then its bars.
	type bar struct {
		s int
		p Point
		y float64
	}
	var bars []bar
	type name struct {
		text string
		y    float64
	}
	var names []name
	y := y0
	for ci, cat := range c.Cats {
		names = append(names, name{cat, y + fontSize})
		y += fontSize + 6
		for si, s := range c.Series {
			for _, p := range s.Points {
				if p.Cat == ci {
					bars = append(bars, bar{si, p, y})
					y += barH + barGap
				}
			}
		}
		y += 8
	}
	yb := y - 8
	h := yb + fontSize + 10

	c.head(b, id, labelID, h)
	c.writeLegend(b, legend)
	fmt.Fprintf(b, "<text class=\"plot-axis-title plot-y-title\" x=\"0\" y=\"%s\" fill=\"currentColor\">%s</text>\n", coord(yTitle), escapeText(trunc(c.YTitle(), width)))
	b.WriteString("<g class=\"plot-grid\" stroke=\"currentColor\" stroke-opacity=\"0.2\">\n")
	for _, t := range vs.ticks {
		fmt.Fprintf(b, "<line x1=\"%[1]s\" y1=\"%[2]s\" x2=\"%[1]s\" y2=\"%[3]s\"/>\n", coord(X(t)), coord(y0), coord(yb))
	}
	b.WriteString("</g>\n")
	var pos, size []float64
	for i, t := range vs.ticks {
		pos, size = append(pos, X(t)), append(size, textW(labels[i]))
	}
	fmt.Fprintf(b, "<g class=\"plot-ticks plot-y-ticks\" data-unit=\"%s\" fill=\"currentColor\">\n", escapeText(c.Spec.YUnit))
	keep := thin(pos, size, 8)
	for k, i := range keep {
		anchor := "middle" // the end ticks stay inside the box
		if k == 0 && pos[i]-size[i]/2 < 0 {
			anchor = "start"
		} else if k == len(keep)-1 && pos[i]+size[i]/2 > width {
			anchor = "end"
		}
		fmt.Fprintf(b, "<text x=\"%s\" y=\"%s\" text-anchor=\"%s\">%s</text>\n", coord(pos[i]), coord(yb+fontSize+4), anchor, escapeText(labels[i]))
	}
	b.WriteString("</g>\n")
	b.WriteString("<g class=\"plot-categories\" fill=\"currentColor\">\n")
	for _, n := range names {
		fmt.Fprintf(b, "<text class=\"plot-label\" x=\"%s\" y=\"%s\">%s</text>\n", coord(x0), coord(n.y), escapeText(trunc(n.text, width-x0)))
	}
	b.WriteString("</g>\n")
	for _, br := range bars {
		x := X(br.p.Y)
		left, w := math.Min(x, base), math.Abs(x-base)
		fmt.Fprintf(b, "<g class=\"plot-series plot-s%d\" data-series=\"%d\" fill=\"currentColor\">", br.s%6, br.s)
		fmt.Fprintf(b, "<rect class=\"plot-bar\" x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill-opacity=\"0.7\"/>", coord(left), coord(br.y), coord(w), coord(barH))
		tx, anchor := math.Max(x, base)+4, "start"
		if tx+textW(br.p.YText) > width {
			tx, anchor = width-2, "end"
		}
		fmt.Fprintf(b, "<text class=\"plot-value\" x=\"%s\" y=\"%s\" text-anchor=\"%s\">%s</text></g>\n", coord(tx), coord(br.y+barH-3), anchor, escapeText(br.p.YText))
	}
	b.WriteString("</svg>\n")
}
