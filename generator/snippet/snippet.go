// Package snippet is everything about a live code block that is not
// markdown or HTML layout: the one recogniser of live fences (ParseFenceInfo,
// HasLive) and the table of their options, the completion of a block into a
// playground Program (package clause, imports, func main, hidden lines,
// txtar files, uses=), the mapping of the program's lines back to the post,
// the checks of a result against what the author expected (expect=,
// expect-output=, expect-match=), and the HTML of a block's source and
// output. The root generator package runs the programs and hands each
// result to its Snippet (and draws benchmark reports and judges claims
// from it); goldmark and chroma stay out (highlighting is injected).
package snippet

//go:generate go run ./internal/genstd

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/benchpress/benchpress/generator/diag"
	"github.com/benchpress/benchpress/internal/benchstats"
	"github.com/benchpress/benchpress/internal/plot"
	"github.com/benchpress/benchpress/playground"
)

// Snippet is one live code block: a fence whose info string starts with
// "go run" or "go bench".
type Snippet struct {
	File     string // content/posts/x.md
	Line     int    // line of the opening fence
	BodyLine int    // line of the fence's first body line
	Index    int    // ordinal among the post's live blocks
	Verb     string // a Verb's name: "run" or "bench"
	Opts     Options

	Body  string // the fence body as written
	Shown []ShownFile

	Program playground.Program
	// origin maps a program file's line to a position in the site.
	origin  map[string]func(line int) (file string, fileLine int)
	offsets map[string]int // lines completion added at the top of each file

	// wantOutput is the content of expect-output=, read with the program.
	wantOutput []byte

	Result *playground.Result
	Err    error  // infrastructure error from the playground
	Bench  string // rendered benchmark report HTML (verb bench)
	RawRef string // output-relative path of the raw benchmark text

	Plot     string // rendered plot HTML (plot=)
	PlotData []byte // the plot's data as CSV, written next to the page
	DataRef  string // output-relative path of PlotData

	// States are an explorable block's runs (params=), one per
	// combination of Opts.Grid in its order; nil for any other block,
	// whose one run is Program. See explore.go.
	States []*State
	// StatesData, when set, is the explorer's states as JSON, written next
	// to the page as StatesRef: a grid too large to carry in the page.
	StatesData []byte
	StatesRef  string

	// combo names the combination a state's checks are about.
	combo string
}

// ShownFile is source rendered on the page: hidden regions removed.
type ShownFile struct {
	Name string // empty for a plain fence body
	Code string
	// lineOf maps a shown line (1-based) to the program file's line.
	lines []int
}

// Options are the key=value words of a live fence's info string.
type Options struct {
	Name      string
	File      string
	Args      []string
	Stdin     string
	Timeout   time.Duration
	Expect    string // "", "fail", "compile-error"
	Hide      string // "", "source", "output"
	Count     int
	CPU       []int
	Benchtime string
	Baseline  string
	Uses      string
	Plot      *plot.Spec // plot=: the output is data, drawn as a chart
	// Grid is params= and default=: the block runs once per combination
	// (explore.go). FreeAxes (axes=free) lets each state's plot scale to
	// its own data instead of the range of all of them.
	Grid     *Grid
	FreeAxes bool

	// Checks of the results, judged whenever the page is built (cached and
	// --frozen results too). They are not part of the Program, so they
	// never change a result's key in the store.
	Claims       []benchstats.Claim // go bench: claim="A < B; ..."
	ExpectOutput string             // go run: a file next to the post the output must equal
	ExpectMatch  *regexp.Regexp     // go run: a pattern the output must match
}

// FenceInfo is a parsed fence info string: `go run name=x`, `go linenos hl=2-4`.
type FenceInfo struct {
	Lang      string
	Verb      string // a Verb's name, or "" for a plain block
	Opts      map[string]string
	LineNos   bool
	Highlight [][2]int
}

