// Package plot draws a program's printed data as an accessible inline SVG
// chart, at build time, with no script and no third-party code in the page.
//
// The data is what a `go run` block printed on standard output, in one of
// two forms, told apart by its first line:
//
//   - CSV: a header row of column names, then one record per line
//     (encoding/csv quoting; a record may not span lines).
//   - JSON lines: one JSON object per line; its keys are the columns, in
//     the order they first appear; values are numbers, strings, booleans
//     or null (an empty cell).
//
// Blank lines are skipped, and a line starting with '#' is a note: kept
// for the figure's caption, never data. Parse reads the data; Spec says
// what to draw from which columns; Build checks the data against the spec
// (every cell it plots must be a number, on a log axis a positive one) and
// returns a Chart, whose Figure is the HTML: the SVG, its caption and the
// data as a real table.
//
// Every error names what to fix: the output line, the row and the column.
package plot

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// Limits on the data a chart takes: beyond them a page grows large and a
// chart unreadable.
const (
	MaxRows    = 2000
	MaxColumns = 50
)

// Table is a program's output read as data.
type Table struct {
	Format  string // "CSV" or "JSON lines"
	Columns []string
	Rows    []Row
	Notes   []string // the text of lines starting with '#', in order
}

// Row is one record and the output line it came from.
type Row struct {
	Line  int
	Cells []string // one per column; "" where a JSON line had no such key
}

