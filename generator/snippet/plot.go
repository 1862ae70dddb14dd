package snippet

// A go run block with plot= prints data (CSV or JSON lines, see
// internal/plot) and the page shows it as a chart in place of the text
// output: an inline SVG, the data as a table for screen readers, and a
// link to the same data as a CSV file written next to the page (claimed
// with the page's other outputs before anything renders).
//
// The plot options are presentation only: they are not part of the
// playground Program, so they never enter a result's key, and changing
// how a block is drawn reruns nothing.

import (
	"fmt"
	"strings"

	"github.com/benchpress/benchpress/internal/plot"
	"github.com/benchpress/benchpress/playground"
)

// plotOptions reads the plot options of a go run fence into o.Plot, and
// refuses combinations a plot cannot honour.
func plotOptions(fi FenceInfo, o *Options) error {
	kind, isPlot := fi.Opts["plot"]
	if !isPlot {
		for _, k := range plot.Options {
			if _, ok := fi.Opts[k]; ok {
				return fmt.Errorf("%s= is an option of plots: add plot=line (or scatter, bar) to draw the output", k)
			}
		}
		return nil
	}
	spec, err := plot.SpecFrom(fi.Opts)
	if err != nil {
		return err
	}
	switch {
	case o.Hide == "output":
		return fmt.Errorf("plot=%s with hide=output would show nothing: the plot replaces the output already (hide=source shows the plot alone)", kind)
	case o.Expect != "":
		return fmt.Errorf("plot=%s with expect=%s: a plot needs a program that runs and exits 0", kind, o.Expect)
	}
	o.Plot = &spec
	return nil
}

// RenderPlot draws a plot block's output. It runs only for a result that
// check found to be a success; an error is the author's to fix and names
// the output line, row and column.
func (sn *Snippet) RenderPlot() error {
	t, err := plot.Parse(sn.Result.Stdout())
	if err != nil {
		return err
	}
	c, err := plot.Build(t, *sn.Opts.Plot)
	if err != nil {
		return err
	}
	sn.DataRef = sn.Anchor() + ".csv"
	sn.PlotData = t.CSV()
	sn.Plot = plotHTML(sn.Result, c, sn.Anchor()+"-plot", sn.DataRef)
	return nil
}

// plotHTML is a run's chart as the page shows it, with the run's status;
// id names the figure, dataRef its CSV file ("" for none).
func plotHTML(r *playground.Result, c *plot.Chart, id, dataRef string) string {
	var b strings.Builder
	dur, durText := formatDuration(r.Duration)
	fmt.Fprintf(&b, "<div class=\"plot\" data-plot data-status=\"%s\" data-exit=\"%d\" data-duration=\"%s\">\n", r.Status, r.ExitCode, dur)
	fmt.Fprintf(&b, "<div class=\"output-head\"><span class=\"output-label\">Plot</span> <span class=\"output-status\">exit %d · %s · %s</span></div>\n", r.ExitCode, durText, c.Table.Format)
	b.WriteString(c.Figure(id, dataRef))
	b.WriteString("</div>\n")
	return b.String()
}

// stderrOnly is the snippet with only what its program wrote to standard
// error: under a plot, which shows standard output as the chart.
func (sn *Snippet) stderrOnly() *Snippet {
	r := *sn.Result
	r.Events = nil
	for _, e := range sn.Result.Events {
		if e.Stream == playground.Stderr {
			r.Events = append(r.Events, e)
		}
	}
	if len(r.Events) == 0 {
		return nil
	}
	c := *sn
	c.Result = &r
	return &c
}