// ParseFenceInfo splits an info string into its language, live verb and
// options. Values may be double-quoted to hold spaces; inside quotes \"
// is a quote and \\ a backslash, and any other backslash stays as written.
func ParseFenceInfo(info string) (FenceInfo, error) {
	words, err := splitWords(strings.Trim(strings.TrimSpace(info), "{}"))
	fi := FenceInfo{Opts: map[string]string{}}
	if err != nil {
		// The language and verb still say whether the fence is live: a
		// plain fence's malformed options are shown, never an error.
		if w := strings.Fields(strings.Trim(strings.TrimSpace(info), "{}")); len(w) >= 2 && strings.EqualFold(w[0], "go") && verbNamed(w[1]) != nil {
			fi.Lang, fi.Verb = "go", w[1]
		}
		return fi, err
	}
	if len(words) == 0 {
		return fi, nil
	}
	fi.Lang = strings.ToLower(strings.TrimRight(words[0], "{"))
	rest := words[1:]
	if fi.Lang == "go" && len(rest) > 0 && verbNamed(rest[0]) != nil {
		fi.Verb, rest = rest[0], rest[1:]
	}
	for _, w := range rest {
		w = strings.Trim(w, "{},")
		if w == "" {
			continue
		}
		k, v, hasValue := strings.Cut(w, "=")
		if _, dup := fi.Opts[k]; dup {
			return fi, fmt.Errorf("option %q given twice", k)
		}
		fi.Opts[k] = v
		switch k {
		case "linenos":
			fi.LineNos = !hasValue || v == "true" || v == "table" || v == "inline"
		case "hl", "hl_lines":
			r, err := parseRanges(strings.Trim(v, "[]\""))
			if err != nil {
				return fi, fmt.Errorf("%s=%s: %v (write e.g. hl=2-4,7)", k, v, err)
			}
			fi.Highlight = r
		}
	}
	return fi, nil
}

func splitWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inQuote, has := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			inQuote = !inQuote
			has = true
		case c == '\\' && inQuote && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\'):
			// As in a shell's double quotes, \ escapes only " and itself:
			// expect-match="0\.[89]" keeps its regular expression.
			i++
			cur.WriteByte(s[i])
		case (c == ' ' || c == '\t') && !inQuote:
			if has {
				words = append(words, cur.String())
				cur.Reset()
				has = false
			}
		default:
			cur.WriteByte(c)
			has = true
		}
	}
	if inQuote {
		return nil, fmt.Errorf("unclosed quote in %q", s)
	}
	if has {
		words = append(words, cur.String())
	}
	return words, nil
}

func parseRanges(s string) ([][2]int, error) {
	var out [][2]int
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		if err != nil {
			return nil, fmt.Errorf("%q is not a line number", lo)
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil {
				return nil, fmt.Errorf("%q is not a line number", hi)
			}
		}
		out = append(out, [2]int{a, b})
	}
	return out, nil
}

// Verb is a live directive, the word after "go" in a fence's info string,
// with the options it takes: the table below is the whole of what makes
// a fence live. A new verb is an entry here and its program in Build.
type Verb struct {
	Name string
	Mode playground.Mode
	Keys []string // its options, in the order an error lists them
}

var verbs = []Verb{
	{"run", playground.ModeRun, append([]string{"name", "file", "args", "stdin", "timeout", "expect", "expect-output", "expect-match", "hide", "linenos", "hl", "plot", "params", "default", "axes"}, plot.Options...)},
	{"bench", playground.ModeBench, []string{"name", "file", "count", "cpu", "benchtime", "baseline", "claim", "uses", "timeout", "hide", "linenos", "hl"}},
}

// verbNamed is the verb called name, or nil.
func verbNamed(name string) *Verb {
	for i := range verbs {
		if verbs[i].Name == name {
			return &verbs[i]
		}
	}
	return nil
}

