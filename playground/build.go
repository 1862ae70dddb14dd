package playground

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
)

// toolchain is the Go command that builds programs, in a locked-down
// environment: no cgo, no network, no toolchain switching, no user go env,
// a persistent build cache shared by all builds.
type toolchain struct {
	goBin     string
	version   string // "go1.26.8"
	goroot    string
	cacheDir  string // benchpress's user cache dir
	modules   string // the site's snippet module dir (go.mod, go.sum), or ""
	modFile   []byte // its go.mod with the module line replaced
	sumFile   []byte
	timeout   time.Duration
	memory    uint64
	fileSize  uint64
	prepareMu sync.Mutex
	prepared  error
	didPrep   bool
}

// compileTimeout and compileMemory bound one `go build` of a batch;
// compileFileSize bounds every file it writes. A three-line snippet
// (`var x = [200 << 20]int64{1}`) has the linker write a 1.6 GB binary
// into TMPDIR, often a RAM-backed tmpfs, once per snippet of a batch, and
// no binary over the sandbox's memory limit can run anyway.
const (
	compileTimeout  = 5 * time.Minute
	compileMemory   = 4 << 30
	compileFileSize = 256 << 20
)

// findToolchain locates the go command and its version.
func findToolchain(cacheDir, modules string) (*toolchain, error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return nil, errors.New("no Go toolchain: live code blocks need `go` on PATH (or build with --frozen to use stored results only)")
	}
	t := &toolchain{goBin: goBin, cacheDir: cacheDir, modules: modules, timeout: compileTimeout, memory: compileMemory, fileSize: compileFileSize}
	// A warm build runs no go command at all: the version comes from the
	// toolchain's VERSION file when it has one (GOTOOLCHAIN=local means the
	// go command reports exactly that), else from `go env`.
	if real, err := filepath.EvalSymlinks(goBin); err == nil {
		root := filepath.Dir(filepath.Dir(real))
		if b, err := os.ReadFile(filepath.Join(root, "VERSION")); err == nil {
			if v, _, _ := strings.Cut(string(b), "\n"); strings.HasPrefix(v, "go1") {
				t.version, t.goroot = v, root
			}
		}
	}
	if t.version == "" {
		out, err := t.command(context.Background(), "", "env", "GOVERSION", "GOROOT").Output()
		if err != nil {
			return nil, fmt.Errorf("%s env GOVERSION GOROOT: %v", goBin, err)
		}
		t.version, t.goroot, _ = strings.Cut(strings.TrimSpace(string(out)), "\n")
	}
	if modules != "" {
		mod, err := os.ReadFile(filepath.Join(modules, "go.mod"))
		if err != nil {
			return nil, fmt.Errorf("playground.modules: %v", err)
		}
		t.modFile = replaceModuleLine(mod)
		t.sumFile, _ = os.ReadFile(filepath.Join(modules, "go.sum"))
	}
	return t, nil
}

// replaceModuleLine names the snippet module "snippet" whatever the site
// called it, so programs build the same way from any site.
func replaceModuleLine(mod []byte) []byte {
	var b bytes.Buffer
	b.WriteString("module snippet\n")
	for _, l := range strings.SplitAfter(string(mod), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "module ") {
			continue
		}
		b.WriteString(l)
	}
	return b.Bytes()
}

// env is the whole environment of the go command.
func (t *toolchain) env(tmp string, offline bool) []string {
	proxy := "off"
	if !offline {
		proxy = os.Getenv("GOPROXY")
		if proxy == "" {
			proxy = "https://proxy.golang.org,direct"
		}
	}
	// The go command keeps telemetry and config under HOME: give it ours.
	home := filepath.Join(t.cacheDir, "home")
	os.MkdirAll(home, 0o700)
	if tmp == "" {
		tmp = home
	}
	return []string{
		"PATH=" + filepath.Dir(t.goBin) + ":/usr/bin:/bin",
		"HOME=" + home,
		"TMPDIR=" + tmp,
		"GOCACHE=" + filepath.Join(t.cacheDir, "gocache"),
		"GOMODCACHE=" + filepath.Join(t.cacheDir, "gomod"),
		"GOPATH=" + filepath.Join(t.cacheDir, "gopath"),
		"GOENV=off",
		"GOWORK=off",
		"GO111MODULE=on",
		"GOTOOLCHAIN=local",
		"CGO_ENABLED=0",
		"GOPROXY=" + proxy,
		"GOSUMDB=off",
		"GOFLAGS=-mod=mod -trimpath -buildvcs=false",
		"GOTELEMETRY=off",
	}
}

