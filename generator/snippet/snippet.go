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
//
// Where each job lives: fence.go reads an info string (its verbs and
// words), options.go checks a live fence's options, collect.go makes a
// post's Snippets, snippet.go is the Snippet and the Program it builds,
// complete.go completes a body into a Go file, result.go is what a run
// made (Outcome), check.go judges it, html.go, plot.go and explore.go
// draw it, params.go reads an explorable block's grid.
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

	// Outcome is what running the program made: its result and the page's
	// parts drawn from it. Everything above is the block's source, fixed
	// once Build returns.
	Outcome

	// combo names the combination a state's checks are about.
	combo string
}

// ShownFile is source rendered on the page: hidden regions removed.
type ShownFile struct {
	Name string // empty for a plain fence body
	Code string
	// lines maps a shown line (1-based) to the program file's line.
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
	files, err := s.sourceFiles(site, postDir)
	if err != nil {
		return err
	}
	prog := playground.Program{
		ID:      fmt.Sprintf("%s#%d", s.File, s.Index),
		Mode:    verbNamed(s.Verb).Mode,
		Args:    s.Opts.Args,
		Timeout: s.Opts.Timeout,
	}
	if s.Opts.Name != "" {
		prog.ID = s.File + "#" + s.Opts.Name
	}
	if s.Verb == "run" {
		err = s.buildRun(&prog, files, site, postDir)
	} else {
		err = s.buildBench(&prog, files, named, defaults)
	}
	if err != nil {
		return err
	}
	sort.Slice(prog.Files, func(i, j int) bool { return prog.Files[i].Name < prog.Files[j].Name })
	s.Program = prog
	s.buildStates()
	return nil
}

// srcFile is one file of a block's source, as the author wrote it.
type srcFile struct {
	name      string // "" for the fence body
	data      string
	file      string // site file it came from
	firstLine int    // site line of its first line
}

// sourceFiles is the block's source: the fence body, or the file (or the
// files of the txtar archive) named by file=.
func (s *Snippet) sourceFiles(site fs.FS, postDir string) ([]srcFile, error) {
	var files []srcFile
	if s.Opts.File != "" {
		rel, data, err := readBesidePost(site, postDir, "file", s.Opts.File)
		if err != nil {
			return nil, err
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
				return nil, fmt.Errorf("file=%s holds no files (txtar: `-- main.go --` lines)", s.Opts.File)
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
	return files, nil
}

// readBesidePost reads the file an option (file=, stdin=, expect-output=)
// names next to the post, refusing a name that leaves the post's
// directory.
func readBesidePost(site fs.FS, postDir, key, name string) (rel string, data []byte, err error) {
	rel = path.Clean(path.Join(postDir, name))
	if strings.HasPrefix(name, "/") || !strings.HasPrefix(rel, postDir+"/") {
		return "", nil, fmt.Errorf("%s=%s must name a file next to the post (no / or ..)", key, name)
	}
	data, err = fs.ReadFile(site, rel)
	if err != nil {
		return "", nil, fmt.Errorf("%s=%s: %v", key, name, diag.ReadError(rel, err))
	}
	return rel, data, nil
}

// addFile adds f to prog as name, completed into a Go file when it is
// one, and records how its lines map back to the site.
func (s *Snippet) addFile(prog *playground.Program, name string, f srcFile, wrap bool) {
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

// buildRun makes a go run block's program: its files (a lone body is
// main.go, wrapped in func main if it needs one), its standard input,
// and the output expect-output= wants.
func (s *Snippet) buildRun(prog *playground.Program, files []srcFile, site fs.FS, postDir string) error {
	for _, f := range files {
		name := f.name
		if name == "" {
			name = "main.go"
		}
		s.addFile(prog, name, f, len(files) == 1)
		s.Shown = append(s.Shown, shownSource(f.name, f.data))
	}
	if s.Opts.Stdin != "" {
		_, data, err := readBesidePost(site, postDir, "stdin", s.Opts.Stdin)
		if err != nil {
			return err
		}
		prog.Stdin = data
	}
	if s.Opts.ExpectOutput != "" {
		_, data, err := readBesidePost(site, postDir, "expect-output", s.Opts.ExpectOutput)
		if err != nil {
			return err
		}
		s.wantOutput = []byte(strings.ReplaceAll(string(data), "\r\n", "\n"))
	}
	return nil
}

// buildBench makes a go bench block's program: its files (a lone body is
// bench_test.go), those of the go run block uses= names, an empty
// main.go when none of them is one, and the benchmark settings, the
// site's defaults unless the fence sets them.
func (s *Snippet) buildBench(prog *playground.Program, files []srcFile, named map[string]*Snippet, defaults playground.BenchOptions) error {
	hasMain := false
	for _, f := range files {
		name := f.name
		if name == "" {
			name = "bench_test.go"
		}
		if name == "main.go" {
			hasMain = true
		}
		s.addFile(prog, name, f, false)
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
	return nil
}

// Pos maps a diagnostic of the program to the site file and line.
func (s *Snippet) Pos(d playground.Diagnostic) (string, int) {
	if f, ok := s.origin[d.File]; ok && d.Line > 0 {
		return f(d.Line)
	}
	return s.File, s.Line
}
