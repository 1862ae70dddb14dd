package snippet

import (
	"fmt"
	"strings"
	"syscall"

	"github.com/benchpress/benchpress/generator/diag"
	"github.com/benchpress/benchpress/playground"
)

// Check compares the result with what the author expected and returns the
// author-facing errors of a failed snippet.
func (s *Snippet) Check() diag.List {
	// An explorable block's Result and Err are its default state's, which
	// may have run on another shard: every state is checked on its own.
	if s.States != nil {
		return s.checkStates()
	}
	if s.Err != nil {
		return diag.List{diag.Errorf(s.File, s.Line, "%v", s.Err)}
	}
	r := s.Result
	if r == nil {
		return nil
	}
	what := "snippet"
	if s.Opts.Name != "" {
		what = "snippet " + s.Opts.Name
	}
	if s.combo != "" {
		what += " with " + s.combo
	}
	if r.Status == playground.StatusCompileError {
		return s.compileErrors(r, what)
	}
	msg := s.statusMistake(r, what)
	if msg == "" {
		msg = s.expectMistake(r, what)
	}
	if msg == "" {
		if msg = s.checkOutput(); msg != "" && s.combo != "" {
			msg = what + ": " + msg
		}
	}
	if msg != "" {
		return diag.List{diag.Errorf(s.File, s.Line, "%s", msg)}
	}
	return nil
}

// compileErrors are the compiler's errors at the lines of the site they
// are about, none when the fence expects them.
func (s *Snippet) compileErrors(r *playground.Result, what string) diag.List {
	if s.Opts.Expect == "compile-error" {
		return nil
	}
	var list diag.List
	for _, d := range r.Diagnostics {
		f, l := s.Pos(d)
		list.Add(diag.Errorf(f, l, "%s", printable(d.Msg)))
	}
	if len(list) == 0 {
		list.Add(diag.Errorf(s.File, s.Line, "%s does not compile: %s", what, firstLine(r.Stderr())))
	}
	return list
}

// statusMistake says why a run that hit a limit or was killed failed; ""
// for any other run (and for a truncated output the fence expects to fail).
func (s *Snippet) statusMistake(r *playground.Result, what string) string {
	switch r.Status {
	case playground.StatusTimeout:
		// The limit the runner applied, not a guess at it: a benchmark's
		// is at least playground.BenchTimeout, or the site's when larger.
		if lim := r.Limits.Timeout; lim > 0 {
			return fmt.Sprintf("%s timed out after %v: make it faster or raise its limit with timeout= in the fence", what, lim)
		}
		return fmt.Sprintf("%s timed out: make it faster or raise its limit with timeout= in the fence", what)
	case playground.StatusCPULimit:
		return fmt.Sprintf("%s exceeded the CPU-time limit of %v (the CPU time of all its threads together, which may run out before its timeout): make it do less work or raise timeout= in the fence, which raises both", what, r.Limits.CPUTime())
	case playground.StatusMemoryLimit:
		if lim := r.Limits.Memory; lim > 0 {
			return fmt.Sprintf("%s hit the memory limit of %d MiB (playground.memory in config.yaml)", what, lim>>20)
		}
		return fmt.Sprintf("%s hit the memory limit (playground.memory in config.yaml)", what)
	case playground.StatusOutputLimit:
		if s.Opts.Expect == "" {
			return fmt.Sprintf("%s printed more than the output limit (playground.output in config.yaml); its output was truncated", what)
		}
	case playground.StatusKilled:
		return fmt.Sprintf("%s was killed by signal %d (%v): %s", what, r.ExitCode-128, syscall.Signal(r.ExitCode-128), lastLine(r.Stderr()))
	}
	return ""
}

// expectMistake says how a run that compiled differs from what expect=
// says of it (fail, compile-error, or by default an exit status of 0); ""
// when it does not.
func (s *Snippet) expectMistake(r *playground.Result, what string) string {
	switch s.Opts.Expect {
	case "compile-error":
		return fmt.Sprintf("%s compiled, but the fence says expect=compile-error", what)
	case "fail":
		if r.Status == playground.StatusOK {
			return fmt.Sprintf("%s exited 0, but the fence says expect=fail", what)
		}
	default:
		if r.Status == playground.StatusExit {
			return fmt.Sprintf("%s exited with status %d (add expect=fail to the fence if that is intended): %s", what, r.ExitCode, lastLine(r.Stderr()))
		}
	}
	return ""
}

// checkOutput compares a go run block's output, as the page shows it
// (stdout and stderr in the order written, escapes stripped), with its
// expect-output= file and expect-match= pattern; "" when both hold.
func (s *Snippet) checkOutput() string {
	if s.Verb != "run" || s.Result == nil || (s.wantOutput == nil && s.Opts.ExpectMatch == nil) {
		return ""
	}
	var b strings.Builder
	for _, e := range s.Result.Events {
		b.WriteString(e.Data)
	}
	got := stripANSI(b.String())
	if s.wantOutput != nil {
		if msg := diffOutput(got, string(s.wantOutput)); msg != "" {
			return fmt.Sprintf("output no longer matches expect-output=%s: %s", s.Opts.ExpectOutput, msg)
		}
	}
	if re := s.Opts.ExpectMatch; re != nil && !re.MatchString(got) {
		shown := printable(got)
		if len(shown) > 200 {
			shown = shown[:200] + "..."
		}
		return fmt.Sprintf("output no longer matches expect-match=%q: the output is %q", strings.TrimPrefix(re.String(), "(?m)"), shown)
	}
	return ""
}

// diffOutput names the first line where got and want differ; "" when they
// are equal.
func diffOutput(got, want string) string {
	if got == want {
		return ""
	}
	lines := func(s string) []string {
		l := strings.SplitAfter(s, "\n")
		if l[len(l)-1] == "" {
			l = l[:len(l)-1]
		}
		return l
	}
	gl, wl := lines(got), lines(want)
	for i := 0; ; i++ {
		switch {
		case i >= len(gl):
			return fmt.Sprintf("line %d is missing, want %q", i+1, printable(wl[i]))
		case i >= len(wl):
			return fmt.Sprintf("line %d %q is not in the file", i+1, printable(gl[i]))
		case gl[i] != wl[i]:
			return fmt.Sprintf("line %d is %q, want %q", i+1, printable(gl[i]), printable(wl[i]))
		}
	}
}

// printable makes a snippet's text safe for a terminal or CI log: ANSI
// escapes are dropped and other control characters shown as \xNN, so a
// program cannot drive the terminal that reads the build's errors.
func printable(s string) string {
	s = stripANSI(s)
	var b strings.Builder
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			fmt.Fprintf(&b, "\\x%02x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func firstLine(s string) string {
	s = strings.TrimSpace(printable(s))
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func lastLine(s string) string {
	s = strings.TrimSpace(printable(s))
	if s == "" {
		return "(no output on stderr)"
	}
	lines := strings.Split(s, "\n")
	for _, l := range lines {
		if strings.HasPrefix(l, "panic: ") {
			return l
		}
	}
	return lines[len(lines)-1]
}
