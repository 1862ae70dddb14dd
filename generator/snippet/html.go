package snippet

// The HTML of a live block: its source, highlighted by the injected
// highlighter, and what it printed (stdout and stderr in program order),
// or the compiler's errors at the lines the reader sees.

import (
	"fmt"
	"go/format"
	"html/template"
	"io"
	"path"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/tools/txtar"

	"github.com/benchpress/benchpress/playground"
)

// HTML is how a block's HTML is written: the site's settings and the
// highlighter (markdown's, injected so this package needs no chroma).
type HTML struct {
	PlaygroundURL string // set: blocks carry their program for Edit and Run
	LineNumbers   bool
	// Highlight writes code as a highlighted <pre>.
	Highlight func(w io.Writer, lang, code string, lineNos bool)
}

// WriteHTML writes the block as the page shows it: its source (unless
// hidden), then its output, benchmark report or plot.
func (s *Snippet) WriteHTML(w io.Writer, h *HTML) {
	id := s.Anchor()
	fmt.Fprintf(w, "<div class=\"live live-%s\" id=\"%s\"", s.Verb, id)
	// A hidden source has no Copy button: its program is only for Edit
	// and Run.
	if len(s.Program.Files) > 0 && (h.PlaygroundURL != "" || s.Opts.Hide != "source") {
		if h.PlaygroundURL != "" {
			fmt.Fprintf(w, " data-playground=\"%s\"", template.HTMLEscapeString(h.PlaygroundURL))
			if s.Verb == "bench" {
				io.WriteString(w, ` data-mode="bench"`)
			}
		}
		io.WriteString(w, ">\n")
		s.writeProgram(w)
	} else {
		io.WriteString(w, ">\n")
	}
	if s.Opts.Hide != "source" {
		for _, f := range s.Shown {
			if f.Name != "" {
				fmt.Fprintf(w, "<div class=\"live-file\">%s</div>\n", template.HTMLEscapeString(f.Name))
			}
			lang := "go"
			if !strings.HasSuffix(f.Name, ".go") && f.Name != "" {
				lang = strings.TrimPrefix(path.Ext(f.Name), ".")
			}
			h.Highlight(w, lang, f.Code, h.LineNumbers)
		}
	}
	if s.States != nil {
		s.writeExplorer(w)
	} else if s.Opts.Hide != "output" && s.Result != nil {
		switch {
		case s.Verb == "bench" && s.Result.Status == playground.StatusOK:
			io.WriteString(w, s.Bench)
		case s.Plot != "":
			io.WriteString(w, s.Plot)
			if e := s.stderrOnly(); e != nil {
				writeOutput(w, e)
			}
		default:
			writeOutput(w, s)
		}
	}
	io.WriteString(w, "</div>\n")
}

// writeProgram writes the block's complete program, for Edit and Run and
// for the Copy button: the shown lines alone (no package, imports or
// hidden setup) would not compile. When the shown source is one run of the
// program's lines (the usual case: hidden setup, then the code shown), the
// page has those lines already, in the highlighted code: the template
// leaves them out and data-shown-at says at which line (from 0) the
// page's script puts them back, and data-shown-lines how many there are.
func (s *Snippet) writeProgram(w io.Writer) {
	prog := s.EditableProgram()
	if len(s.Shown) == 1 && s.Opts.Hide != "source" {
		lines := strings.Split(prog, "\n")
		shown := strings.Split(strings.TrimSuffix(s.Shown[0].Code, "\n"), "\n")
		if at := indexLines(lines, shown); at >= 0 {
			rest := append(lines[:at:at], lines[at+len(shown):]...)
			fmt.Fprintf(w, "<template class=\"live-program\" data-shown-at=\"%d\" data-shown-lines=\"%d\">%s</template>\n",
				at, len(shown), template.HTMLEscapeString(strings.Join(rest, "\n")))
			return
		}
	}
	fmt.Fprintf(w, "<template class=\"live-program\">%s</template>\n", template.HTMLEscapeString(prog))
}

