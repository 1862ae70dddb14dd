package plot

import (
	"bytes"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// words splits fence options as the generator does: spaces separate,
// double quotes group.
func words(s string) map[string]string {
	opts := map[string]string{}
	var cur strings.Builder
	quoted := false
	flush := func() {
		if cur.Len() > 0 {
			k, v, _ := strings.Cut(cur.String(), "=")
			opts[k] = v
			cur.Reset()
		}
	}
	for _, r := range s {
		switch {
		case r == '"':
			quoted = !quoted
		case (r == ' ' || r == '\n') && !quoted:
			flush()
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return opts
}

// TestGolden draws every case of testdata/golden/*.txtar (a spec and a
// program's output) and compares the figure's HTML with NAME.html. The
// SVG must also be well-formed XML. -update rewrites the golden files.
func TestGolden(t *testing.T) {
	cases, _ := filepath.Glob("testdata/golden/*.txtar")
	if len(cases) == 0 {
		t.Fatal("no golden cases")
	}
	for _, file := range cases {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			parts := map[string]string{}
			for _, f := range ar.Files {
				parts[f.Name] = string(f.Data)
			}
			spec, err := SpecFrom(words(parts["spec"]))
			if err != nil {
				t.Fatal(err)
			}
			tab, err := Parse(parts["output"])
			if err != nil {
				t.Fatal(err)
			}
			c, err := Build(tab, spec)
			if err != nil {
				t.Fatal(err)
			}
			got := c.Figure("snippet-"+name, "snippet-"+name+".csv")
			svg := c.SVG("x", "x-title")
			if err := xml.Unmarshal([]byte(svg), new(struct{})); err != nil {
				t.Errorf("the SVG is not well-formed XML: %v", err)
			}
			golden := filepath.Join("testdata", "golden", name+".html")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from %s (run go test -update and review the diff):\n%s", name, golden, firstDiff(got, string(want)))
			}
		})
	}
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + a + "\nwant: " + b
		}
	}
	return ""
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, out string
		want      *Table
	}{
		{"csv", "a,b\n1,2\n3,4\n", &Table{Format: "CSV", Columns: []string{"a", "b"},
			Rows: []Row{{2, []string{"1", "2"}}, {3, []string{"3", "4"}}}}},
		{"csv with notes, blank lines, spaces and CRLF", "# demand: 80%\r\n\r\n size , hit rate\r\n10, 18.5\r\n# done\r\n", &Table{Format: "CSV",
			Columns: []string{"size", "hit rate"}, Rows: []Row{{4, []string{"10", "18.5"}}}, Notes: []string{"demand: 80%", "done"}}},
		{"csv quoting", "name,v\n\"a, b\",1\n\"say \"\"hi\"\"\",2\n", &Table{Format: "CSV", Columns: []string{"name", "v"},
			Rows: []Row{{2, []string{"a, b", "1"}}, {3, []string{`say "hi"`, "2"}}}}},
		{"json lines", `{"x":1,"y":2.5}` + "\n" + `{"y":3,"x":2,"z":"s"}` + "\n", &Table{Format: "JSON lines", Columns: []string{"x", "y", "z"},
			Rows: []Row{{1, []string{"1", "2.5", ""}}, {2, []string{"2", "3", "s"}}}}},
		{"json types", `{"b":true,"n":null,"s":"x y","e":1e3}`, &Table{Format: "JSON lines", Columns: []string{"b", "n", "s", "e"},
			Rows: []Row{{1, []string{"true", "", "x y", "1e3"}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.out)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse = %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, out, want string }{
		{"empty", "", "no data in the output: print a CSV header row and records, or JSON objects, one per line"},
		{"notes only", "# nothing\n\n", "no data in the output: print a CSV header row and records, or JSON objects, one per line"},
		{"header only", "size,hits\n", "no rows of data in the output, only the CSV header size, hits"},
		{"short row", "a,b,c\n1,2,3\n4,5\n", "output line 3: 2 cells, but the header (a, b, c) has 3 columns"},
		{"long row", "a,b\n1,2,3\n", "output line 2: 3 cells, but the header (a, b) has 2 columns"},
		{"bad quote", "a,b\n\"1,2\n", "output line 2: not a CSV record: extraneous or missing \" in quoted-field"},
		{"duplicate column", "a,b,a\n1,2,3\n", `output line 1: column "a" appears twice in the header`},
		{"unnamed column", "a,,c\n1,2,3\n", "output line 1: column 2 of the header has no name"},
		{"json then csv", "{\"a\":1}\n1,2\n", "output line 2: not a JSON object, but the output's first line was one (JSON lines: one object per line)"},
		{"json nested", "{\"a\":{\"b\":1}}\n", `output line 1: key "a" holds an object or array: a cell must be a number, string, boolean or null`},
		{"json array", "{\"a\":[1]}\n", `output line 1: key "a" holds an object or array: a cell must be a number, string, boolean or null`},
		{"json duplicate key", "{\"a\":1,\"a\":2}\n", `output line 1: key "a" appears twice`},
		{"json broken", "{\"a\":1\n", "output line 1: not a JSON object: EOF"},
		{"json two objects", "{\"a\":1}{\"a\":2}\n", "output line 1: more than one JSON value on the line: print one object per line"},
		{"carriage return", "a\r1\n2\n", `output line 1: a carriage return (\r) inside the line: print one record per line, ending in \n`},
		{"json empty object", "{}\n", "output line 1: an empty object: print one key per column"},
		{"json empty key", "{\"\":1}\n", "output line 1: a key is empty: name every value"},
		{"not utf-8", "a\n\xff\n", "the output is not valid UTF-8"},
		{"too many rows", "a\n" + strings.Repeat("1\n", MaxRows+1), "output line 2002: more than 2000 rows: a chart shows at most 2000; print fewer points"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.out)
			if err == nil || err.Error() != tt.want {
				t.Errorf("Parse error = %v\nwant %s", err, tt.want)
			}
		})
	}
}

