package server

// What a client asks of POST /compile, read from its body and query and
// checked against the server's caps into the playground Program to run.

import (
	"encoding/json"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/tools/txtar"

	"github.com/benchpress/benchpress/playground"
)

// Request is the body of POST /compile. Body and Version are the Go
// playground's fields; the others are benchpress's.
type Request struct {
	Body    string
	Version int  `json:",omitempty"`
	WithVet bool `json:",omitempty"` // accepted and ignored: there is no vet step

	Mode      string `json:",omitempty"` // "run" (default) or "bench"
	Count     int    `json:",omitempty"` // bench: -test.count
	Benchtime string `json:",omitempty"` // bench: -test.benchtime, "100ms" or "1000x"
	CPU       []int  `json:",omitempty"` // bench: -test.cpu
	Baseline  string `json:",omitempty"` // bench: the benchmark the report's ratios are against
	// ReportID is the prefix of the element IDs in BenchHTML (the page's
	// block anchor, so two reruns on one page do not share IDs); "rerun"
	// when empty.
	ReportID string   `json:",omitempty"`
	Args     []string `json:",omitempty"`
	Stdin    string   `json:",omitempty"`
}

// badRequest is a client mistake, answered with its status and message.
type badRequest struct {
	status int
	msg    string
}

func (e *badRequest) Error() string { return e.msg }

func badRequestf(format string, args ...any) error {
	return &badRequest{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

// decodeRequest reads a JSON, form-encoded or plain-text body; query
// parameters fill in bench settings the body leaves out.
func decodeRequest(r *http.Request, maxBody int64) (*Request, error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	data, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, &badRequest{http.StatusRequestEntityTooLarge, fmt.Sprintf("request body larger than %d bytes", maxBody)}
		}
		return nil, badRequestf("reading the request: %v", err)
	}
	req := new(Request)
	if ct == "application/x-www-form-urlencoded" && strings.HasPrefix(strings.TrimSpace(string(data)), "{") {
		ct = "application/json" // curl -d '{"Body": ...}' without a Content-Type
	}
	switch ct {
	case "application/json", "":
		if err := json.Unmarshal(data, req); err != nil {
			return nil, badRequestf("bad JSON body: %v", err)
		}
	case "application/x-www-form-urlencoded":
		form, err := url.ParseQuery(string(data))
		if err != nil {
			return nil, badRequestf("bad form body: %v", err)
		}
		req.Body = form.Get("body")
		req.Version, _ = strconv.Atoi(form.Get("version"))
		req.Args = form["arg"]
		req.Stdin = form.Get("stdin")
		if err := benchParams(req, form); err != nil {
			return nil, err
		}
	case "text/plain":
		req.Body = string(data)
	default:
		return nil, &badRequest{http.StatusUnsupportedMediaType, "Content-Type must be application/json, application/x-www-form-urlencoded or text/plain"}
	}
	if err := benchParams(req, r.URL.Query()); err != nil {
		return nil, err
	}
	return req, nil
}

// benchParams fills in what the request does not already say from form or
// query values: mode, count, benchtime and cpu.
func benchParams(req *Request, v url.Values) error {
	if req.Mode == "" {
		req.Mode = v.Get("mode")
	}
	if s := v.Get("count"); s != "" && req.Count == 0 {
		n, err := strconv.Atoi(s)
		if err != nil {
			return badRequestf("count=%q is not a number", s)
		}
		req.Count = n
	}
	if req.Benchtime == "" {
		req.Benchtime = v.Get("benchtime")
	}
	if s := v.Get("cpu"); s != "" && req.CPU == nil {
		for _, f := range strings.Split(s, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil {
				return badRequestf("cpu=%q is not a list of numbers", s)
			}
			req.CPU = append(req.CPU, n)
		}
	}
	return nil
}

const (
	maxFiles = 32
	maxArgs  = 64
)

// validBaseline reports whether s can be a benchmark's name: at most 200
// letters, digits and underscores. (As a regular expression, ^[\pL\pN_]{0,200}$
// compiled to 7.7 MB at every start of the binary, 22 ms of each build.)
func validBaseline(s string) bool {
	if utf8.RuneCountInString(s) > 200 || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r != '_' && !unicode.IsLetter(r) && !unicode.IsNumber(r) {
			return false
		}
	}
	return true
}

// reportID is what ReportID may be: it goes into the fragment's id
// attributes as it is. playground.js sends the block's anchor and
// "-rerun", and a block's name may be as long as its raw output's file
// name allows (snippet-NAME.txt in 255 bytes: NAME up to 243, the anchor
// up to 251, the ReportID up to 257), so the cap is above that.
var reportID = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9_-]{0,299})?$`)

var fileName = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.+-]*(/[A-Za-z0-9_][A-Za-z0-9_.+-]*)*$`)