// indexLines is where sub starts in lines, or -1; an empty sub is never
// found.
func indexLines(lines, sub []string) int {
	if len(sub) == 0 {
		return -1
	}
	for i := 0; i+len(sub) <= len(lines); i++ {
		if slices.Equal(lines[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

var ansiRE = regexp.MustCompile(`\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]`)

func stripANSI(s string) string {
	if !strings.Contains(s, "\x1b") {
		return s
	}
	return ansiRE.ReplaceAllString(s, "")
}

// Anchor is the element id of a live block on its page.
func (s *Snippet) Anchor() string {
	if s.Opts.Name != "" {
		return "snippet-" + s.Opts.Name
	}
	return fmt.Sprintf("snippet-%d", s.Index+1)
}

// writeOutput renders what a snippet printed: HTML-escaped, ANSI escapes
// stripped, stdout and stderr in separate spans, the status as data
// attributes and a visible label.
func writeOutput(w io.Writer, s *Snippet) {
	r := s.Result
	cls, label := "output", "Output"
	if r.Status == playground.StatusCompileError {
		cls, label = "output output-compile-error", "Compiler error"
	} else if r.ExitCode != 0 {
		cls += " output-failed"
	}
	dur, durText := formatDuration(r.Duration)
	fmt.Fprintf(w, "<div class=\"%s\" data-output data-status=\"%s\" data-exit=\"%d\" data-duration=\"%s\"", cls, r.Status, r.ExitCode, dur)
	if r.Truncated {
		io.WriteString(w, ` data-truncated`)
	}
	io.WriteString(w, ">\n")
	status := fmt.Sprintf("exit %d", r.ExitCode)
	switch r.Status {
	case playground.StatusCompileError:
		status = "did not compile"
	case playground.StatusOutputLimit:
		status = "stopped at the output limit · truncated"
	}
	if r.Status != playground.StatusCompileError {
		status += " · " + durText
	}
	fmt.Fprintf(w, "<div class=\"output-head\"><span class=\"output-label\">%s</span> <span class=\"output-status\">%s</span></div>\n", label, template.HTMLEscapeString(status))
	io.WriteString(w, `<pre class="output-body" tabindex="0"><code>`)
	if r.Status == playground.StatusCompileError {
		for _, d := range r.Diagnostics {
			fmt.Fprintf(w, "<span class=\"stderr\">%s</span>", template.HTMLEscapeString(s.diagnosticText(d)))
		}
	} else {
		writeEvents(w, r.Events)
	}
	io.WriteString(w, "</code></pre>\n</div>\n")
}

// diagnosticText is a compiler error as the reader sees it: at the line of
// the source shown on the page, in a file named as the Go playground
// names a lone body (prog.go).
func (s *Snippet) diagnosticText(d playground.Diagnostic) string {
	line := d.Line
	for _, f := range s.Shown {
		if f.Name == d.File || (f.Name == "" && (d.File == "main.go" || d.File == "bench_test.go")) {
			if sl := f.shownLine(s.sourceLine(d)); sl > 0 {
				line = sl
			}
		}
	}
	name := d.File
	if name == "main.go" && len(s.Shown) == 1 && s.Shown[0].Name == "" {
		name = "prog.go"
	}
	switch {
	case d.Line == 0: // a package-level error has no position
		return d.Msg + "\n"
	case d.Col == 0:
		return fmt.Sprintf("%s:%d: %s\n", name, line, d.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s\n", name, line, d.Col, d.Msg)
}

// writeEvents writes what a program printed, a span for each run of
// writes to the same stream.
func writeEvents(w io.Writer, events []playground.Event) {
	var cur playground.Stream
	var buf strings.Builder
	flush := func() {
		if buf.Len() > 0 {
			fmt.Fprintf(w, "<span class=\"%s\">%s</span>", cur, template.HTMLEscapeString(stripANSI(buf.String())))
			buf.Reset()
		}
	}
	for _, e := range events {
		if e.Stream != cur {
			flush()
			cur = e.Stream
		}
		buf.WriteString(e.Data)
	}
	flush()
	if len(events) == 0 {
		io.WriteString(w, `<span class="no-output">(no output)</span>`)
	}
}

// sourceLine maps a diagnostic to the line in the snippet's own source
// (before completion added a header line).
func (s *Snippet) sourceLine(d playground.Diagnostic) int {
	return d.Line - s.offsets[d.File]
}

// formatDuration spells a run's time for the data-duration attribute
// (850µs, 41ms, 2.31s, as Go writes durations) and for the reader, with a
// space before the unit as the charts write it (41 ms).
func formatDuration(d interface{ Seconds() float64 }) (attr, text string) {
	sec := d.Seconds()
	var num, unit string
	switch {
	case sec < 0.001:
		num, unit = fmt.Sprintf("%.0f", sec*1e6), "µs"
	case sec < 1:
		num, unit = fmt.Sprintf("%.0f", sec*1e3), "ms"
	default:
		num, unit = fmt.Sprintf("%.2f", sec), "s"
	}
	return num + unit, num + " " + unit
}

// EditableProgram is the complete program a reader edits and reruns: the
// single file gofmt'ed (hidden setup included), or a txtar of all files.
func (s *Snippet) EditableProgram() string {
	files := s.Program.Files
	if len(files) == 1 {
		if src, err := format.Source(files[0].Data); err == nil {
			return string(src)
		}
		return string(files[0].Data)
	}
	var ar txtar.Archive
	for _, f := range files {
		data := f.Data
		if src, err := format.Source(data); err == nil {
			data = src
		}
		ar.Files = append(ar.Files, txtar.File{Name: f.Name, Data: data})
	}
	return string(txtar.Format(&ar))
}