func (t *toolchain) command(ctx context.Context, dir string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, t.goBin, args...)
	cmd.Dir = dir
	// The go command ignores a go.mod in the temp root: keep TMPDIR apart.
	tmp := ""
	if dir != "" {
		tmp = filepath.Join(filepath.Dir(dir), "_tmp")
		os.MkdirAll(tmp, 0o700)
	}
	cmd.Env = t.env(tmp, true)
	return cmd
}

// run runs the go command under the compiler's time and memory limits and
// returns its combined output.
func (t *toolchain) run(ctx context.Context, dir string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, t.timeout)
	defer cancel()
	cmd := t.command(ctx, dir, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	// The compiler and linker it forks inherit the limits.
	limitCompiler(cmd.Process.Pid, t.memory, t.fileSize)
	err := cmd.Wait()
	if ctx.Err() == context.DeadlineExceeded {
		return out.Bytes(), fmt.Errorf("go %s: compiler timed out after %v", args[0], t.timeout)
	}
	return out.Bytes(), err
}

// prepare downloads the site's declared modules once, before any program
// builds; builds then run with GOPROXY=off.
func (t *toolchain) prepare(ctx context.Context) error {
	t.prepareMu.Lock()
	defer t.prepareMu.Unlock()
	if t.didPrep {
		return t.prepared
	}
	t.didPrep = true
	if t.modules == "" {
		return nil
	}
	cmd := exec.CommandContext(ctx, t.goBin, "mod", "download")
	cmd.Dir = t.modules
	cmd.Env = t.env(t.modules, false)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.prepared = fmt.Errorf("downloading the modules of %s: %v\n%s", filepath.Join(t.modules, "go.mod"), err, out)
	}
	return t.prepared
}

// checkFiles rejects file names that could reach outside the program's
// directory or change how it builds.
func checkFiles(p *Program) error {
	if len(p.Files) == 0 {
		return errors.New("program has no files")
	}
	seen := map[string]bool{}
	hasGo := false
	for _, f := range p.Files {
		n := f.Name
		switch {
		case n == "" || path.Clean(n) != n || path.IsAbs(n) || strings.HasPrefix(n, "../") || n == ".." ||
			strings.ContainsAny(n, "\\:") || strings.ContainsFunc(n, unicode.IsControl) || strings.HasPrefix(path.Base(n), "."):
			// Control characters too: a newline in a name split the //line
			// directive heading the file and forged compiler output lines.
			return fmt.Errorf("bad file name %q: use a relative path without .. or leading dots", n)
		case path.Base(n) == "go.mod" || path.Base(n) == "go.sum" || path.Base(n) == "go.work":
			return fmt.Errorf("a program may not hold %s: declare third-party modules once for the site (playground.modules)", n)
		case seen[n]:
			return fmt.Errorf("file %q appears twice", n)
		}
		seen[n] = true
		if strings.HasSuffix(n, ".go") {
			hasGo = true
		}
		if err := checkIncludes(f); err != nil {
			return err
		}
	}
	if !hasGo {
		return errors.New("program has no .go file")
	}
	return nil
}

// asmInclude is the one form of `#include` an assembly file may hold: one
// of the runtime's headers.
var asmInclude = regexp.MustCompile(`^\s*#\s*include\s+"(textflag|go_asm|funcdata|go_tls)\.h"\s*(//.*)?$`)