// Error is a fault in the data or in how a chart uses it.
type Error struct {
	Line int // line of the output, 0 when the fault is not on one line
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("output line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

func errorf(line int, format string, args ...any) *Error {
	return &Error{Line: line, Msg: fmt.Sprintf(format, args...)}
}

// Parse reads a program's standard output as CSV or JSON lines.
func Parse(out string) (*Table, error) {
	if !utf8.ValidString(out) {
		return nil, errorf(0, "the output is not valid UTF-8")
	}
	t := &Table{}
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		n := i + 1
		l = strings.TrimSuffix(l, "\r")
		trimmed := strings.TrimSpace(l)
		if strings.ContainsRune(trimmed, '\r') {
			return nil, errorf(n, "a carriage return (\\r) inside the line: print one record per line, ending in \\n")
		}
		switch {
		case trimmed == "":
			continue
		case strings.HasPrefix(trimmed, "#"):
			t.Notes = append(t.Notes, strings.TrimSpace(strings.TrimPrefix(trimmed, "#")))
			continue
		}
		if t.Format == "" {
			t.Format = "CSV"
			if strings.HasPrefix(trimmed, "{") {
				t.Format = "JSON lines"
			}
		}
		var err error
		if t.Format == "CSV" {
			err = t.csvLine(n, l)
		} else {
			err = t.jsonLine(n, trimmed)
		}
		if err != nil {
			return nil, err
		}
		if len(t.Rows) > MaxRows {
			return nil, errorf(n, "more than %d rows: a chart shows at most %d; print fewer points", MaxRows, MaxRows)
		}
	}
	switch {
	case t.Format == "":
		return nil, errorf(0, "no data in the output: print a CSV header row and records, or JSON objects, one per line")
	case len(t.Rows) == 0:
		return nil, errorf(0, "no rows of data in the output, only the %s header %s", t.Format, strings.Join(t.Columns, ", "))
	}
	if t.Format == "JSON lines" {
		// A key missing from an earlier line is an empty cell there.
		for i := range t.Rows {
			for len(t.Rows[i].Cells) < len(t.Columns) {
				t.Rows[i].Cells = append(t.Rows[i].Cells, "")
			}
		}
	}
	return t, nil
}

// csvLine reads one line of CSV: the header first, then records.
func (t *Table) csvLine(n int, line string) error {
	r := csv.NewReader(strings.NewReader(line))
	r.LazyQuotes = false
	r.FieldsPerRecord = -1
	cells, err := r.Read()
	if err != nil {
		if pe, ok := err.(*csv.ParseError); ok {
			err = pe.Err
		}
		return errorf(n, "not a CSV record: %v", err)
	}
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	if t.Columns == nil {
		return t.setColumns(n, cells)
	}
	if len(cells) != len(t.Columns) {
		return errorf(n, "%d cells, but the header (%s) has %d columns", len(cells), strings.Join(t.Columns, ", "), len(t.Columns))
	}
	t.Rows = append(t.Rows, Row{Line: n, Cells: cells})
	return nil
}

func (t *Table) setColumns(n int, names []string) error {
	if len(names) > MaxColumns {
		return errorf(n, "%d columns: a chart's data has at most %d", len(names), MaxColumns)
	}
	seen := map[string]bool{}
	for i, c := range names {
		if c == "" {
			return errorf(n, "column %d of the header has no name", i+1)
		}
		if seen[c] {
			return errorf(n, "column %q appears twice in the header", c)
		}
		seen[c] = true
	}
	t.Columns = names
	return nil
}

// jsonLine reads one JSON object. Its keys are read in order, so the
// columns are in the order the program wrote them.
func (t *Table) jsonLine(n int, line string) error {
	if !strings.HasPrefix(line, "{") {
		return errorf(n, "not a JSON object, but the output's first line was one (JSON lines: one object per line)")
	}
	dec := json.NewDecoder(strings.NewReader(line))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil { // {
		return errorf(n, "not a JSON object: %v", err)
	}
	cells := make([]string, len(t.Columns))
	set := make([]bool, len(t.Columns))
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return errorf(n, "not a JSON object: %v", err)
		}
		key := tok.(string) // a key is always a string once the object is open
		col := -1
		for i, c := range t.Columns {
			if c == key {
				col = i
			}
		}
		if col < 0 {
			if key == "" {
				return errorf(n, "a key is empty: name every value")
			}
			if len(t.Columns) == MaxColumns {
				return errorf(n, "more than %d keys: a chart's data has at most %d columns", MaxColumns, MaxColumns)
			}
			t.Columns = append(t.Columns, key)
			cells = append(cells, "")
			set = append(set, false)
			col = len(t.Columns) - 1
		}
		if set[col] {
			return errorf(n, "key %q appears twice", key)
		}
		set[col] = true
		v, err := dec.Token()
		if err != nil {
			return errorf(n, "not a JSON object: %v", err)
		}
		switch v := v.(type) {
		case json.Number:
			cells[col] = v.String()
		case string:
			cells[col] = v
		case bool:
			cells[col] = fmt.Sprint(v)
		case nil:
			cells[col] = ""
		default: // a delimiter: [ or {
			return errorf(n, "key %q holds an object or array: a cell must be a number, string, boolean or null", key)
		}
	}
	if _, err := dec.Token(); err != nil { // }
		return errorf(n, "not a JSON object: %v", err)
	}
	if !slices.Contains(set, true) {
		return errorf(n, "an empty object: print one key per column")
	}
	if _, err := dec.Token(); err != io.EOF {
		return errorf(n, "more than one JSON value on the line: print one object per line")
	}
	t.Rows = append(t.Rows, Row{Line: n, Cells: cells})
	return nil
}

// CSV is the table as a CSV file (RFC 4180, a header row and CRLF line
// ends), whatever form the program printed it in.
func (t *Table) CSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	w.Write(t.Columns)
	for _, r := range t.Rows {
		if len(r.Cells) == 1 && r.Cells[0] == "" {
			// encoding/csv writes a blank line, which readers skip.
			w.Flush()
			b.WriteString("\"\"\r\n")
			continue
		}
		w.Write(r.Cells)
	}
	w.Flush()
	return b.Bytes()
}

// column is the index of name, or an error listing the columns there are.
func (t *Table) column(name, role string) (int, error) {
	for i, c := range t.Columns {
		if c == name {
			return i, nil
		}
	}
	return -1, errorf(0, "%s=%s: the output has no column %q (its columns: %s)", role, name, name, strings.Join(t.Columns, ", "))
}