func TestBuildErrors(t *testing.T) {
	const csv = "size,hits,name\n10,5,a\n20,n/a,b\n"
	tests := []struct{ name, out, spec, want string }{
		{"missing x column", csv, "plot=line x=sz y=hits", `x=sz: the output has no column "sz" (its columns: size, hits, name)`},
		{"missing y column", csv, "plot=line x=size y=hits,miss", `y=miss: the output has no column "miss" (its columns: size, hits, name)`},
		{"missing series column", csv, "plot=line x=size y=hits series=kind", `series=kind: the output has no column "kind" (its columns: size, hits, name)`},
		{"non-numeric y", csv, "plot=line x=size y=hits", `row 2 (output line 3), column "hits": "n/a" is not a number (print digits only: units belong in yunit=)`},
		{"text x on a line chart", csv, "plot=line x=name y=size", `row 1 (output line 2), column "name": "a" is not a number (print digits only: units belong in xunit=)`},
		{"unit in the cell", "n,t\n1,12ms\n", "plot=scatter x=n y=t", `row 1 (output line 2), column "t": "12ms" is not a number (print digits only: units belong in yunit=)`},
		{"zero on a log axis", "n,t\n1,0\n", "plot=line x=n y=t log=y", `row 1 (output line 2), column "t": 0 is not positive, and the y axis is logarithmic (log=y)`},
		{"negative on a log x axis", "n,t\n-1,2\n", "plot=line x=n y=t log=xy", `row 1 (output line 2), column "n": -1 is not positive, and the x axis is logarithmic (log=x)`},
		{"empty cell", "{\"n\":1,\"t\":2}\n{\"n\":2}\n", "plot=line x=n y=t", `row 2 (output line 2), column "t": empty: every plotted cell needs a number`},
		{"NaN", "n,t\n1,NaN\n", "plot=line x=n y=t", `row 1 (output line 2), column "t": "NaN" is not a number (print digits only: units belong in yunit=)`},
		{"duplicate bar", "k,v\na,1\na,2\n", "plot=bar x=k y=v", `row 2 (output line 3), column "k": a second bar "a" in series "v" (the first is in row 1): give each x value one row per series`},
		{"empty bar name", "k,v\n,1\n", "plot=bar x=k y=v", `row 1 (output line 2), column "k": empty: every bar needs a name`},
		{"empty series name", "x,y,s\n1,2,\n", "plot=line x=x y=y series=s", `row 1 (output line 2), column "s": empty: name the series of every row`},
		{"too many series", "x,y,s\n1,1,a\n1,1,b\n1,1,c\n1,1,d\n1,1,e\n1,1,f\n1,1,g\n1,1,h\n1,1,i\n", "plot=line x=x y=y series=s", "series=s: more than 8 different values: a chart shows at most 8 series"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := Parse(tt.out)
			if err != nil {
				t.Fatal(err)
			}
			spec, err := SpecFrom(words(tt.spec))
			if err != nil {
				t.Fatal(err)
			}
			_, err = Build(tab, spec)
			if err == nil || err.Error() != tt.want {
				t.Errorf("Build error = %v\nwant %s", err, tt.want)
			}
		})
	}
}

