package snippet

// The explorable block (params=, see params.go) from its runs to its HTML.
//
// Each combination is a State with its own Program (the block's, with the
// combination's flags first in Args and "?KEY" after its ID), run, cached
// and sharded by the playground like any other, and checked like any other
// block: expect=, expect-output= and expect-match= hold for every state,
// and a failure names the combination. The page shows the default state's
// output (or plot) in the HTML, so it reads without JavaScript and prints,
// and carries every other state's HTML, rendered at build time by the same
// code as a block's: in the page as <template> elements when they are
// small (InlineStatesBudget), else in one JSON file next to the page that
// explore.js loads when the reader first reaches a control. Plots of
// every state share one axis range unless the fence says axes=free.

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/benchpress/benchpress/generator/diag"
	"github.com/benchpress/benchpress/internal/plot"
	"github.com/benchpress/benchpress/playground"
)

// InlineStatesBudget is how many bytes of state HTML (the states other
// than the default) an explorable block carries in its page. Past it, the
// states go to one JSON file next to the page instead, so a large grid
// costs its page nothing until a reader uses it.
const InlineStatesBudget = 32 << 10

// State is one combination of an explorable block and what its run did.
type State struct {
	Combo   []int  // an index into each parameter's values
	Key     string // Grid.Key of Combo
	Program playground.Program
	Result  *playground.Result
	Err     error

	plot string // its plot's HTML (plot=)
	html string // its output or plot as the page shows it (RenderStates)
}

// paramOptions reads params=, default= and axes= into o; max caps the
// grid's combinations.
func paramOptions(fi FenceInfo, o *Options, max int) error {
	spec, has := fi.Opts["params"]
	def, hasDef := fi.Opts["default"]
	_, hasAxes := fi.Opts["axes"]
	switch {
	case !has && hasDef:
		return fmt.Errorf("default= picks the combination of params= shown first: add params=\"NAME=V1,V2,...\"")
	case !has && hasAxes:
		return fmt.Errorf("axes= is an option of explorable plots: add params= and plot=")
	case !has:
		return nil
	case hasAxes && o.Plot == nil:
		return fmt.Errorf("axes= is an option of explorable plots: add plot= or drop axes=")
	case o.Expect == "compile-error":
		return fmt.Errorf("params= with expect=compile-error: every combination would show the same compiler error")
	case o.Hide == "output":
		return fmt.Errorf("params= with hide=output would show no run: the outputs are what the reader explores")
	}
	g, err := ParseParams(spec, max)
	if err != nil {
		return fmt.Errorf("params=%s: %v", printable(spec), err)
	}
	if hasDef {
		if err := g.ParseDefault(def); err != nil {
			return fmt.Errorf("default=%s: %v", printable(def), err)
		}
	}
	o.Grid = g
	return nil
}

// buildStates makes a State per combination from the block's Program.
func (s *Snippet) buildStates() {
	s.States = nil
	g := s.Opts.Grid
	if g == nil {
		return
	}
	for _, c := range g.Combinations() {
		p := s.Program
		p.ID = s.Program.ID + "?" + g.Key(c)
		// The combination's flags go first: the flag package stops at
		// the first argument that is not a flag, and args= may hold some.
		p.Args = append(g.Flags(c), s.Program.Args...)
		s.States = append(s.States, &State{Combo: c, Key: g.Key(c), Program: p})
	}
}

// Programs are what the block runs: its Program, or one per state.
func (s *Snippet) Programs() []playground.Program {
	if s.States == nil {
		return []playground.Program{s.Program}
	}
	out := make([]playground.Program, len(s.States))
	for i, st := range s.States {
		out[i] = st.Program
	}
	return out
}

// SetRun records how Programs()[i] ended: its result, or an
// infrastructure error.
func (s *Snippet) SetRun(i int, r *playground.Result, err error) {
	if s.States == nil {
		s.Result, s.Err = r, err
		return
	}
	st := s.States[i]
	st.Result, st.Err = r, err
	if i == s.defaultState() {
		// The block's own Result is its default state's, for what reads
		// one result of every block (progress, the reader's Run button).
		s.Result, s.Err = r, err
	}
}

// defaultState is the index of the state shown first.
func (s *Snippet) defaultState() int {
	for i, st := range s.States {
		if slicesEqual(st.Combo, s.Opts.Grid.Default) {
			return i
		}
	}
	return 0
}