// optionsFrom validates a live fence's options.
func optionsFrom(fi FenceInfo) (Options, error) {
	var o Options
	verb := verbNamed(fi.Verb)
	if verb == nil {
		return o, fmt.Errorf("%q is not a live verb", fi.Verb)
	}
	allowed := verb.Keys
	keys := make([]string, 0, len(fi.Opts))
	for k := range fi.Opts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := fi.Opts[k]
		if !slices.Contains(allowed, k) && k != "hl_lines" {
			return o, fmt.Errorf("unknown option %q for go %s (known: %s)", k, fi.Verb, strings.Join(allowed, ", "))
		}
		var err error
		switch k {
		case "name", "uses":
			if !nameRE.MatchString(v) {
				return o, fmt.Errorf("%s=%q: use letters, digits, - and _", k, v)
			}
			if k == "name" {
				o.Name = v
			} else {
				o.Uses = v
			}
		case "file":
			o.File = v
		case "args":
			o.Args, err = splitWords(v)
		case "stdin":
			o.Stdin = v
		case "timeout":
			o.Timeout, err = time.ParseDuration(v)
			if err == nil {
				err = playground.CheckTimeout(o.Timeout)
			}
		case "expect":
			if v != "fail" && v != "compile-error" {
				err = fmt.Errorf("use expect=fail or expect=compile-error")
			}
			o.Expect = v
		case "hide":
			if v != "source" && v != "output" {
				err = fmt.Errorf("use hide=source or hide=output")
			}
			o.Hide = v
		case "count":
			o.Count, err = strconv.Atoi(v)
			if err == nil && (o.Count < 1 || o.Count > 100) {
				err = fmt.Errorf("must be between 1 and 100")
			}
		case "cpu":
			for _, c := range strings.Split(v, ",") {
				n, e := strconv.Atoi(c)
				if e != nil || n < 1 {
					err = fmt.Errorf("write a list of GOMAXPROCS values, e.g. cpu=1,2,4")
					break
				}
				o.CPU = append(o.CPU, n)
			}
		case "benchtime":
			if !benchtimeRE.MatchString(v) {
				err = fmt.Errorf("write a duration (100ms) or an iteration count (1000x)")
			}
			o.Benchtime = v
		case "baseline":
			o.Baseline = strings.TrimPrefix(v, "Benchmark")
		case "claim":
			o.Claims, err = benchstats.ParseClaims(v)
			if err != nil {
				return o, err
			}
		case "expect-output":
			if v == "" {
				err = fmt.Errorf("name a file next to the post that holds the expected output")
			}
			o.ExpectOutput = v
		case "axes":
			if v != "fixed" && v != "free" {
				err = fmt.Errorf("use axes=free to let each state's plot scale to its own data (axes=fixed, the default, keeps one range for all)")
			}
			o.FreeAxes = v == "free"
		case "expect-match":
			if _, err = regexp.Compile(v); err == nil {
				o.ExpectMatch, err = regexp.Compile("(?m)" + v)
			}
			if err != nil {
				err = fmt.Errorf("not a regular expression: %v", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
			}
		}
		if err != nil {
			return o, fmt.Errorf("%s=%s: %v", k, v, err)
		}
	}
	return o, plotOptions(fi, &o)
}

var (
	nameRE      = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	benchtimeRE = regexp.MustCompile(`^(\d+x|\d+(\.\d+)?(ns|us|µs|ms|s|m))$`)
)

// Hidden-region markers: lines between them compile but are not shown.
const (
	hideMarker = "//bp:hide"
	showMarker = "//bp:show"
)

// shownSource removes hidden regions (markers included) from code and
// returns, for each shown line, its line in code.
func shownSource(name, code string) ShownFile {
	lines := strings.Split(strings.TrimSuffix(code, "\n"), "\n")
	var out []string
	var idx []int
	hidden := false
	for i, l := range lines {
		switch strings.TrimSpace(l) {
		case hideMarker:
			hidden = true
			continue
		case showMarker:
			hidden = false
			continue
		}
		if !hidden {
			out = append(out, l)
			idx = append(idx, i+1)
		}
	}
	// Hidden regions usually leave blank lines at the edges; trim them.
	for len(out) > 0 && strings.TrimSpace(out[0]) == "" {
		out, idx = out[1:], idx[1:]
	}
	for len(out) > 0 && strings.TrimSpace(out[len(out)-1]) == "" {
		out, idx = out[:len(out)-1], idx[:len(idx)-1]
	}
	return ShownFile{Name: name, Code: strings.Join(out, "\n") + "\n", lines: idx}
}

// shownLine maps a program file line to the shown line, 0 when hidden.
func (s ShownFile) shownLine(line int) int {
	for i, l := range s.lines {
		if l == line {
			return i + 1
		}
	}
	return 0
}

var packageClauseRE = regexp.MustCompile(`(?m)^package\s+[A-Za-z_]\w*`)
var funcMainRE = regexp.MustCompile(`(?m)^func\s+main\s*\(\s*\)`)