func TestSpecErrors(t *testing.T) {
	tests := []struct{ spec, want string }{
		{"plot=pie x=a y=b", "plot=pie: draw a line, scatter or bar chart"},
		{"plot=line y=b", "plot=line needs x=COLUMN: the column for the x axis"},
		{"plot=line x=a", "plot=line needs y=COLUMN (or y=A,B for several series)"},
		{"plot=line x=a y=b,", "y=b,: a column name is empty"},
		{"plot=line x=a y=b,c series=d", "series=d takes one y column, not 2: the series column splits that one into several"},
		{"plot=bar x=a y=b log=x", "a bar chart's x values are categories: log=x does not apply (log=y makes the bars logarithmic)"},
		{"plot=line x=a y=b log=z", "log=z: write log=x, log=y or log=xy"},
		{"plot=line x=a y=b log", "log=: write log=x, log=y or log=xy"},
		{"plot=line x=a y=1,2,3,4,5,6,7,8,9", "y= names 9 columns: a chart shows at most 8 series"},
	}
	for _, tt := range tests {
		_, err := SpecFrom(words(tt.spec))
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: error %v, want %s", tt.spec, err, tt.want)
		}
	}
}

func TestScale(t *testing.T) {
	tests := []struct {
		lo, hi    float64
		log, zero bool
		want      []float64
	}{
		{3, 97, false, true, []float64{0, 20, 40, 60, 80, 100}},
		{10, 5000, false, false, []float64{0, 1000, 2000, 3000, 4000, 5000}},
		{-2.5, 3, false, false, []float64{-4, -2, 0, 2, 4}},
		{0.1, 0.3, false, true, []float64{0, 0.1, 0.2, 0.3}},
		{5, 5, false, true, []float64{0, 1, 2, 3, 4, 5}},
		{2, 128, true, false, []float64{2, 5, 10, 20, 50, 100, 200}},
		{9.1, 4410, true, true, []float64{5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000}},
		{0.5, 20000, true, false, []float64{0.3, 1, 3, 10, 30, 100, 300, 1000, 3000, 10000, 30000}},
		{2, 5e6, true, false, []float64{1, 10, 100, 1000, 10000, 100000, 1e6, 1e7}},
		{3, 3, true, false, []float64{2, 5}},
	}
	for _, tt := range tests {
		got := newScale(tt.lo, tt.hi, tt.log, tt.zero).ticks
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("newScale(%v, %v, log %v) ticks = %v, want %v", tt.lo, tt.hi, tt.log, got, tt.want)
		}
	}
}

func TestTickText(t *testing.T) {
	for v, want := range map[float64]string{0: "0 ms", 0.5: "0.5 ms", 2000: "2000 ms", 1e8: "1e+08 ms"} {
		if got := tickText(v, "ms"); got != want {
			t.Errorf("tickText(%v) = %q, want %q", v, got, want)
		}
	}
	for _, tt := range []struct {
		ticks []float64
		unit  string
		log   bool
		want  string
	}{
		{[]float64{0, 10000, 20000, 30000}, "ms", false, "0 s|10 s|20 s|30 s"},
		{[]float64{0, 500, 1000, 1500}, "ms", false, "0 s|0.5 s|1 s|1.5 s"},
		{[]float64{0, 200, 400}, "ms", false, "0 ms|200 ms|400 ms"},
		{[]float64{0, 5e6, 1e7}, "ns", false, "0 ms|5 ms|10 ms"},
		{[]float64{2000, 4000}, "us", false, "2 ms|4 ms"},
		{[]float64{1, 10, 100, 1000, 10000}, "ms", true, "1 ms|10 ms|100 ms|1 s|10 s"},
		{[]float64{0, 5000}, "s", false, "0 s|5000 s"},
		{[]float64{0, 5000}, "B", false, "0 B|5000 B"},
	} {
		if got := strings.Join(tickTexts(tt.ticks, tt.unit, tt.log), "|"); got != tt.want {
			t.Errorf("tickTexts(%v, %q, log %v) = %q, want %q", tt.ticks, tt.unit, tt.log, got, tt.want)
		}
	}
	if got := tickText(80, "%"); got != "80%" {
		t.Errorf("tickText(80, %%) = %q, want 80%%", got)
	}
}