func slicesEqual(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// checkStates is Check for every state: an error about one combination
// names it; the same error from several (a compile error) is reported
// once.
func (s *Snippet) checkStates() diag.List {
	var list diag.List
	seen := map[string]bool{}
	for _, st := range s.States {
		v := *s
		v.States, v.Result, v.Err = nil, st.Result, st.Err
		v.combo = s.Opts.Grid.Label(st.Combo)
		errs := v.Check()
		if msg := flagMistake(st.Result); msg != "" {
			// The flag package's usage text would bury its one line.
			errs = diag.List{diag.Errorf(s.File, s.Line, "%s with %s: %s", s.what(), v.combo, msg)}
		}
		for _, e := range errs {
			if msg := e.Error(); !seen[msg] {
				seen[msg] = true
				list = append(list, e)
			}
		}
	}
	return list
}

var (
	undefinedFlagRE = regexp.MustCompile(`(?m)^flag provided but not defined: -(\S+)$`)
	invalidFlagRE   = regexp.MustCompile(`(?m)^invalid value "(.*)" for flag -(\S+): (.*)$`)
)

// flagMistake explains a run the flag package stopped (exit status 2, and
// its message on standard error): a parameter the program does not
// declare, or a value its flag's type refuses. "" for any other run.
func flagMistake(r *playground.Result) string {
	if r == nil || r.Status != playground.StatusExit || r.ExitCode != 2 {
		return ""
	}
	stderr := r.Stderr()
	if m := undefinedFlagRE.FindStringSubmatch(stderr); m != nil {
		return fmt.Sprintf("the program does not declare the flag -%s: declare it (e.g. flag.Int(%q, 1, \"...\")) and call flag.Parse(), or rename the parameter", printable(m[1]), printable(m[1]))
	}
	if m := invalidFlagRE.FindStringSubmatch(stderr); m != nil {
		return fmt.Sprintf("-%s=%s is not a value its flag takes (%s): change the value in params= or the flag's type", printable(m[2]), printable(m[1]), printable(m[3]))
	}
	return ""
}

// SameOutputs reports whether every state ran and printed the same
// output: the program most likely never reads its flags (no flag.Parse).
func (s *Snippet) SameOutputs() bool {
	if len(s.States) < 2 {
		return false
	}
	first := s.States[0].Result
	for _, st := range s.States {
		if st.Result == nil || st.Result.Status != playground.StatusOK || len(st.Result.Events) == 0 {
			return false
		}
		if st.Result.Stdout() != first.Stdout() || st.Result.Stderr() != first.Stderr() {
			return false
		}
	}
	return true
}

// RenderStates renders every state's output (or plot) for the page, after
// the checks passed: plots on one axis range unless axes=free, and the
// states in the page or, past InlineStatesBudget, in StatesData.
func (s *Snippet) RenderStates() error {
	if s.Opts.Plot != nil {
		if err := s.renderStatePlots(); err != nil {
			return err
		}
	}
	def := s.defaultState()
	inline := 0
	for i, st := range s.States {
		var b strings.Builder
		st.writeHTML(&b, s)
		st.html = b.String()
		if i != def {
			inline += len(st.html)
		}
	}
	s.StatesData, s.StatesRef = nil, ""
	if inline > InlineStatesBudget {
		states := map[string]string{}
		for _, st := range s.States {
			states[st.Key] = st.html
		}
		data, err := json.Marshal(struct {
			States map[string]string `json:"states"`
		}{states})
		if err != nil {
			return err
		}
		s.StatesData, s.StatesRef = data, s.StatesFile()
	}
	return nil
}

// StatesFile is the name of the file next to the page that holds an
// explorable block's states when they are too large for the page.
func (s *Snippet) StatesFile() string { return s.Anchor() + ".json" }

// renderStatePlots draws every state that ran as a plot. The default
// state's data is also the block's CSV file (DataRef); the others' data
// is in their own figure's table.
func (s *Snippet) renderStatePlots() error {
	var charts []*plot.Chart
	byState := map[*State]*plot.Chart{}
	for _, st := range s.States {
		if st.Result == nil || st.Result.Status != playground.StatusOK {
			continue
		}
		t, err := plot.Parse(st.Result.Stdout())
		if err != nil {
			return fmt.Errorf("with %s: %v", s.Opts.Grid.Label(st.Combo), err)
		}
		c, err := plot.Build(t, *s.Opts.Plot)
		if err != nil {
			return fmt.Errorf("with %s: %v", s.Opts.Grid.Label(st.Combo), err)
		}
		charts = append(charts, c)
		byState[st] = c
	}
	if !s.Opts.FreeAxes && len(charts) > 0 {
		d := plot.Extent(charts)
		for _, c := range charts {
			c.Fixed = &d
		}
	}
	def := s.defaultState()
	for i, st := range s.States {
		c := byState[st]
		if c == nil {
			continue
		}
		id, ref := s.Anchor()+"-plot-"+strconv.Itoa(i+1), ""
		if i == def {
			id, ref = s.Anchor()+"-plot", s.Anchor()+".csv"
			s.DataRef, s.PlotData = ref, c.Table.CSV()
		}
		st.plot = plotHTML(st.Result, c, id, ref)
	}
	return nil
}

// writeHTML writes what a state's run did as a block shows it: its plot
// and anything it wrote to standard error, or its output with its status;
// a run that did not happen says why.
func (st *State) writeHTML(w io.Writer, s *Snippet) {
	v := *s
	v.States, v.Result = nil, st.Result
	switch {
	case st.Err != nil:
		fmt.Fprintf(w, "<div class=\"output output-failed\" data-output data-status=\"error\">\n<div class=\"output-head\"><span class=\"output-label\">Output</span> <span class=\"output-status\">did not run</span></div>\n<pre class=\"output-body\" tabindex=\"0\"><code><span class=\"stderr\">%s</span></code></pre>\n</div>\n", template.HTMLEscapeString(printable(st.Err.Error())))
	case st.Result == nil:
		io.WriteString(w, "<div class=\"output\" data-output data-status=\"not-run\">\n<div class=\"output-head\"><span class=\"output-label\">Output</span> <span class=\"output-status\">not run in this build</span></div>\n<pre class=\"output-body\" tabindex=\"0\"><code><span class=\"no-output\">(run by another shard)</span></code></pre>\n</div>\n")
	case st.plot != "":
		io.WriteString(w, st.plot)
		if e := v.stderrOnly(); e != nil {
			writeOutput(w, e)
		}
	default:
		writeOutput(w, &v)
	}
}

// writeExplorer writes an explorable block's controls, the default
// state's output and the other states (in the page, or the name of their
// file).
func (s *Snippet) writeExplorer(w io.Writer) {
	g := s.Opts.Grid
	id := s.Anchor()
	def := s.defaultState()
	if len(s.States) == 0 || s.States[def].html == "" {
		// Not rendered: the build stopped before (an error elsewhere), or
		// another shard ran the runs.
		return
	}
	fmt.Fprintf(w, "<div class=\"explore\" data-explore data-default=\"%s\"", template.HTMLEscapeString(s.States[def].Key))
	if s.StatesRef != "" {
		fmt.Fprintf(w, " data-states=\"%s\"", template.HTMLEscapeString(s.StatesRef))
	}
	io.WriteString(w, ">\n")
	// The controls need the script: hidden until it shows them.
	fmt.Fprintf(w, "<div class=\"explore-controls\" role=\"group\" aria-label=\"Parameters of %s\" hidden>\n", template.HTMLEscapeString(s.what()))
	for k, p := range g.Params {
		cid := fmt.Sprintf("%s-param-%d", id, k+1)
		cur := p.Values[g.Default[k]]
		name := template.HTMLEscapeString(p.Name)
		io.WriteString(w, "<div class=\"explore-param\">")
		fmt.Fprintf(w, "<label for=\"%s\">%s</label>", cid, name)
		if p.Ordered {
			fmt.Fprintf(w, "<input type=\"range\" id=\"%s\" min=\"0\" max=\"%d\" step=\"1\" value=\"%d\" data-param=\"%s\" data-values=\"%s\" aria-valuetext=\"%s\">",
				cid, len(p.Values)-1, g.Default[k], name, template.HTMLEscapeString(strings.Join(p.Values, ",")), template.HTMLEscapeString(cur))
			fmt.Fprintf(w, "<output for=\"%s\" aria-hidden=\"true\">%s</output>", cid, template.HTMLEscapeString(cur))
		} else {
			fmt.Fprintf(w, "<select id=\"%s\" data-param=\"%s\">", cid, name)
			for i, v := range p.Values {
				sel := ""
				if i == g.Default[k] {
					sel = " selected"
				}
				fmt.Fprintf(w, "<option value=\"%s\"%s>%s</option>", template.HTMLEscapeString(v), sel, template.HTMLEscapeString(v))
			}
			io.WriteString(w, "</select>")
		}
		io.WriteString(w, "</div>\n")
	}
	io.WriteString(w, "</div>\n")
	fmt.Fprintf(w, "<p class=\"explore-shown\" aria-live=\"polite\">%s</p>\n", template.HTMLEscapeString(s.shownText(def)))
	fmt.Fprintf(w, "<div class=\"explore-state\" data-state=\"%s\">\n%s</div>\n", template.HTMLEscapeString(s.States[def].Key), s.States[def].html)
	if s.StatesRef == "" {
		for i, st := range s.States {
			if i != def {
				fmt.Fprintf(w, "<template data-state=\"%s\">\n%s</template>\n", template.HTMLEscapeString(st.Key), st.html)
			}
		}
	}
	io.WriteString(w, "</div>\n")
}

// shownText is the caption of the state shown; explore.js writes the same
// for the state a reader picks.
func (s *Snippet) shownText(i int) string {
	return fmt.Sprintf("Run with %s (1 of %d runs made when the site was built)", s.Opts.Grid.Label(s.States[i].Combo), len(s.States))
}

// what names the block in messages: "snippet ring".
func (s *Snippet) what() string {
	if s.Opts.Name != "" {
		return "snippet " + s.Opts.Name
	}
	return "snippet " + strconv.Itoa(s.Index+1)
}