// completeSource turns a snippet body into a Go file: a complete program is
// kept as is; declarations get a package clause and the imports they use
// but do not declare; bare statements are also wrapped in func main. The
// author's own import declarations (single, grouped, one-line) stay where
// they are, so an import the code does not use is the compiler's error at
// its own line; completion adds only the standard packages the code uses
// and the author did not import. Everything added goes on the first line,
// or, for statements after the author's imports, after the last import
// on its line: body line N is file line N+offset with offset 0 or 1, and
// no column of the body's code moves.
func completeSource(body string, wrapMain bool) (src string, offset int) {
	// The substring tests spare most snippets a regexp scan.
	if strings.Contains(body, "package") && packageClauseRE.MatchString(body) {
		return body, 0
	}
	if wrapMain && strings.Contains(body, "main") && funcMainRE.MatchString(body) {
		wrapMain = false
	}
	explicit, importsEnd := leadingImports(body)
	probe := "package main\n" + body
	if wrapMain {
		probe = "package main\n" + body[:importsEnd] + "\nfunc main() {\n" + body[importsEnd:] + "\n}\n"
	}
	var head strings.Builder
	head.WriteString("package main")
	if imports := missingImports(probe, explicit); len(imports) > 0 {
		head.WriteString("; import (")
		head.WriteString(strings.Join(imports, "; "))
		head.WriteString(")")
	}
	if !wrapMain {
		return head.String() + "\n" + body, 1
	}
	if importsEnd == 0 {
		head.WriteString("; func main() {")
	} else {
		body = body[:importsEnd] + "; func main() {" + body[importsEnd:]
	}
	return head.String() + "\n" + strings.TrimRight(body, "\n") + "\n}\n", 1
}

// leadingImports finds the import declarations a body without a package
// clause starts with, in any of Go's forms (`import "x"`, `import n "x"`,
// `import ( ... )`, `import ("a"; "b")`), and returns their specs as
// `name "path"` or `"path"`, and the offset just past the last one's
// final token (0 when there is none).
func leadingImports(body string) (specs []string, end int) {
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile("main.go", -1, len(body))
	s.Init(file, []byte(body), nil, 0)
	next := func() (int, token.Token, string) {
		pos, tok, lit := s.Scan()
		return file.Offset(pos), tok, lit
	}
	off, tok, lit := next()
	for tok == token.IMPORT {
		off, tok, lit = next()
		spec := func() bool {
			name := ""
			if tok == token.IDENT || tok == token.PERIOD {
				name = lit
				if tok == token.PERIOD {
					name = "."
				}
				off, tok, lit = next()
			}
			if tok != token.STRING {
				return false
			}
			if name != "" {
				specs = append(specs, name+" "+lit)
			} else {
				specs = append(specs, lit)
			}
			end = off + len(lit)
			off, tok, lit = next()
			return true
		}
		if tok == token.LPAREN {
			for off, tok, lit = next(); tok != token.RPAREN; {
				if tok == token.SEMICOLON {
					off, tok, lit = next()
					continue
				}
				if !spec() {
					return specs, end // malformed: the compiler will say so
				}
			}
			end = off + 1
			off, tok, lit = next()
		} else if !spec() {
			return specs, end
		}
		for tok == token.SEMICOLON {
			off, tok, lit = next()
		}
	}
	return specs, end
}

// missingImports finds package names used as pkg.Name but never declared
// and maps them to standard library import paths. It needs no toolchain.
func missingImports(src string, explicit []string) []string {
	declared := importedNames(explicit)
	if need, ok := selectedPackages(src, declared); ok {
		return need
	}
	return parsedPackages(src, declared)
}

// importedNames is the set of package names the author's own imports
// declare: the name given, else the path's last element (the one before a
// major version suffix: math/rand/v2 is rand). A blank or dot import
// declares no name.
func importedNames(explicit []string) map[string]bool {
	declared := map[string]bool{}
	for _, imp := range explicit {
		p := imp
		if name, _, ok := strings.Cut(imp, " "); ok && !strings.HasPrefix(name, `"`) {
			if name != "_" && name != "." {
				declared[name] = true
			}
			continue
		}
		uq, _ := strconv.Unquote(strings.TrimSpace(p))
		base := path.Base(uq)
		if len(base) > 1 && base[0] == 'v' && strings.Trim(base[1:], "0123456789") == "" {
			base = path.Base(path.Dir(uq))
		}
		declared[base] = true
	}
	return declared
}