// checkIncludes refuses assembly files (and headers) that #include anything
// but the runtime's headers. The assembler runs outside the sandbox and
// takes any path, "/home/me/.git-credentials" or "../../.netrc" alike,
// and its errors quote what it read ("unrecognized instruction ..."): a
// snippet could publish a host file's lines in its compiler output. Any
// line that names "include" otherwise is refused, comments included,
// rather than parse the assembler's preprocessor.
func checkIncludes(f File) error {
	if !strings.HasSuffix(f.Name, ".s") && !strings.HasSuffix(f.Name, ".h") {
		return nil
	}
	for i, line := range strings.Split(string(f.Data), "\n") {
		if strings.Contains(strings.ToLower(line), "include") && !asmInclude.MatchString(line) {
			return fmt.Errorf("%s:%d: an assembly file may only #include \"textflag.h\", \"go_asm.h\", \"funcdata.h\" or \"go_tls.h\"", f.Name, i+1)
		}
	}
	return nil
}

// nested reports whether the program has files in subdirectories, which
// makes it more than one package and rules out batching.
func nested(p *Program) bool {
	for _, f := range p.Files {
		if strings.Contains(f.Name, "/") {
			return true
		}
	}
	return false
}

// buildJob is one program of a batch.
type buildJob struct {
	prog  *Program
	dir   string // package directory relative to the module root: "p3" or "."
	bin   string // the built binary, "" until built
	diags []Diagnostic
	out   string // compiler output attributed to this program
	later bool   // built concurrently: bin is known only once that build is waited for
}

