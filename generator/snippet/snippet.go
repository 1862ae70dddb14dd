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

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"golang.org/x/tools/txtar"

	"github.com/benchpress/benchpress/generator/diag"
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
