package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/benchpress/benchpress/generator"
	"github.com/benchpress/benchpress/generator/diag"
	"github.com/benchpress/benchpress/playground"
)

// console is how build and serve talk to their user on stderr: snippet
// progress, warnings and errors, shaped for where the output goes. On a
// terminal, one progress line redrawn in place; elsewhere (a CI log), one
// line per snippet that finished running. Under GitHub Actions, warnings
// and errors are also workflow commands, so they show on the pull
// request's diff, and the per-snippet lines are a folded group.
type console struct {
	w     io.Writer
	tty   bool
	gha   bool
	quiet bool   // -q: leave out warnings about stored results
	root  string // the site root, for the paths of workflow commands

	mu      sync.Mutex
	shown   bool      // a terminal progress line is on screen
	last    time.Time // when it was drawn
	grouped bool      // a ::group:: is open
	// warned and hushed count the warnings printed and left out (-q).
	warned, hushed int
}

// newConsole returns the console for w; it is a terminal when w is a
// character device and TERM is not "dumb".
func newConsole(w io.Writer, root string, quiet bool) *console {
	c := &console{w: w, gha: underGitHubActions(), quiet: quiet, root: root}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 && os.Getenv("TERM") != "dumb" {
			c.tty = true
		}
	}
	return c
}

// progress is generator.Options.Progress.
func (c *console) progress(p generator.SnippetProgress) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tty {
		if p.Done < p.Total && time.Since(c.last) < 50*time.Millisecond {
			return
		}
		c.last = time.Now()
		fmt.Fprintf(c.w, "\r\x1b[Ksnippets %d/%d  %s", p.Done, p.Total, p.File)
		c.shown = true
		return
	}
	// A stored result or another shard's snippet is not news; the summary
	// counts them.
	ran := p.Err != nil && !playground.IsOtherShard(p.Err) || p.Result != nil && !p.Result.Cached
	if ran {
		if c.gha && !c.grouped {
			fmt.Fprint(c.w, "::group::snippets\n")
			c.grouped = true
		}
		fmt.Fprintln(c.w, progressLine(p))
	}
	if p.Done == p.Total {
		c.endGroup()
	}
}

// progressLine is one finished snippet in a log:
//
//	snippet 3/40 ok 1.204s content/posts/x.md:42 fib
//
// It starts with a word, not FILE:LINE:, so that a problem matcher looking
// for errors does not take it for one.
func progressLine(p generator.SnippetProgress) string {
	status, took := "error", ""
	if r := p.Result; r != nil && p.Err == nil {
		status = string(r.Status)
		if r.Status == playground.StatusExit {
			status = fmt.Sprintf("exit %d", r.ExitCode)
		}
		took = " " + r.Duration.Round(time.Millisecond).String()
	}
	where := p.File
	if p.Line > 0 {
		where = fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	if p.Name != "" {
		where += " " + p.Name
	}
	return fmt.Sprintf("snippet %d/%d %s%s %s", p.Done, p.Total, status, took, where)
}

// done ends the snippets' part of the output: it clears the terminal line
// and closes an open group.
func (c *console) done() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.clear()
	c.endGroup()
}

func (c *console) clear() {
	if c.shown {
		fmt.Fprint(c.w, "\r\x1b[K")
		c.shown = false
	}
}

func (c *console) endGroup() {
	if c.grouped {
		fmt.Fprint(c.w, "::endgroup::\n")
		c.grouped = false
	}
}

// warn is generator.Options.Warn: "FILE:LINE: warning: message", and a
// ::warning command under GitHub Actions.
func (c *console) warn(w diag.Warning) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.quiet && w.Stored {
		c.hushed++
		return
	}
	c.warned++
	c.clear()
	c.endGroup()
	fmt.Fprintln(c.w, diag.Warning{File: w.File, Line: w.Line, Msg: "warning: " + w.Msg}.String())
	if c.gha {
		fmt.Fprint(c.w, workflowCommand("warning", c.repoPath(w.File), w.Line, w.Msg))
	}
}

// summary is what the build's summary line adds about warnings:
// ", 3 warnings, 18 warnings about stored results left out (-q)", or "".
func (c *console) summary() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := ""
	if c.warned > 0 {
		s += ", " + plural(c.warned, "warning")
	}
	if c.hushed > 0 {
		s += ", " + plural(c.hushed, "warning") + " about stored results left out (-q)"
	}
	return s
}

// failed reports err, unless main reports it (a usage error, an exit
// status), and returns the exit status for it: 1.
func (c *console) failed(err error) error {
	var code exitCode
	var usage usageError
	switch {
	case err == nil, errors.As(err, &code), errors.As(err, &usage):
		return err
	}
	c.printError(err)
	return exitCode(1)
}

// repoPath turns a site-relative path into one relative to the working
// directory (the repository root in CI), as workflow commands need.
func (c *console) repoPath(file string) string {
	if file == "" || c.root == "" || c.root == "." {
		return file
	}
	p := filepath.Join(c.root, filepath.FromSlash(file))
	if filepath.IsAbs(p) {
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
				p = rel
			}
		}
	}
	return filepath.ToSlash(p)
}

// printError reports a failed command on w. Every problem positioned in a
// file gets one line "FILE:LINE: message", as compilers print them and
// problem matchers read them; a problem of no file is prefixed
// "benchpress: ". Under GitHub Actions each is also an ::error command.
func (c *console) printError(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.clear()
	c.endGroup()
	list := positioned(err)
	if list == nil {
		fmt.Fprintf(c.w, "benchpress: %v\n", err)
		if c.gha {
			fmt.Fprint(c.w, workflowCommand("error", "", 0, err.Error()))
		}
		return
	}
	for _, e := range list {
		if e.File == "" {
			fmt.Fprintf(c.w, "benchpress: %s\n", e.Msg)
		} else {
			fmt.Fprintln(c.w, e.Error())
		}
		if c.gha {
			fmt.Fprint(c.w, workflowCommand("error", c.repoPath(e.File), e.Line, e.Msg))
		}
	}
	if len(list) > 1 {
		fmt.Fprintf(c.w, "benchpress: %d errors\n", len(list))
	}
}

// positioned returns the diagnostics err is made of, or nil when err is
// something else (or says more than its diagnostics: a wrapped list).
func positioned(err error) diag.List {
	if list, ok := errors.AsType[diag.List](err); ok && list.Error() == err.Error() {
		return list
	}
	if e, ok := errors.AsType[*diag.Error](err); ok && e.Error() == err.Error() {
		return diag.List{e}
	}
	return nil
}
