// Package diag holds the author-facing diagnostics of a build: an Error is
// one problem positioned in a file of the site ("FILE:LINE: what is wrong and
// what to do"), and a List gathers every problem of a build so an author sees
// them all at once, sorted like go/scanner.ErrorList. YAMLErrors maps
// yaml.v3's errors (config.yaml, front matter) to positioned ones.
//
// It is a leaf: the CLI and the dev server import it to print and show
// errors without depending on the rest of the generator.
package diag

import (
	"fmt"
	"sort"
	"strings"
)

// Error is one author-facing problem, positioned in a file of the site.
// Every mistake a user can fix by editing a file is reported as an Error so
// the message always reads "FILE:LINE: what is wrong and what to do".
type Error struct {
	File string // slash path relative to the site root, e.g. content/posts/x.md
	Line int    // 1-based; 0 when the problem is with the file as a whole
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	if e.File != "" {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return e.Msg
}

// Errorf positions a formatted message at file:line (line 0: the whole file).
func Errorf(file string, line int, format string, args ...any) *Error {
	return &Error{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// List collects every problem of a build so an author sees them all at
// once, sorted by file and line (like go/scanner.ErrorList).
type List []*Error

// Add appends err, flattening nested lists; plain errors become position-less entries.
func (l *List) Add(err error) {
	switch e := err.(type) {
	case nil:
	case *Error:
		*l = append(*l, e)
	case List:
		*l = append(*l, e...)
	default:
		*l = append(*l, &Error{Msg: err.Error()})
	}
}

// Sort orders the list by file, then line, then message.
func (l List) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		if l[i].File != l[j].File {
			return l[i].File < l[j].File
		}
		if l[i].Line != l[j].Line {
			return l[i].Line < l[j].Line
		}
		return l[i].Msg < l[j].Msg
	})
}

// Error prints every problem, one per line, so a build reports them all.
func (l List) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	if len(l) > 1 {
		fmt.Fprintf(&b, "\n(%d errors)", len(l))
	}
	return b.String()
}

// Err returns the list, sorted, as an error, or nil when it is empty.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	l.Sort()
	return l
}

// Warning is an author-facing problem that does not fail the build, such
// as a noisy benchmark, positioned like an Error.
type Warning struct {
	File string // slash path relative to the site root
	Line int    // 1-based; 0 for the file as a whole
	Msg  string
	// Stored marks a warning about a result taken from the results store:
	// the build that ran it warned already, so a quiet build (-q) leaves
	// it out.
	Stored bool
}

// String reads "FILE:LINE: message", as an Error does.
func (w Warning) String() string {
	return (&Error{File: w.File, Line: w.Line, Msg: w.Msg}).Error()
}
