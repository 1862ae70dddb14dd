package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/benchpress/benchpress/generator/snippet"
	"github.com/benchpress/benchpress/internal/benchstats"
	"github.com/benchpress/benchpress/internal/phasetrace"
	"github.com/benchpress/benchpress/playground"
)

func runRun(args []string) error {
	started := time.Now()
	fs := newFlagSet("run", "[flags] FILE.go|FILE.txtar [args...]",
		"Compile a Go program and run it in the sandbox, as a build runs a live code block. Its stdout\n"+
			"and stderr go to ours. Exit status: 0 when the program exits 0; 1 when it fails (a non-zero\n"+
			"exit, a compile error, a limit or a kill), with the reason on stderr, e.g.\n"+
			"\"benchpress: prog.go: exit status 3\"; 2 for a usage error. --pass-exit exits with the\n"+
			"program's own status instead. A .txtar file holds several files (-- main.go --, ...).")
	bench := fs.Bool("bench", false, "build the tests with go test -c and run the benchmarks")
	timeout := fs.Duration("timeout", playground.DefaultLimits.Timeout, "wall-clock limit")
	count := fs.Int("count", 6, "with --bench: times to run each benchmark")
	benchtime := fs.String("benchtime", "", "with --bench: -test.benchtime")
	cpu := fs.String("cpu", "", "with --bench: -test.cpu list, e.g. 1,2,4")
	stdin := fs.Bool("stdin", false, "pass our standard input to the program")
	sandbox := fs.String("sandbox", "linux", "linux, or none to run unsandboxed")
	trace := fs.Bool("trace", false, "print where the time went (go build, sandbox start, run) on stderr")
	passExit := fs.Bool("pass-exit", false, "exit with the program's own exit status when it exits non-zero (then 1 and 2 may be the program's, not benchpress's)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() < 1 {
		return usagef("run needs a program: benchpress run [flags] FILE.go|FILE.txtar [args...]; see benchpress run -h")
	}
	if *sandbox != "linux" && *sandbox != "none" {
		// run reads no config.yaml, so it has no runner's URL for remote.
		return usagef("--sandbox %q: run takes linux or none (a remote runner runs a site's snippets: build with playground.sandbox: remote)", *sandbox)
	}
	if err := playground.CheckTimeout(*timeout); err != nil {
		return usagef("--timeout %v %v", *timeout, err)
	}
	benchOpts, err := benchFlags(fs, *bench, *count, *cpu, *benchtime)
	if err != nil {
		return err
	}
	file := fs.Arg(0)
	prog, err := loadProgram(file, *bench)
	if err != nil {
		return err
	}
	prog.Args = fs.Args()[1:]
	prog.Timeout = *timeout
	prog.Bench = benchOpts
	if *stdin {
		b, err := io.ReadAll(os.Stdin)
		if err != nil {
			return err
		}
		prog.Stdin = b
	}
	r, err := playground.New(playground.Config{Sandbox: *sandbox, Limits: playground.Limits{Timeout: *timeout}, Log: os.Stderr})
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var tr *phasetrace.Trace
	if *trace {
		tr = phasetrace.New(started)
		tr.Add("flags and toolchain", started, time.Now())
		ctx = phasetrace.With(ctx, tr)
	}
	res, err := r.Run(ctx, prog)
	if tr != nil {
		fmt.Fprintf(os.Stderr, "benchpress: trace: %v; total %v\n", tr, time.Since(started).Round(100*time.Microsecond))
	}
	if err != nil {
		return err
	}
	for _, e := range res.Events {
		if e.Stream == playground.Stdout {
			os.Stdout.WriteString(e.Data)
		} else {
			os.Stderr.WriteString(e.Data)
		}
	}
	if *bench && res.Status == playground.StatusOK {
		// A build fails such a block: run, which runs it as a build
		// would, must not print PASS and exit 0 having measured nothing.
		if _, err := benchstats.Analyse(res.Stdout(), ""); err != nil {
			fmt.Fprintf(os.Stderr, "benchpress: %s: %v\n", file, err)
			return exitCode(1)
		}
	}
	return runStatus(os.Stderr, file, &res, *passExit)
}