// TestCSV: the download is RFC 4180 CSV of every column, whatever form the
// program printed.
func TestCSV(t *testing.T) {
	tab, err := Parse(`{"name":"a, b","v":1}` + "\n" + `{"v":2,"name":"say \"hi\""}` + "\n")
	if err != nil {
		t.Fatal(err)
	}
	want := "name,v\r\n\"a, b\",1\r\n\"say \"\"hi\"\"\",2\r\n"
	if got := string(tab.CSV()); got != want {
		t.Errorf("CSV = %q, want %q", got, want)
	}
}

// FuzzParse: any output either parses into a rectangular table or is an
// error; a parsed CSV table written as CSV reads back the same; Build and
// Figure never panic on what Parse accepts.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"a,b\n1,2\n", "# n\nx,y\n1,2\n3,4\n", `{"x":1,"y":"a"}` + "\n", "a\n\"q\"\"\"\n", "{\"a\":[1]}", "x,y\n1,\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, out string) {
		tab, err := Parse(out)
		if err != nil {
			return
		}
		if len(tab.Rows) == 0 || len(tab.Columns) == 0 {
			t.Fatalf("Parse accepted %q with no rows or no columns", out)
		}
		for _, r := range tab.Rows {
			if len(r.Cells) != len(tab.Columns) {
				t.Fatalf("row at line %d has %d cells for %d columns", r.Line, len(r.Cells), len(tab.Columns))
			}
		}
		for _, kind := range []string{Line, Bar} {
			spec := Spec{Kind: kind, X: tab.Columns[0], Y: []string{tab.Columns[len(tab.Columns)-1]}}
			if c, err := Build(tab, spec); err == nil {
				var x any
				if err := xml.Unmarshal([]byte(c.SVG("i", "t")), &x); err != nil {
					t.Fatalf("SVG of %q is not XML: %v", out, err)
				}
				_ = c.Figure("i", "d.csv")
			}
		}
		if tab.Format != "CSV" {
			return
		}
		back, err := Parse(string(tab.CSV()))
		if err != nil {
			if bytes.ContainsAny(tab.CSV(), "#") {
				return // a cell starting with # reads back as a note
			}
			t.Fatalf("CSV of %q does not parse: %v\n%q", out, err, tab.CSV())
		}
		if !reflect.DeepEqual(back.Columns, tab.Columns) || len(back.Rows) != len(tab.Rows) {
			if bytes.ContainsAny(tab.CSV(), "#") {
				return
			}
			t.Fatalf("CSV of %q reads back as %v, %d rows; want %v, %d rows", out, back.Columns, len(back.Rows), tab.Columns, len(tab.Rows))
		}
		for i := range back.Rows {
			if !reflect.DeepEqual(back.Rows[i].Cells, tab.Rows[i].Cells) {
				t.Fatalf("row %d reads back as %q, want %q", i+1, back.Rows[i].Cells, tab.Rows[i].Cells)
			}
		}
	})
}

// TestFixedDomain: charts given their common Extent draw the same axes
// whatever their own data; without it each scales to its own.
func TestFixedDomain(t *testing.T) {
	for _, kind := range []string{Line, Bar} {
		var charts []*Chart
		for _, out := range []string{"x,y\n1,1\n2,2\n", "x,y\n1,100\n3,400\n"} {
			tab, err := Parse(out)
			if err != nil {
				t.Fatal(err)
			}
			c, err := Build(tab, Spec{Kind: kind, X: "x", Y: []string{"y"}})
			if err != nil {
				t.Fatal(err)
			}
			charts = append(charts, c)
		}
		d := Extent(charts)
		if d.YLo != 1 || d.YHi != 400 || kind == Line && (d.XLo != 1 || d.XHi != 3) {
			t.Errorf("%s: extent %+v, want x 1 to 3 (a line), y 1 to 400", kind, d)
		}
		ticks := func(c *Chart) string {
			svg := c.SVG("p", "t")
			i := strings.Index(svg, `data-unit=""`)
			return svg[i : i+strings.Index(svg[i:], "</g>")]
		}
		if ticks(charts[0]) == ticks(charts[1]) {
			t.Errorf("%s: charts of different data have the same value ticks without a fixed domain", kind)
		}
		for _, c := range charts {
			c.Fixed = &d
		}
		if a, b := ticks(charts[0]), ticks(charts[1]); a != b || !strings.Contains(a, ">400<") {
			t.Errorf("%s: with one fixed domain the value ticks differ or miss 400:\n%s\n%s", kind, a, b)
		}
	}
}
