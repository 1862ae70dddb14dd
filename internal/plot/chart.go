package plot

import (
	"cmp"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Kinds of chart.
const (
	Line    = "line"    // a line through each series' points, in the order printed; numeric x
	Scatter = "scatter" // points only; numeric x
	Bar     = "bar"     // horizontal bars, one group per x value (any text), one bar per series
)

// MaxSeries bounds the lines or bars per group a chart draws: past a few,
// nobody can tell them apart.
const MaxSeries = 8

// Spec is what to draw: the options of a plot fence.
type Spec struct {
	Kind   string   // Line, Scatter or Bar
	X      string   // column on the x axis (the categories of a bar chart)
	Y      []string // columns on the y axis (the bars' lengths): one series each
	Series string   // column whose values split the rows into series; needs one Y

	Title          string // default: "Y by X"
	XLabel, YLabel string // axis titles; default: the column names
	XUnit, YUnit   string // shown on every tick and after the axis title
	XLog, YLog     bool   // logarithmic axes
}

// Check reports what is wrong with a spec before any data is seen.
func (s Spec) Check() error {
	switch s.Kind {
	case Line, Scatter, Bar:
	default:
		return fmt.Errorf("plot=%s: draw a line, scatter or bar chart", s.Kind)
	}
	if s.X == "" {
		return fmt.Errorf("plot=%s needs x=COLUMN: the column for the x axis", s.Kind)
	}
	if len(s.Y) == 0 {
		return fmt.Errorf("plot=%s needs y=COLUMN (or y=A,B for several series)", s.Kind)
	}
	for _, y := range s.Y {
		if y == "" {
			return fmt.Errorf("y=%s: a column name is empty", strings.Join(s.Y, ","))
		}
	}
	if len(s.Y) > MaxSeries {
		return fmt.Errorf("y= names %d columns: a chart shows at most %d series", len(s.Y), MaxSeries)
	}
	if s.Series != "" && len(s.Y) > 1 {
		return fmt.Errorf("series=%s takes one y column, not %d: the series column splits that one into several", s.Series, len(s.Y))
	}
	if s.Kind == Bar && s.XLog {
		return fmt.Errorf("a bar chart's x values are categories: log=x does not apply (log=y makes the bars logarithmic)")
	}
	return nil
}

// Chart is a spec applied to data: every value checked and converted.
type Chart struct {
	Spec   Spec
	Table  *Table
	Series []*Series
	Cats   []string // a bar chart's categories (x values), in order of first appearance
	// Fixed, when set, is the range the axes cover instead of the data's
	// own: charts that are states of one figure share one (Extent), so
	// a reader switching between them sees the data move, not the axes.
	Fixed *Domain
}

// Domain is the range of values a chart's axes cover (a bar chart uses
// only the Y range: its bars' lengths), and the width of the widest value
// printed at a bar's end, which a bar chart's scale leaves room for.
type Domain struct {
	XLo, XHi, YLo, YHi float64
	ValueW             float64
}

// Extent is the smallest domain that covers the data of every chart.
func Extent(charts []*Chart) Domain {
	d := Domain{XLo: math.Inf(1), XHi: math.Inf(-1), YLo: math.Inf(1), YHi: math.Inf(-1)}
	for _, c := range charts {
		for _, s := range c.Series {
			for _, p := range s.Points {
				d.XLo, d.XHi = math.Min(d.XLo, p.X), math.Max(d.XHi, p.X)
				d.YLo, d.YHi = math.Min(d.YLo, p.Y), math.Max(d.YHi, p.Y)
				d.ValueW = math.Max(d.ValueW, textW(p.YText))
			}
		}
	}
	return d
}

// domain is the range the chart's axes cover.
func (c *Chart) domain() Domain {
	if c.Fixed != nil {
		return *c.Fixed
	}
	return Extent([]*Chart{c})
}

// Series is one line, set of points, or one bar per category.
type Series struct {
	Name   string
	Points []Point
}

// Point is one value; Cat is the category of a bar, X the x of a point.
type Point struct {
	X, Y     float64
	Cat      int
	XText    string // the cells as printed, for descriptions and labels
	YText    string
	Row, Out int // row number (1-based) and output line, for errors
}

// Build applies s to t. An error names the row, output line and column
// of the first cell that cannot be drawn.
func Build(t *Table, s Spec) (*Chart, error) {
	if err := s.Check(); err != nil {
		return nil, err
	}
	c := &Chart{Spec: s, Table: t}
	xi, err := t.column(s.X, "x")
	if err != nil {
		return nil, err
	}
	yi := make([]int, len(s.Y))
	for i, y := range s.Y {
		if yi[i], err = t.column(y, "y"); err != nil {
			return nil, err
		}
	}
	si := -1
	if s.Series != "" {
		if si, err = t.column(s.Series, "series"); err != nil {
			return nil, err
		}
	}
	byName := map[string]*Series{}
	series := func(name string) (*Series, error) {
		if sr := byName[name]; sr != nil {
			return sr, nil
		}
		if len(c.Series) == MaxSeries {
			return nil, fmt.Errorf("series=%s: more than %d different values: a chart shows at most %d series", s.Series, MaxSeries, MaxSeries)
		}
		sr := &Series{Name: name}
		byName[name] = sr
		c.Series = append(c.Series, sr)
		return sr, nil
	}
	if si < 0 {
		for _, y := range s.Y {
			series(y)
		}
	}
	cat := map[string]int{}
	for ri, r := range t.Rows {
		where := func(col int) string {
			return fmt.Sprintf("row %d (output line %d), column %q", ri+1, r.Line, t.Columns[col])
		}
		p := Point{Row: ri + 1, Out: r.Line, XText: r.Cells[xi]}
		if s.Kind == Bar {
			if r.Cells[xi] == "" {
				return nil, fmt.Errorf("%s: empty: every bar needs a name", where(xi))
			}
			n, ok := cat[r.Cells[xi]]
			if !ok {
				n = len(c.Cats)
				cat[r.Cells[xi]] = n
				c.Cats = append(c.Cats, r.Cells[xi])
			}
			p.Cat = n
		} else if p.X, err = number(r.Cells[xi], s.XLog, "x"); err != nil {
			return nil, fmt.Errorf("%s: %v", where(xi), err)
		}
		for k, col := range yi {
			q := p
			q.YText = r.Cells[col]
			if q.Y, err = number(r.Cells[col], s.YLog, "y"); err != nil {
				return nil, fmt.Errorf("%s: %v", where(col), err)
			}
			var sr *Series
			if si >= 0 {
				if r.Cells[si] == "" {
					return nil, fmt.Errorf("%s: empty: name the series of every row", where(si))
				}
				if sr, err = series(r.Cells[si]); err != nil {
					return nil, err
				}
			} else {
				sr = c.Series[k]
			}
			if s.Kind == Bar {
				for _, old := range sr.Points {
					if old.Cat == q.Cat {
						return nil, fmt.Errorf("%s: a second bar %q in series %q (the first is in row %d): give each x value one row per series", where(xi), q.XText, sr.Name, old.Row)
					}
				}
			}
			sr.Points = append(sr.Points, q)
		}
	}
	return c, nil
}

// number reads a cell to plot.
func number(cell string, log bool, axis string) (float64, error) {
	if cell == "" {
		return 0, fmt.Errorf("empty: every plotted cell needs a number")
	}
	v, err := strconv.ParseFloat(cell, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a number (print digits only: units belong in %sunit=)", cell, axis)
	}
	if log && v <= 0 {
		return 0, fmt.Errorf("%s is not positive, and the %s axis is logarithmic (log=%s)", cell, axis, axis)
	}
	return v, nil
}

// XTitle and YTitle are the axis titles: label or column name, and unit.
func (c *Chart) XTitle() string { return withUnit(cmp.Or(c.Spec.XLabel, c.Spec.X), c.Spec.XUnit) }

func (c *Chart) YTitle() string {
	name := c.Spec.YLabel
	if name == "" {
		name = strings.Join(c.Spec.Y, ", ")
	}
	return withUnit(name, c.Spec.YUnit)
}

// Title is the chart's title: the spec's, else "Y by X".
func (c *Chart) Title() string {
	if c.Spec.Title != "" {
		return c.Spec.Title
	}
	return c.YTitle() + " by " + c.XTitle()
}

func withUnit(name, unit string) string {
	if unit == "" {
		return name
	}
	return name + " (" + unit + ")"
}

// Options are the fence options a plot takes, besides plot= itself.
var Options = []string{"x", "y", "series", "title", "xlabel", "ylabel", "xunit", "yunit", "log"}

// SpecFrom reads a spec from fence options (plot=KIND and Options) and
// checks it. Options that are not a plot's are ignored.
func SpecFrom(opts map[string]string) (Spec, error) {
	s := Spec{
		Kind: opts["plot"], X: opts["x"], Series: opts["series"], Title: opts["title"],
		XLabel: opts["xlabel"], YLabel: opts["ylabel"], XUnit: opts["xunit"], YUnit: opts["yunit"],
	}
	if y, ok := opts["y"]; ok {
		s.Y = strings.Split(y, ",")
	}
	switch v, ok := opts["log"]; {
	case !ok:
	case v == "x":
		s.XLog = true
	case v == "y":
		s.YLog = true
	case v == "xy" || v == "yx":
		s.XLog, s.YLog = true, true
	default:
		return s, fmt.Errorf("log=%s: write log=x, log=y or log=xy", opts["log"])
	}
	return s, s.Check()
}