// benchFlags checks run's benchmark flags as a go bench fence's options
// of the same names are checked, and refuses them without --bench, where
// they would be ignored: a mistyped value or a forgotten --bench is a
// usage error, not a run that silently measures something else.
func benchFlags(fs *flag.FlagSet, bench bool, count int, cpu, benchtime string) (playground.BenchOptions, error) {
	set := map[string]string{}
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "count", "cpu", "benchtime":
			set[f.Name] = f.Value.String()
		}
	})
	if !bench {
		for _, name := range []string{"count", "cpu", "benchtime"} {
			if _, ok := set[name]; ok {
				return playground.BenchOptions{}, usagef("--%s is a flag of --bench: add --bench to run the benchmarks, or leave it out", name)
			}
		}
		return playground.BenchOptions{}, nil
	}
	set["count"] = strconv.Itoa(count)
	o, err := snippet.BenchOptions(set)
	if err != nil {
		return o, usagef("--%v", err)
	}
	return o, nil
}

// runStatus reports how the program ended, on stderr, and returns run's
// exit status for it: nil for success, else 1, or with passExit the
// program's own non-zero exit status.
func runStatus(stderr io.Writer, file string, res *playground.Result, passExit bool) error {
	switch res.Status {
	case playground.StatusOK:
		return nil
	case playground.StatusExit:
		fmt.Fprintf(stderr, "benchpress: %s: exit status %d\n", file, res.ExitCode)
		if passExit {
			return exitCode(res.ExitCode)
		}
	case playground.StatusCompileError:
		fmt.Fprintf(stderr, "benchpress: %s: does not compile\n", file)
	case playground.StatusTimeout:
		fmt.Fprintf(stderr, "benchpress: %s: timeout after %v\n", file, res.Limits.Timeout)
	case playground.StatusCPULimit:
		fmt.Fprintf(stderr, "benchpress: %s: exceeded the CPU-time limit of %v\n", file, res.Limits.CPUTime())
	case playground.StatusMemoryLimit:
		fmt.Fprintf(stderr, "benchpress: %s: memory limit (%d MiB) exceeded\n", file, res.Limits.Memory>>20)
	case playground.StatusOutputLimit:
		fmt.Fprintf(stderr, "benchpress: %s: output limit (%d KiB) exceeded; output truncated\n", file, res.Limits.Output>>10)
	case playground.StatusKilled:
		fmt.Fprintf(stderr, "benchpress: %s: killed by signal %d (%v)\n", file, res.ExitCode-128, syscall.Signal(res.ExitCode-128))
	default:
		fmt.Fprintf(stderr, "benchpress: %s: %s\n", file, res.Status)
	}
	return exitCode(1)
}

// loadProgram reads a .go file or a txtar archive into a Program.
func loadProgram(file string, bench bool) (playground.Program, error) {
	p := playground.Program{ID: file, Mode: playground.ModeRun}
	if !strings.HasSuffix(file, ".go") && !strings.HasSuffix(file, ".txtar") {
		return p, usagef("%s: run takes a Go file (NAME.go) or a txtar archive of several (NAME.txtar)", file)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return p, err
	}
	if strings.HasSuffix(file, ".txtar") {
		for _, f := range txtar.Parse(data).Files {
			p.Files = append(p.Files, playground.File{Name: f.Name, Data: f.Data})
		}
		if len(p.Files) == 0 {
			return p, fmt.Errorf("%s holds no files (txtar: a line `-- main.go --` starts each file)", file)
		}
	} else {
		name := filepath.Base(file)
		if bench && !strings.HasSuffix(name, "_test.go") {
			name = strings.TrimSuffix(name, ".go") + "_test.go"
		}
		p.Files = []playground.File{{Name: name, Data: data}}
	}
	if !bench {
		return p, nil
	}
	p.Mode = playground.ModeBench
	// go test -c needs a package; a lone test file gets an empty one.
	pkg := ""
	for _, f := range p.Files {
		if strings.HasSuffix(f.Name, ".go") && !strings.HasSuffix(f.Name, "_test.go") {
			return p, nil
		}
		if m := packageClause.FindSubmatch(f.Data); m != nil && pkg == "" {
			pkg = strings.TrimSuffix(string(m[1]), "_test")
		}
	}
	if pkg == "" {
		return p, errors.New("no package clause in " + file)
	}
	body := "package " + pkg + "\n"
	if pkg == "main" && !declaresMain(p.Files) {
		// A main package must declare main, even for go test -c.
		body += "\nfunc main() {}\n"
	}
	p.Files = append(p.Files, playground.File{Name: "pkg.go", Data: []byte(body)})
	return p, nil
}

var packageClause = regexp.MustCompile(`(?m)^package\s+(\w+)`)

// declaresMain reports whether one of files declares func main: a program
// run with --bench keeps its own.
func declaresMain(files []playground.File) bool {
	for _, f := range files {
		if mainFunc.Match(f.Data) {
			return true
		}
	}
	return false
}

var mainFunc = regexp.MustCompile(`(?m)^func\s+main\s*\(\s*\)`)
