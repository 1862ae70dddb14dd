// Package playground compiles and runs untrusted Go programs and reports what
// they printed. It knows nothing of markdown or HTML: callers hand it
// Programs and get Results back.
//
// A program's own failures (a compile error, a non-zero exit, a timeout, a
// memory or output limit) are part of its Result; only infrastructure faults
// (no Go toolchain, no sandbox, an unreadable cache) are Go errors.
package playground

import (
	"time"
)

// Mode says what to do with a program.
type Mode string

const (
	// ModeRun builds the program as a main package and runs it.
	ModeRun Mode = "run"
	// ModeBench builds the program's tests with `go test -c` and runs the
	// test binary with -test.bench, in Count interleaved passes of
	// -test.count=1 (see Runner.executeBench).
	ModeBench Mode = "bench"
)

// File is one source file of a program. Name is relative to the program's
// module root and uses forward slashes.
type File struct {
	Name string
	Data []byte
}

// BenchOptions tune a ModeBench run. Zero values take the defaults.
type BenchOptions struct {
	Count     int    // runs of each benchmark (passes of -test.count=1); default 6
	CPU       []int  // -test.cpu; default: unset (GOMAXPROCS)
	Benchtime string // -test.benchtime; default: go test's default
	Filter    string // -test.bench regexp; default "."
	// Round is 0 for a bench block's own runs and n for the nth round of
	// extra runs a build asks for when a claim about the block is
	// inconclusive. It changes nothing in how the program runs; being part
	// of the key, it makes each round a run of its own, stored as any other,
	// instead of the stored result of the round before.
	Round int `json:",omitempty"`
}

// Program is the complete description of one run. Everything in it except ID
// is part of the cache key.
type Program struct {
	// ID names the program in diagnostics and explanations
	// ("content/posts/x.md:42"). It is not part of the cache key, but the
	// cache remembers the last key per ID so it can say why a program re-ran.
	ID      string
	Files   []File
	Mode    Mode
	Args    []string
	Stdin   []byte
	Timeout time.Duration // 0: the runner's default
	Bench   BenchOptions
}

// Stream names where an Event was written.
type Stream string

const (
	Stdout Stream = "stdout"
	Stderr Stream = "stderr"
)

// Event is one chunk of output, in the order the program wrote it.
type Event struct {
	Stream Stream
	Data   string
	Delay  time.Duration // since the previous event (Go playground style)
}

// Status classifies how a run ended.
type Status string

const (
	StatusOK           Status = "ok"            // exit code 0
	StatusExit         Status = "exit"          // non-zero exit code (a panic is exit 2)
	StatusCompileError Status = "compile-error" // did not build; see Diagnostics
	StatusTimeout      Status = "timeout"       // wall-clock limit hit; never cached
	StatusMemoryLimit  Status = "memory-limit"  // memory limit hit; never cached
	StatusOutputLimit  Status = "output-limit"  // output cap hit; output truncated
	StatusCPULimit     Status = "cpu-limit"     // CPU-time limit hit (Limits.CPU); never cached
	StatusKilled       Status = "killed"        // killed by a signal for another reason; never cached
)

// Diagnostic is one compiler message. File and Line are relative to the
// program's own files, so a caller can map them back to where the source
// came from.
type Diagnostic struct {
	File string
	Line int
	Col  int
	Msg  string
}

// Env is the environment stamp of a run: enough for a reader to judge a
// benchmark, nothing that identifies the machine or user.
type Env struct {
	GoVersion string
	GOOS      string
	GOARCH    string
	CPU       string // CPU model name
	NumCPU    int
	RanAt     time.Time // UTC, when the program actually ran (cached results keep it)
	// Machine tells machines apart without naming them (see MachineID):
	// two benchmark blocks with different Machines ran on different
	// computers, and their figures are not comparable. Empty in results
	// stored before it existed.
	Machine string `json:",omitempty"`
	// Load is how busy the machine was while a benchmark ran, where the
	// platform can tell (Linux); nil for other runs and other platforms.
	Load *Load `json:",omitempty"`
}

// Result is what a program did.
type Result struct {
	Status      Status
	ExitCode    int
	Events      []Event
	Diagnostics []Diagnostic // compile errors, positions relative to Program.Files
	Truncated   bool         // output exceeded the cap; a marker was appended
	Duration    time.Duration
	Env         Env
	// Limits are the limits that applied to the run (the program's own
	// timeout, a benchmark's, or the runner's), for messages about a limit
	// it hit. Not stored: a stored result gets the limits of its key.
	Limits Limits

	// Cached reports that the result came from the cache; Reason says why it
	// did not (e.g. "new", "code changed", "go.mod changed", "Go version
	// changed", "--rerun"). Neither is stored.
	Cached bool
	Reason string
}

// Stdout returns everything the program wrote to standard output.
func (r *Result) Stdout() string { return r.stream(Stdout) }

// Stderr returns everything the program wrote to standard error.
func (r *Result) Stderr() string { return r.stream(Stderr) }

func (r *Result) stream(s Stream) string {
	var n int
	for _, e := range r.Events {
		if e.Stream == s {
			n += len(e.Data)
		}
	}
	b := make([]byte, 0, n)
	for _, e := range r.Events {
		if e.Stream == s {
			b = append(b, e.Data...)
		}
	}
	return string(b)
}