// parsedPackages is missingImports from the syntax tree. It adds the
// names src declares to declared.
func parsedPackages(src string, declared map[string]bool) []string {
	fset := token.NewFileSet()
	f, _ := parser.ParseFile(fset, "main.go", src, parser.AllErrors|parser.SkipObjectResolution)
	if f == nil {
		return nil
	}
	// Names declared anywhere in the file shadow packages; a rough but
	// safe rule for snippets: any identifier that is defined is not a
	// package.
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ValueSpec:
			for _, id := range n.Names {
				declared[id.Name] = true
			}
		case *ast.TypeSpec:
			declared[n.Name.Name] = true
		case *ast.FuncDecl:
			if n.Recv == nil {
				declared[n.Name.Name] = true
			}
			for _, fl := range []*ast.FieldList{n.Recv, n.Type.Params, n.Type.Results} {
				declareFields(fl, declared)
			}
		case *ast.FuncLit:
			declareFields(n.Type.Params, declared)
			declareFields(n.Type.Results, declared)
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE {
				for _, e := range n.Lhs {
					if id, ok := e.(*ast.Ident); ok {
						declared[id.Name] = true
					}
				}
			}
		case *ast.RangeStmt:
			if n.Tok == token.DEFINE {
				for _, e := range []ast.Expr{n.Key, n.Value} {
					if id, ok := e.(*ast.Ident); ok {
						declared[id.Name] = true
					}
				}
			}
		case *ast.LabeledStmt:
			declared[n.Label.Name] = true
		}
		return true
	})
	need := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && !declared[id.Name] {
				if p, ok := stdlibByName[id.Name]; ok {
					need[p] = true
				}
			}
		}
		return true
	})
	return quotedPaths(need)
}

// selectedPackages is missingImports without a parse, for the common
// snippet: from the tokens alone, the standard packages named as X in X.Y.
// It gives up (ok false) when the answer needs the syntax tree: a
// package's name also used any other way (it may be declared: a variable
// fmt, a parameter, a label), or a scanning error.
func selectedPackages(src string, declared map[string]bool) (imports []string, ok bool) {
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile("main.go", -1, len(src))
	errs := 0
	s.Init(file, []byte(src), func(token.Position, string) { errs++ }, 0)
	type tok struct {
		t   token.Token
		lit string
	}
	var toks []tok
	for {
		_, t, lit := s.Scan()
		if t == token.EOF {
			break
		}
		toks = append(toks, tok{t, lit})
	}
	if errs > 0 {
		return nil, false
	}
	need := map[string]bool{}
	for i, t := range toks {
		if t.t != token.IDENT {
			continue
		}
		p, isPkg := stdlibByName[t.lit]
		if !isPkg || declared[t.lit] || i > 0 && toks[i-1].t == token.PERIOD {
			continue // not a package, imported by the author, or a field or method name
		}
		if i+2 < len(toks) && toks[i+1].t == token.PERIOD && toks[i+2].t == token.IDENT {
			need[p] = true
			continue
		}
		return nil, false
	}
	return quotedPaths(need), true
}

// quotedPaths is the sorted, quoted import paths of a set.
func quotedPaths(set map[string]bool) []string {
	var out []string
	for p := range set {
		out = append(out, strconv.Quote(p))
	}
	sort.Strings(out)
	return out
}

func declareFields(fl *ast.FieldList, declared map[string]bool) {
	if fl == nil {
		return
	}
	for _, f := range fl.List {
		for _, id := range f.Names {
			declared[id.Name] = true
		}
	}
}