// writeModule writes the programs into a fresh module rooted at root.
// A `//line NAME:1:1` directive heads every Go file, so compiler errors and
// panic traces name the snippet's own file (main.go:12), never the batch's
// directory layout or a temp path.
func (t *toolchain) writeModule(root string, jobs []*buildJob) error {
	mod := t.modFile
	if mod == nil {
		mod = []byte("module snippet\n\ngo " + strings.TrimPrefix(goLangVersion(t.version), "go") + "\n")
	}
	if err := os.WriteFile(filepath.Join(root, "go.mod"), mod, 0o644); err != nil {
		return err
	}
	if t.sumFile != nil {
		if err := os.WriteFile(filepath.Join(root, "go.sum"), t.sumFile, 0o644); err != nil {
			return err
		}
	}
	for _, j := range jobs {
		for _, f := range j.prog.Files {
			name := filepath.Join(root, j.dir, filepath.FromSlash(f.Name))
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				return err
			}
			data := f.Data
			if strings.HasSuffix(f.Name, ".go") {
				data = append([]byte("//line "+f.Name+":1:1\n"), data...)
			}
			// O_EXCL: never follow or replace anything already there.
			fh, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
			if err != nil {
				return err
			}
			_, err = fh.Write(data)
			if cerr := fh.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// goLangVersion turns "go1.26.8" into "go1.26".
func goLangVersion(v string) string {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) >= 2 {
		return parts[0] + "." + parts[1]
	}
	return v
}

// build compiles jobs of one mode in one go command: `go build -o bin/` for
// run, `go test -c -o bin/` for bench. A program that fails to compile gets
// its diagnostics and the others still build: the compiler carries on past
// a broken package, and when the go command stops at loading instead (a bad
// import or embed pattern), the packages it did not blame are built again
// without the ones it did. An error means the toolchain itself failed.
func (t *toolchain) build(ctx context.Context, root string, mode Mode, jobs []*buildJob) error {
	// The binaries go beside the module, never inside it: a program's
	// files are confined to the module, and one named _bin/run/snippet
	// was taken for the binary when the build failed (its exec failing in
	// the sandbox came out as "the Linux sandbox cannot run here ... set
	// sandbox: none").
	binDir := filepath.Join(filepath.Dir(root), "_bin", filepath.Base(root), string(mode))
	if err := os.MkdirAll(binDir, 0o755); err != nil {
		return err
	}
	for len(jobs) > 0 {
		// timetzdata links the toolchain's time zone database into every
		// program (time/tzdata, about 450 KB): the sandbox has no
		// /usr/share/zoneinfo, and the database then goes with the Go
		// version, which is part of every result's key.
		//
		// -s -w leave out the symbol table and DWARF: a program is run
		// once and thrown away, never debugged, and its panics' stack
		// traces come from the runtime's own tables, which stay. Writing
		// the debug information was an eighth of `go build` of a small
		// program (issue 34: 417 ms against 366 ms median, go build + run).
		args := []string{"build", "-tags=timetzdata", "-ldflags=-s -w", "-o", binDir + "/"}
		if mode == ModeBench {
			args = []string{"test", "-c", "-tags=timetzdata", "-ldflags=-s -w", "-o", binDir + "/"}
		}
		for _, j := range jobs {
			args = append(args, "./"+j.dir)
		}
		out, err := t.run(ctx, root, args...)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		// No temp path of the batch reaches the author.
		out = bytes.ReplaceAll(out, []byte(root+string(filepath.Separator)), nil)
		out = bytes.ReplaceAll(out, []byte(root), []byte("."))
		out = bytes.ReplaceAll(out, []byte(filepath.Dir(root)+string(filepath.Separator)), nil)
		if t.goroot != "" {
			out = bytes.ReplaceAll(out, []byte(t.goroot+string(filepath.Separator)), []byte("$GOROOT/"))
		}
		attributeOutput(out, jobs)
		var again []*buildJob
		for _, j := range jobs {
			name := path.Base(j.dir)
			if j.dir == "." {
				name = "snippet"
			}
			if mode == ModeBench {
				name += ".test"
			}
			bin := filepath.Join(binDir, name)
			if st, serr := os.Lstat(bin); serr == nil {
				// As root, benchpress runs programs as nobody (see
				// startSandbox), who may not execute what the go command
				// wrote under a umask of 077 (mode 0700): the exec would
				// fail as if the sandbox could not run here.
				if st.Mode().IsRegular() && st.Mode().Perm()&0o111 != 0o111 {
					if err := os.Chmod(bin, st.Mode().Perm()|0o111); err != nil {
						return err
					}
				}
				j.bin = bin
			} else if j.out == "" {
				again = append(again, j)
			}
		}
		if err == nil || len(again) == 0 {
			return nil
		}
		if len(again) == len(jobs) {
			return fmt.Errorf("go %s failed: %v\n%s", args[0], err, out)
		}
		jobs = again
	}
	return nil
}

var (
	pkgHeader = regexp.MustCompile(`^# snippet(?:/(p\d+))?(?: |$)`)
	pkgError  = regexp.MustCompile(`^package snippet(?:/(p\d+))?\S*: (.*)$`)
	posLine   = regexp.MustCompile(`^(?:\./)?(?:(p\d+)/)?([^\s:]+\.go):(\d+)(?::(\d+))?: (.*)$`)
)

// attributeOutput splits the go command's output among the programs it
// concerns and parses compiler positions.
func attributeOutput(out []byte, jobs []*buildJob) {
	byDir := map[string]*buildJob{}
	for _, j := range jobs {
		byDir[j.dir] = j
	}
	single := len(jobs) == 1
	var cur *buildJob
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if m := pkgHeader.FindStringSubmatch(line); m != nil {
			cur = byDir[m[1]]
			if m[1] == "" {
				cur = byDir["."]
			}
			if single {
				cur = jobs[0]
			}
			continue
		}
		if strings.HasPrefix(line, "FAIL\t") || strings.HasPrefix(line, "ok \t") {
			continue
		}
		j := cur
		if m := pkgError.FindStringSubmatch(line); m != nil {
			j = byDir[m[1]]
			if m[1] == "" || single {
				j = byDir["."]
				if single {
					j = jobs[0]
				}
			}
			line = m[2]
			if j != nil {
				j.diags = append(j.diags, Diagnostic{Msg: m[2]})
			}
		}
		if m := posLine.FindStringSubmatch(line); m != nil {
			if m[1] != "" {
				j = byDir[m[1]]
			}
			if j == nil && single {
				j = jobs[0]
			}
			if j == nil {
				continue
			}
			ln, _ := strconv.Atoi(m[3])
			col, _ := strconv.Atoi(m[4])
			j.diags = append(j.diags, Diagnostic{File: m[2], Line: ln, Col: col, Msg: m[5]})
			// Drop the batch directory from what the author sees.
			if col > 0 {
				line = fmt.Sprintf("%s:%d:%d: %s", m[2], ln, col, m[5])
			} else {
				line = fmt.Sprintf("%s:%d: %s", m[2], ln, m[5])
			}
		}
		if j == nil && single {
			j = jobs[0]
		}
		if j != nil {
			j.out += line + "\n"
		}
	}
}
