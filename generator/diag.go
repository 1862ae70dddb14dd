package generator

import (
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/benchpress/benchpress/internal/sysfile"
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

// readError positions an error of reading a site file at that file. A
// symbolic link that leads out of the site is refused by the site's file
// system (sysfile.DirFS); its message names the link and the rule.
func readError(file string, err error) *Error {
	var pe *fs.PathError
	if errors.As(err, &pe) && errors.Is(pe.Err, sysfile.ErrOutside) {
		return errorf(pe.Path, 0, "%v", pe.Err)
	}
	return errorf(file, 0, "%v", err)
}

func errorf(file string, line int, format string, args ...any) *Error {
	return &Error{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// ErrorList collects every problem of a build so an author sees them all at
// once, sorted by file and line (like go/scanner.ErrorList).
type ErrorList []*Error

// Add appends err, flattening nested lists; plain errors become position-less entries.
func (l *ErrorList) Add(err error) {
	switch e := err.(type) {
	case nil:
	case *Error:
		*l = append(*l, e)
	case ErrorList:
		*l = append(*l, e...)
	default:
		*l = append(*l, &Error{Msg: err.Error()})
	}
}

func (l ErrorList) Sort() {
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
func (l ErrorList) Error() string {
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

// Err returns the list as an error, or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	l.Sort()
	return l
}