// Build turns a snippet into the playground program that runs it.
// named holds the post's earlier named blocks, for uses=.
func (s *Snippet) Build(site fs.FS, postDir string, named map[string]*Snippet, defaults playground.BenchOptions) error {
	s.origin = map[string]func(int) (string, int){}
	s.offsets = map[string]int{}
	type srcFile struct {
		name      string
		data      string
		file      string // site file it came from
		firstLine int    // site line of its first line
	}
	var files []srcFile
	if s.Opts.File != "" {
		rel := path.Clean(path.Join(postDir, s.Opts.File))
		if strings.HasPrefix(s.Opts.File, "/") || !strings.HasPrefix(rel, postDir+"/") {
			return fmt.Errorf("file=%s must name a file next to the post (no / or ..)", s.Opts.File)
		}
		data, err := fs.ReadFile(site, rel)
		if err != nil {
			return fmt.Errorf("file=%s: %v", s.Opts.File, diag.ReadError(rel, err))
		}
		if strings.HasSuffix(rel, ".txtar") {
			ar := txtar.Parse(data)
			line := 1 + strings.Count(string(ar.Comment), "\n")
			for _, f := range ar.Files {
				line++ // the -- name -- line
				files = append(files, srcFile{f.Name, string(f.Data), rel, line})
				line += strings.Count(string(f.Data), "\n")
			}
			if len(files) == 0 {
				return fmt.Errorf("file=%s holds no files (txtar: `-- main.go --` lines)", s.Opts.File)
			}
		} else {
			files = append(files, srcFile{path.Base(rel), string(data), rel, 1})
		}
	} else {
		files = append(files, srcFile{"", s.Body, s.File, s.BodyLine})
	}

	// A post saved with CRLF line ends gives Go source with them: the
	// compiler takes them, but the page and the line mapping want lines.
	// (Only Go files: a txtar's data files reach the program as written.)
	for i := range files {
		if files[i].name == "" || strings.HasSuffix(files[i].name, ".go") {
			files[i].data = strings.ReplaceAll(files[i].data, "\r\n", "\n")
		}
	}

	var prog playground.Program
	prog.ID = fmt.Sprintf("%s#%d", s.File, s.Index)
	if s.Opts.Name != "" {
		prog.ID = s.File + "#" + s.Opts.Name
	}
	prog.Args = s.Opts.Args
	prog.Timeout = s.Opts.Timeout
	add := func(name string, f srcFile, wrap bool) {
		src, off := f.data, 0
		if strings.HasSuffix(name, ".go") {
			src, off = completeSource(f.data, wrap)
		}
		prog.Files = append(prog.Files, playground.File{Name: name, Data: []byte(src)})
		s.offsets[name] = off
		file, first := f.file, f.firstLine
		s.origin[name] = func(line int) (string, int) {
			if line <= off {
				return s.File, s.Line
			}
			return file, first + line - off - 1
		}
	}
	if s.Verb == "run" {
		prog.Mode = verbNamed(s.Verb).Mode
		for _, f := range files {
			name := f.name
			if name == "" {
				name = "main.go"
			}
			add(name, f, len(files) == 1)
			s.Shown = append(s.Shown, shownSource(f.name, f.data))
		}
		if s.Opts.Stdin != "" {
			rel := path.Clean(path.Join(postDir, s.Opts.Stdin))
			if !strings.HasPrefix(rel, postDir+"/") {
				return fmt.Errorf("stdin=%s must name a file next to the post", s.Opts.Stdin)
			}
			data, err := fs.ReadFile(site, rel)
			if err != nil {
				return fmt.Errorf("stdin=%s: %v", s.Opts.Stdin, diag.ReadError(rel, err))
			}
			prog.Stdin = data
		}
		if s.Opts.ExpectOutput != "" {
			rel := path.Clean(path.Join(postDir, s.Opts.ExpectOutput))
			if strings.HasPrefix(s.Opts.ExpectOutput, "/") || !strings.HasPrefix(rel, postDir+"/") {
				return fmt.Errorf("expect-output=%s must name a file next to the post (no / or ..)", s.Opts.ExpectOutput)
			}
			data, err := fs.ReadFile(site, rel)
			if err != nil {
				return fmt.Errorf("expect-output=%s: %v", s.Opts.ExpectOutput, diag.ReadError(rel, err))
			}
			s.wantOutput = []byte(strings.ReplaceAll(string(data), "\r\n", "\n"))
		}
	} else {
		prog.Mode = verbNamed(s.Verb).Mode
		hasMain := false
		for _, f := range files {
			name := f.name
			if name == "" {
				name = "bench_test.go"
			}
			if name == "main.go" {
				hasMain = true
			}
			add(name, f, false)
			s.Shown = append(s.Shown, shownSource(f.name, f.data))
		}
		if s.Opts.Uses != "" {
			u := named[s.Opts.Uses]
			if u == nil || u.Verb != "run" {
				return fmt.Errorf("uses=%s: no go run block named %q earlier in this post", s.Opts.Uses, s.Opts.Uses)
			}
			for _, f := range u.Program.Files {
				name := f.Name
				if name == "main.go" {
					hasMain = true
				}
				prog.Files = append(prog.Files, f)
				s.origin[name] = u.origin[f.Name]
				s.offsets[name] = u.offsets[f.Name]
			}
		}
		if !hasMain {
			prog.Files = append(prog.Files, playground.File{Name: "main.go", Data: []byte("package main\n\nfunc main() {}\n")})
		}
		prog.Bench = defaults
		if s.Opts.Count > 0 {
			prog.Bench.Count = s.Opts.Count
		}
		if len(s.Opts.CPU) > 0 {
			prog.Bench.CPU = s.Opts.CPU
		}
		if s.Opts.Benchtime != "" {
			prog.Bench.Benchtime = s.Opts.Benchtime
		}
	}
	sort.Slice(prog.Files, func(i, j int) bool { return prog.Files[i].Name < prog.Files[j].Name })
	s.Program = prog
	s.buildStates()
	return nil
}

