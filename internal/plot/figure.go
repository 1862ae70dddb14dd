package plot

import (
	"fmt"
	"strconv"
	"strings"
)

// Figure is the chart as HTML: a <figure> with the title as its caption,
// the SVG (role img, described by a summary of every series), the notes
// the program printed, then the data as a real table in a <details> that
// any reader can open, and a link to dataHref, the same data as a CSV file
// written next to the page. id must be unique on the page.
func (c *Chart) Figure(id, dataHref string) string {
	var b strings.Builder
	capID := id + "-title"
	fmt.Fprintf(&b, "<figure class=\"plot-figure\">\n<figcaption id=\"%s\" class=\"plot-title\">%s</figcaption>\n", capID, escapeText(c.Title()))
	b.WriteString(c.SVG(id, capID))
	for _, n := range c.Table.Notes {
		fmt.Fprintf(&b, "<p class=\"plot-note\">%s</p>\n", escapeText(n))
	}
	b.WriteString("</figure>\n")
	rows := "1 row"
	if n := len(c.Table.Rows); n != 1 {
		rows = fmt.Sprintf("%d rows", n)
	}
	fmt.Fprintf(&b, "<details class=\"plot-data\">\n<summary>Data <span class=\"plot-rows\">(%s)</span></summary>\n", rows)
	c.writeTable(&b, id)
	b.WriteString("</details>\n")
	if dataHref != "" {
		fmt.Fprintf(&b, "<p class=\"plot-download\"><a href=\"%s\" download type=\"text/csv\">%s</a> (CSV, %s)</p>\n", escapeText(dataHref), escapeText(dataHref), rows)
	}
	return b.String()
}

// writeTable writes the table the chart is drawn from, every column,
// cells as the program printed them; the x column heads each row.
func (c *Chart) writeTable(b *strings.Builder, id string) {
	t := c.Table
	xi, _ := t.column(c.Spec.X, "x")
	numeric := make([]bool, len(t.Columns))
	for j := range t.Columns {
		numeric[j] = true
		for _, r := range t.Rows {
			if _, err := strconv.ParseFloat(r.Cells[j], 64); err != nil && r.Cells[j] != "" {
				numeric[j] = false
				break
			}
		}
	}
	fmt.Fprintf(b, "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"%s-table-caption\">\n<table class=\"plot-table\">\n", id)
	fmt.Fprintf(b, "<caption id=\"%s-table-caption\" class=\"visually-hidden\">Data of the chart: %s</caption>\n<thead><tr>", id, escapeText(c.Title()))
	for j, col := range t.Columns {
		fmt.Fprintf(b, "<th scope=\"col\"%s>%s</th>", numClass(numeric[j]), escapeText(c.columnTitle(col)))
	}
	b.WriteString("</tr></thead>\n<tbody>\n")
	for _, r := range t.Rows {
		b.WriteString("<tr>")
		for j, cell := range r.Cells {
			tag, scope := "td", ""
			if j == xi {
				tag, scope = "th", " scope=\"row\""
			}
			fmt.Fprintf(b, "<%s%s%s>%s</%[1]s>", tag, scope, numClass(numeric[j]), escapeText(cell))
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody>\n</table>\n</div>\n")
}

func numClass(num bool) string {
	if num {
		return " class=\"num\""
	}
	return ""
}

// columnTitle is a column's header in the table: its name, and the unit
// of the axis it is drawn on.
func (c *Chart) columnTitle(col string) string {
	if col == c.Spec.X && c.Spec.Kind != Bar {
		return withUnit(col, c.Spec.XUnit)
	}
	for _, y := range c.Spec.Y {
		if col == y {
			return withUnit(col, c.Spec.YUnit)
		}
	}
	return col
}

// Describe is the chart in words, for readers who cannot see it: per
// series its extremes and where it starts and ends, or per bar group
// every value.
func (c *Chart) Describe() string {
	var b strings.Builder
	kind := map[string]string{Line: "Line chart", Scatter: "Scatter plot", Bar: "Bar chart"}[c.Spec.Kind]
	fmt.Fprintf(&b, "%s of %s by %s", kind, c.YTitle(), c.XTitle())
	if c.Spec.XLog || c.Spec.YLog {
		var axes []string
		if c.Spec.XLog {
			axes = append(axes, "x")
		}
		if c.Spec.YLog {
			axes = append(axes, "y")
		}
		fmt.Fprintf(&b, ", logarithmic %s axis", strings.Join(axes, " and "))
		if len(axes) == 2 {
			b.WriteString("es")
		}
	}
	b.WriteString(". ")
	y := func(p Point) string { return unitText(p.YText, c.Spec.YUnit) }
	x := func(p Point) string { return unitText(p.XText, c.Spec.XUnit) }
	if c.Spec.Kind == Bar {
		const most = 30
		for ci, cat := range c.Cats {
			if ci == most {
				fmt.Fprintf(&b, "And %d more in the data table.", len(c.Cats)-most)
				break
			}
			var vals []string
			for _, s := range c.Series {
				for _, p := range s.Points {
					if p.Cat == ci {
						if len(c.Series) > 1 {
							vals = append(vals, s.Name+" "+y(p))
						} else {
							vals = append(vals, y(p))
						}
					}
				}
			}
			fmt.Fprintf(&b, "%s: %s. ", cat, strings.Join(vals, ", "))
		}
		return strings.TrimSpace(b.String())
	}
	for _, s := range c.Series {
		if len(s.Points) == 0 {
			continue
		}
		lo, hi := s.Points[0], s.Points[0]
		for _, p := range s.Points {
			if p.Y < lo.Y {
				lo = p
			}
			if p.Y > hi.Y {
				hi = p
			}
		}
		first, last := s.Points[0], s.Points[len(s.Points)-1]
		fmt.Fprintf(&b, "%s: %d points, from %s at %s to %s at %s; lowest %s at %s, highest %s at %s. ",
			s.Name, len(s.Points), y(first), x(first), y(last), x(last), y(lo), x(lo), y(hi), x(hi))
	}
	return strings.TrimSpace(b.String())
}
