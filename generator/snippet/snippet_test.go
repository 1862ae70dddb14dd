package snippet

import (
	"fmt"
	"go/parser"
	"go/token"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestCompleteSource(t *testing.T) {
	tests := []struct {
		name       string
		body       string
		wrap       bool
		wantOffset int
		wantImport []string
		wantMain   bool // func main added
	}{
		{"complete program", "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(1) }\n", true, 0, []string{"fmt"}, false},
		{"statements", "x := strings.ToUpper(\"a\")\nfmt.Println(x, time.Second)\n", true, 1, []string{"fmt", "strings", "time"}, true},
		{"declarations with main", "type T struct{}\n\nfunc (T) String() string { return strconv.Itoa(1) }\n\nfunc main() { fmt.Println(T{}) }\n", true, 1, []string{"fmt", "strconv"}, false},
		{"bench file", "func BenchmarkX(b *testing.B) { for b.Loop() { _ = sort.IsSorted(nil) } }\n", false, 1, []string{"sort", "testing"}, false},
		{"rand means v2", "fmt.Println(rand.IntN(3))\n", true, 1, []string{"fmt", "math/rand/v2"}, true},
		{"explicit import kept", "import crand \"crypto/rand\"\nb := make([]byte, 4)\ncrand.Read(b)\nfmt.Println(len(b))\n", true, 1, []string{"fmt", "crypto/rand"}, true},
		{"grouped imports with statements", "import (\n\t\"fmt\"\n\t\"os\" // exit\n)\nfmt.Println(strings.ToUpper(\"a\"))\nos.Exit(0)\n", true, 1, []string{"strings", "fmt", "os"}, true},
		{"one-line imports with declarations", "import (\"fmt\";\"os\")\n\nfunc main() { fmt.Fprintln(os.Stderr, strings.ToUpper(\"x\")) }\n", true, 1, []string{"strings", "fmt", "os"}, false},
		{"single import with declarations", "import \"strings\"\n\nfunc main() { fmt.Println(strings.ToUpper(\"x\")) }\n", true, 1, []string{"fmt", "strings"}, false},
		{"named import of a standard name", "import str \"strings\"\n\nfunc main() { fmt.Println(str.ToUpper(\"x\"), strings.ToLower(\"Y\")) }\n", true, 1, []string{"fmt", "strings", "strings"}, false},
		{"bench file with imports", "import \"testing\"\n\nfunc BenchmarkX(b *testing.B) { _ = sort.IsSorted(nil) }\n", false, 1, []string{"sort", "testing"}, false},
		{"local shadows package", "sort := []int{3}\nfmt.Println(sort[0])\n", true, 1, []string{"fmt"}, true},
		{"parameter shadows package", "func show(strings []string) { fmt.Println(strings[0]) }\n\nfunc main() { show(nil) }\n", true, 1, []string{"fmt"}, false},
		{"no imports needed", "x := 1\n_ = x\n", true, 1, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, off := completeSource(tt.body, tt.wrap)
			if off != tt.wantOffset {
				t.Errorf("offset = %d, want %d", off, tt.wantOffset)
			}
			f, err := parser.ParseFile(token.NewFileSet(), "main.go", src, 0)
			if err != nil {
				t.Fatalf("completed source does not parse: %v\n%s", err, src)
			}
			var got []string
			for _, imp := range f.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				got = append(got, p)
			}
			if !reflect.DeepEqual(got, tt.wantImport) {
				t.Errorf("imports = %q, want %q\n%s", got, tt.wantImport, src)
			}
			// Line N of the body must be line N+offset of the file, with
			// its code in the same columns (func main may follow the
			// author's last import on its line).
			bodyLines := strings.Split(strings.TrimSuffix(tt.body, "\n"), "\n")
			srcLines := strings.Split(src, "\n")
			added := srcLines[0]
			for i, l := range bodyLines {
				got := srcLines[i+off]
				if rest, ok := strings.CutPrefix(got, strings.TrimRight(strings.Split(l, " //")[0], " ")); ok && rest != "" && rest != strings.TrimPrefix(l, strings.Split(l, " //")[0]) {
					added += rest
				} else if got != l {
					t.Fatalf("body line %d %q is file line %d %q", i+1, l, i+1+off, got)
				}
			}
			if got := strings.Contains(added, "func main() {"); got != tt.wantMain {
				t.Errorf("func main added = %v, want %v\n%s", got, tt.wantMain, src)
			}
		})
	}
}