// Pos maps a diagnostic of the program to the site file and line.
func (s *Snippet) Pos(d playground.Diagnostic) (string, int) {
	if f, ok := s.origin[d.File]; ok && d.Line > 0 {
		return f(d.Line)
	}
	return s.File, s.Line
}

// Check compares the result with what the author expected and returns the
// author-facing errors of a failed snippet.
func (s *Snippet) Check() diag.List {
	// An explorable block's Result and Err are its default state's, which
	// may have run on another shard: every state is checked on its own.
	if s.States != nil {
		return s.checkStates()
	}
	var list diag.List
	r := s.Result
	if s.Err != nil {
		list.Add(diag.Errorf(s.File, s.Line, "%v", s.Err))
		return list
	}
	if r == nil {
		return list
	}
	what := "snippet"
	if s.Opts.Name != "" {
		what = "snippet " + s.Opts.Name
	}
	if s.combo != "" {
		what += " with " + s.combo
	}
	switch r.Status {
	case playground.StatusCompileError:
		if s.Opts.Expect == "compile-error" {
			return nil
		}
		for _, d := range r.Diagnostics {
			f, l := s.Pos(d)
			list.Add(diag.Errorf(f, l, "%s", printable(d.Msg)))
		}
		if len(list) == 0 {
			list.Add(diag.Errorf(s.File, s.Line, "%s does not compile: %s", what, firstLine(r.Stderr())))
		}
		return list
	case playground.StatusTimeout:
		// The limit the runner applied, not a guess at it: a benchmark's
		// is at least playground.BenchTimeout, or the site's when larger.
		if lim := r.Limits.Timeout; lim > 0 {
			return diag.List{diag.Errorf(s.File, s.Line, "%s timed out after %v: make it faster or raise its limit with timeout= in the fence", what, lim)}
		}
		return diag.List{diag.Errorf(s.File, s.Line, "%s timed out: make it faster or raise its limit with timeout= in the fence", what)}
	case playground.StatusCPULimit:
		return diag.List{diag.Errorf(s.File, s.Line, "%s exceeded the CPU-time limit of %v (the CPU time of all its threads together, which may run out before its timeout): make it do less work or raise timeout= in the fence, which raises both", what, r.Limits.CPUTime())}
	case playground.StatusMemoryLimit:
		if lim := r.Limits.Memory; lim > 0 {
			return diag.List{diag.Errorf(s.File, s.Line, "%s hit the memory limit of %d MiB (playground.memory in config.yaml)", what, lim>>20)}
		}
		return diag.List{diag.Errorf(s.File, s.Line, "%s hit the memory limit (playground.memory in config.yaml)", what)}
	case playground.StatusOutputLimit:
		if s.Opts.Expect == "" {
			return diag.List{diag.Errorf(s.File, s.Line, "%s printed more than the output limit (playground.output in config.yaml); its output was truncated", what)}
		}
	case playground.StatusKilled:
		return diag.List{diag.Errorf(s.File, s.Line, "%s was killed by signal %d (%v): %s", what, r.ExitCode-128, syscall.Signal(r.ExitCode-128), lastLine(r.Stderr()))}
	}
	switch s.Opts.Expect {
	case "compile-error":
		return diag.List{diag.Errorf(s.File, s.Line, "%s compiled, but the fence says expect=compile-error", what)}
	case "fail":
		if r.Status == playground.StatusOK {
			return diag.List{diag.Errorf(s.File, s.Line, "%s exited 0, but the fence says expect=fail", what)}
		}
	default:
		if r.Status == playground.StatusExit {
			return diag.List{diag.Errorf(s.File, s.Line, "%s exited with status %d (add expect=fail to the fence if that is intended): %s", what, r.ExitCode, lastLine(r.Stderr()))}
		}
	}
	if msg := s.checkOutput(); msg != "" {
		if s.combo != "" {
			msg = what + ": " + msg
		}
		return diag.List{diag.Errorf(s.File, s.Line, "%s", msg)}
	}
	return nil
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
