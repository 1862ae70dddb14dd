package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"

	"golang.org/x/tools/txtar"

	"github.com/benchpress/benchpress/playground"
)

func runRun(args []string) error {
	fs := newFlagSet("run", "[flags] FILE.go|FILE.txtar [args...]",
		"Compile a Go program and run it in the sandbox, as a build runs a live code block. Its stdout\n"+
			"and stderr go to ours and its exit code becomes ours; a sandbox kill exits non-zero with the\n"+
			"reason on stderr. A .txtar file holds several files (-- main.go --, -- ring.go --, ...).")
	bench := fs.Bool("bench", false, "build the tests with go test -c and run the benchmarks")
	timeout := fs.Duration("timeout", playground.DefaultLimits.Timeout, "wall-clock limit")
	count := fs.Int("count", 6, "with --bench: times to run each benchmark")
	benchtime := fs.String("benchtime", "", "with --bench: -test.benchtime")
	cpu := fs.String("cpu", "", "with --bench: -test.cpu list, e.g. 1,2,4")
	stdin := fs.Bool("stdin", false, "pass our standard input to the program")
	sandbox := fs.String("sandbox", "linux", "linux, or none to run unsandboxed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() < 1 {
		fs.Usage()
		return exitCode(2)
	}
	file := fs.Arg(0)
	prog, err := loadProgram(file, *bench)
	if err != nil {
		return err
	}
	prog.Args = fs.Args()[1:]
	prog.Timeout = *timeout
	if *bench {
		prog.Bench = playground.BenchOptions{Count: *count, Benchtime: *benchtime}
		for _, c := range strings.Split(*cpu, ",") {
			var n int
			if _, err := fmt.Sscan(c, &n); err == nil && n > 0 {
				prog.Bench.CPU = append(prog.Bench.CPU, n)
			}
		}
	}
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
	res, err := r.Run(ctx, prog)
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
	switch res.Status {
	case playground.StatusOK:
		return nil
	case playground.StatusExit:
		return exitCode(res.ExitCode)
	case playground.StatusCompileError:
		return exitCode(1)
	case playground.StatusTimeout:
		fmt.Fprintf(os.Stderr, "benchpress: timeout after %v\n", res.Limits.Timeout)
	case playground.StatusCPULimit:
		fmt.Fprintf(os.Stderr, "benchpress: exceeded the CPU-time limit of %v\n", res.Limits.CPUTime())
	case playground.StatusMemoryLimit:
		fmt.Fprintf(os.Stderr, "benchpress: memory limit (%d MiB) exceeded\n", res.Limits.Memory>>20)
	case playground.StatusOutputLimit:
		fmt.Fprintf(os.Stderr, "benchpress: output limit (%d KiB) exceeded; output truncated\n", res.Limits.Output>>10)
	case playground.StatusKilled:
		fmt.Fprintf(os.Stderr, "benchpress: killed by signal %d (%v)\n", res.ExitCode-128, syscall.Signal(res.ExitCode-128))
	}
	return exitCode(3)
}

// loadProgram reads a .go file or a txtar archive into a Program.
func loadProgram(file string, bench bool) (playground.Program, error) {
	p := playground.Program{ID: file, Mode: playground.ModeRun}
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
	if pkg == "main" {
		body += "\nfunc main() {}\n"
	}
	p.Files = append(p.Files, playground.File{Name: "pkg.go", Data: []byte(body)})
	return p, nil
}

var packageClause = regexp.MustCompile(`(?m)^package\s+(\w+)`)