func TestShownSource(t *testing.T) {
	code := "//bp:hide\npackage main\n\nimport \"fmt\"\n//bp:show\n\nfunc main() {\n\tfmt.Println(1)\n}\n"
	s := shownSource("", code)
	if want := "func main() {\n\tfmt.Println(1)\n}\n"; s.Code != want {
		t.Errorf("shown = %q, want %q", s.Code, want)
	}
	if got := s.shownLine(8); got != 2 {
		t.Errorf("shownLine(8) = %d, want 2", got)
	}
	if got := s.shownLine(3); got != 0 {
		t.Errorf("hidden line 3 shown as %d", got)
	}
}

func TestParseFenceInfo(t *testing.T) {
	tests := []struct {
		info    string
		lang    string
		verb    string
		opts    map[string]string
		lineNos bool
		hl      [][2]int
		err     string
	}{
		{"go", "go", "", map[string]string{}, false, nil, ""},
		{"go run", "go", "run", map[string]string{}, false, nil, ""},
		{`go run name=a args="x y" expect=fail`, "go", "run", map[string]string{"name": "a", "args": "x y", "expect": "fail"}, false, nil, ""},
		{"go bench count=10 cpu=1,2,4", "go", "bench", map[string]string{"count": "10", "cpu": "1,2,4"}, false, nil, ""},
		{"python linenos hl=2-3,5", "python", "", map[string]string{"linenos": "", "hl": "2-3,5"}, true, [][2]int{{2, 3}, {5, 5}}, ""},
		{"go {linenos=true hl_lines=[1,2]}", "go", "", map[string]string{"linenos": "true", "hl_lines": "[1,2]"}, true, [][2]int{{1, 1}, {2, 2}}, ""},
		{`go run args="unclosed`, "", "", nil, false, nil, `unclosed quote in "go run args=\"unclosed"`},
		{"go hl=x", "", "", nil, false, nil, `hl=x: "x" is not a line number (write e.g. hl=2-4,7)`},
	}
	for _, tt := range tests {
		fi, err := ParseFenceInfo(tt.info)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("%q: err = %v, want %s", tt.info, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tt.info, err)
			continue
		}
		if fi.Lang != tt.lang || fi.Verb != tt.verb || !reflect.DeepEqual(fi.Opts, tt.opts) || fi.LineNos != tt.lineNos || !reflect.DeepEqual(fi.Highlight, tt.hl) {
			t.Errorf("%q = %+v", tt.info, fi)
		}
	}
}

func TestOptionsErrors(t *testing.T) {
	for _, tt := range []struct{ info, want string }{
		{"go run expect=maybe", "expect=maybe: use expect=fail or expect=compile-error"},
		{"go run timeout=-1s", "timeout=-1s: must be positive, e.g. 30s"},
		{"go run timeout=0s", "timeout=0s: must be positive, e.g. 30s"},
		{"go run timeout=999h", "timeout=999h: is longer than the maximum of 1h0m0s: split the work, or measure it outside the site"},
		{"go bench timeout=61m", "timeout=61m: is longer than the maximum of 1h0m0s: split the work, or measure it outside the site"},
		{"go run timeout=abc", "timeout=abc: not a duration: write e.g. timeout=30s (units ms, s, m, h)"},
		{"go run timeout=30", "timeout=30: not a duration: write e.g. timeout=30s (units ms, s, m, h)"},
		{"go run linenos=yes", "linenos=yes: write linenos (or linenos=true) for line numbers, or leave it out"},
		{"go run hl=5-2", "hl=5-2: lines are numbered from 1 and a range runs from its first line to its last (write e.g. hl=2-4,7)"},
		{"go bench hl=0", "hl=0: lines are numbered from 1 and a range runs from its first line to its last (write e.g. hl=2-4,7)"},
		{"go bench count=0", "count=0: must be between 1 and 100"},
		{"go bench count=six", "count=six: must be a whole number between 1 and 100, e.g. count=6"},
		{"go bench cpu=a", "cpu=a: write a list of GOMAXPROCS values, e.g. cpu=1,2,4"},
		{"go bench benchtime=soon", "benchtime=soon: write a duration (100ms) or an iteration count (1000x)"},
		{"go run expect=compile-error hide=output", "expect=compile-error with hide=output: the compiler's errors are the block's only output, and the page would show none; leave out hide=output"},
		{"go bench args=x", `unknown option "args" for go bench (known: name, file, count, cpu, benchtime, baseline, claim, uses, timeout, hide, linenos, hl)`},
	} {
		fi, err := ParseFenceInfo(tt.info)
		if err != nil {
			t.Fatal(err)
		}
		_, err = optionsFrom(fi)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%q: err = %v, want %s", tt.info, err, tt.want)
		}
	}
}