// program turns a request into the Program to run, within the server's
// caps.
func (s *Server) program(req *Request) (playground.Program, error) {
	p := playground.Program{ID: "reader", Mode: playground.ModeRun, Timeout: s.cfg.Timeout, Args: req.Args}
	switch req.Mode {
	case "", "run":
	case "bench":
		if s.cfg.Bench.Disabled {
			return p, badRequestf("this server does not run benchmarks")
		}
		p.Mode = playground.ModeBench
		p.Timeout = s.cfg.Bench.Timeout
	default:
		return p, badRequestf("unknown mode %q (want run or bench)", req.Mode)
	}
	if strings.TrimSpace(req.Body) == "" {
		return p, badRequestf("empty program")
	}
	if len(req.Args) > maxArgs {
		return p, badRequestf("more than %d arguments", maxArgs)
	}
	if req.Stdin != "" {
		p.Stdin = []byte(req.Stdin)
	}
	lone := "prog.go"
	if p.Mode == playground.ModeBench {
		lone = "prog_test.go"
	}
	p.Files = requestFiles(req.Body, lone)
	if err := checkFiles(p.Files); err != nil {
		return p, err
	}
	if p.Mode == playground.ModeBench {
		if err := s.benchOptions(req, &p); err != nil {
			return p, err
		}
		addPackageFile(&p)
	}
	if err := p.Check(); err != nil {
		return p, badRequestf("%v", err)
	}
	return p, nil
}

// requestFiles are the files of a request's body: a txtar archive, whose
// text before the first file is the lone file (as on the Go playground),
// or one file named lone.
func requestFiles(body, lone string) []playground.File {
	ar := txtar.Parse([]byte(body))
	if len(ar.Files) == 0 {
		return []playground.File{{Name: lone, Data: []byte(body)}}
	}
	var files []playground.File
	if strings.TrimSpace(string(ar.Comment)) != "" {
		files = append(files, playground.File{Name: lone, Data: ar.Comment})
	}
	for _, f := range ar.Files {
		files = append(files, playground.File{Name: f.Name, Data: f.Data})
	}
	return files
}

// checkFiles refuses too many files, a name that is not a plain relative
// path, a module file, a name given twice, and a program without Go.
func checkFiles(files []playground.File) error {
	if len(files) > maxFiles {
		return badRequestf("more than %d files", maxFiles)
	}
	seen := map[string]bool{}
	hasGo := false
	for _, f := range files {
		switch base := path.Base(f.Name); {
		case !fileName.MatchString(f.Name) || strings.Contains(f.Name, ".."):
			return badRequestf("bad file name %q: use letters, digits, _ . + - and / only, no leading dot", f.Name)
		case base == "go.mod" || base == "go.sum" || base == "go.work":
			return badRequestf("%s: this server builds with the site's own modules and takes no %s", f.Name, base)
		case seen[f.Name]:
			return badRequestf("file %q appears twice", f.Name)
		}
		seen[f.Name] = true
		hasGo = hasGo || strings.HasSuffix(f.Name, ".go")
	}
	if !hasGo {
		return badRequestf("no .go file")
	}
	return nil
}

// benchOptions checks the requested bench settings against the caps.
func (s *Server) benchOptions(req *Request, p *playground.Program) error {
	caps := s.cfg.Bench
	b := playground.BenchOptions{Count: req.Count, CPU: req.CPU, Benchtime: req.Benchtime}
	switch {
	case b.Count < 0 || b.Count > caps.Count:
		return badRequestf("Count %d: this server runs each benchmark at most %d times", b.Count, caps.Count)
	case b.Count == 0:
		b.Count = caps.Count
	}
	if !validBaseline(req.Baseline) {
		return badRequestf("Baseline %q: want a benchmark's name, letters, digits and _", req.Baseline)
	}
	if !reportID.MatchString(req.ReportID) {
		return badRequestf("ReportID %q: want an HTML id of at most 300 ASCII letters, digits, - and _, starting with a letter", req.ReportID)
	}
	if len(b.CPU) > caps.CPUs {
		return badRequestf("CPU lists %d values: at most %d", len(b.CPU), caps.CPUs)
	}
	for _, c := range b.CPU {
		if c < 1 || c > 64 {
			return badRequestf("CPU value %d: want 1 to 64", c)
		}
	}
	switch bt := b.Benchtime; {
	case bt == "":
		b.Benchtime = caps.Benchtime.String()
	case strings.HasSuffix(bt, "x"):
		n, err := strconv.Atoi(strings.TrimSuffix(bt, "x"))
		if err != nil || n < 1 || n > caps.Iterations {
			return badRequestf("Benchtime %q: want a duration up to %v or 1x to %dx", bt, caps.Benchtime, caps.Iterations)
		}
	default:
		d, err := time.ParseDuration(bt)
		if err != nil || d <= 0 || d > caps.Benchtime {
			return badRequestf("Benchtime %q: want a duration up to %v or 1x to %dx", bt, caps.Benchtime, caps.Iterations)
		}
	}
	p.Bench = b
	return nil
}

// addPackageFile gives test files without a package to test one: go test
// -c needs a package, as a bench block of a site build gets one.
func addPackageFile(p *playground.Program) {
	pkg := ""
	for _, f := range p.Files {
		if strings.Contains(f.Name, "/") || !strings.HasSuffix(f.Name, ".go") {
			continue
		}
		if !strings.HasSuffix(f.Name, "_test.go") {
			return
		}
		if pkg == "" {
			if af, err := parser.ParseFile(token.NewFileSet(), f.Name, f.Data, parser.PackageClauseOnly); err == nil {
				pkg = strings.TrimSuffix(af.Name.Name, "_test")
			}
		}
	}
	if pkg == "" {
		pkg = "main"
	}
	body := "package " + pkg + "\n"
	if pkg == "main" {
		body += "\nfunc main() {}\n"
	}
	p.Files = append(p.Files, playground.File{Name: "pkg.go", Data: []byte(body)})
}