func TestPrintable(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"plain text\tok", "plain text\tok"},
		{"\x1b[31mred\x1b[0m", "red"},
		{"\x1b]52;c;aGk=\x07clipboard", "clipboard"},
		{"bell\x07 cr\r nul\x00", `bell\x07 cr\x0d nul\x00`},
		{"é and ✓", "é and ✓"},
	} {
		if got := printable(tt.in); got != tt.want {
			t.Errorf("printable(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestSelectedPackagesAgrees checks the parse-free path of missingImports
// against the syntax tree: wherever it answers, the answer is the tree's,
// and it leaves to the tree every source where a package's name could be
// declared.
func TestSelectedPackagesAgrees(t *testing.T) {
	sources := []struct {
		src      string
		answers  bool // the token path answers (no fallback)
		explicit []string
	}{
		{"fmt.Println(strings.ToUpper(\"a\"), time.Second)", true, nil},
		{"x := T{}; fmt.Println(x.fmt.Sprint, x.sort)", true, nil},
		{"var b bytes.Buffer; b.WriteString(\"x\"); os.Stdout.Write(b.Bytes())", true, nil},
		{"switch v := any(1).(type) { case fmt.Stringer: _ = v }", true, nil},
		{"crand.Read(nil); rand.IntN(2)", true, []string{`crand "crypto/rand"`}},
		{"fmt.Println(rand.IntN(2))", true, []string{`"math/rand/v2"`}},
		{"// fmt.Println in a comment\n_ = \"sort.Ints in a string\"", true, nil},
		{"sort := []int{3}; fmt.Println(sort[0])", false, nil},
		{"func show(strings []string) { fmt.Println(strings[0]) }", false, nil},
		{"func F[sort any]() { fmt.Println() }", false, nil},
		{"for time := range 3 { fmt.Println(time) }", false, nil},
		{"fmt: for { break fmt }", false, nil},
		{"x := struct{ sort int }{sort: 1}; fmt.Println(x.sort)", false, nil},
		{"fmt.Println(\"unterminated)", false, nil},
		{"fmt.Println(1", true, nil}, // a syntax error only the parser sees
	}
	for _, tt := range sources {
		probe := "package main\nfunc main() {\n" + tt.src + "\n}\n"
		declared := func() map[string]bool { return importedNames(tt.explicit) }
		fast, ok := selectedPackages(probe, declared())
		if ok != tt.answers {
			t.Errorf("%q: selectedPackages answers = %v, want %v", tt.src, ok, tt.answers)
			continue
		}
		if slow := parsedPackages(probe, declared()); ok && !reflect.DeepEqual(fast, slow) {
			t.Errorf("%q: tokens give %q, the syntax tree %q", tt.src, fast, slow)
		}
		if got, want := missingImports(probe, tt.explicit), parsedPackages(probe, declared()); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: missingImports = %q, the syntax tree %q", tt.src, got, want)
		}
	}
}

func ExampleParseFenceInfo() {
	fi, _ := ParseFenceInfo(`go run name=ring args="a b" timeout=5s`)
	fmt.Println(fi.Lang, fi.Verb, fi.Opts["name"], fi.Opts["args"], fi.Opts["timeout"])
	// Output: go run ring a b 5s
}

// TestVerbTable: the verb table is the one list of live verbs: each of
// its verbs makes a fence live and takes its own options; no other word
// does.
func TestVerbTable(t *testing.T) {
	for _, v := range verbs {
		fi, err := ParseFenceInfo("go " + v.Name + " name=x")
		if err != nil || fi.Verb != v.Name {
			t.Errorf("go %s: verb %q, %v", v.Name, fi.Verb, err)
		}
		if _, err := optionsFrom(fi); err != nil {
			t.Errorf("go %s name=x: %v", v.Name, err)
		}
		if !slices.Contains(v.Keys, "name") || !slices.Contains(v.Keys, "timeout") {
			t.Errorf("go %s lacks the options every verb takes", v.Name)
		}
	}
	for _, w := range []string{"runs", "Bench", "test", "build"} {
		if fi, _ := ParseFenceInfo("go " + w); fi.Verb != "" && verbNamed(fi.Verb) == nil {
			t.Errorf("go %s: verb %q is not in the table", w, fi.Verb)
		}
	}
	if _, err := optionsFrom(FenceInfo{Verb: "test"}); err == nil {
		t.Error("a verb outside the table has options")
	}
}

// TestOptionsLineNumbers: the linenos and hl= a live fence takes.
func TestOptionsLineNumbers(t *testing.T) {
	for _, info := range []string{"go run linenos", "go run linenos=true hl=2-4,7", "go run linenos=false", "go run linenos=table hl=1", "go bench linenos=inline hl_lines=[3-3]"} {
		fi, err := ParseFenceInfo(info)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := optionsFrom(fi); err != nil {
			t.Errorf("%q: %v", info, err)
		}
	}
}
