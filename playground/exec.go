package playground

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/benchpress/benchpress/internal/phasetrace"
)

// Limits bound one run of a program.
type Limits struct {
	Timeout  time.Duration // wall clock; the whole process tree is killed
	CPU      time.Duration // CPU time; 0: see CPUTime
	Memory   int64         // bytes of writable memory
	Output   int64         // bytes of stdout+stderr kept; more kills the run
	Procs    int           // processes and threads
	NoFile   int           // open files
	FileSize int64         // largest file the program may write
	TmpSize  int64         // size of its private /tmp
}

// DefaultLimits are the limits a Runner uses when its Config leaves them zero.
var DefaultLimits = Limits{
	Timeout:  10 * time.Second,
	Memory:   512 << 20,
	Output:   1 << 20,
	Procs:    256,
	NoFile:   256,
	FileSize: 32 << 20,
	TmpSize:  64 << 20,
}

// MaxTimeout bounds every wall-clock limit a site may set (playground.timeout
// and a fence's timeout=): a snippet that needs longer belongs in a program
// of its own, and a typo such as timeout=999h must not hang a build.
const MaxTimeout = time.Hour

// CheckTimeout says why d cannot be a wall-clock limit a site sets, or nil.
func CheckTimeout(d time.Duration) error {
	switch {
	case d <= 0:
		return fmt.Errorf("must be positive, e.g. 30s")
	case d > MaxTimeout:
		return fmt.Errorf("is longer than the maximum of %v: split the work, or measure it outside the site", MaxTimeout)
	}
	return nil
}

// CPUTime is the CPU-time limit (RLIMIT_CPU, whole seconds, all threads
// together) of a sandboxed run: CPU when set, else the wall-clock limit in
// whole seconds plus two, so a busy single-threaded program meets its
// wall-clock limit first, and one of several busy threads this one.
func (l Limits) CPUTime() time.Duration {
	if l.CPU > 0 {
		return max(l.CPU.Truncate(time.Second), time.Second)
	}
	return time.Duration(uint64(l.Timeout.Seconds())+2) * time.Second
}

// WithDefaults fills the zero fields of l from DefaultLimits.
func (l Limits) WithDefaults() Limits {
	d := DefaultLimits
	if l.Timeout > 0 {
		d.Timeout = l.Timeout
	}
	d.CPU = l.CPU
	if l.Memory > 0 {
		d.Memory = l.Memory
	}
	if l.Output > 0 {
		d.Output = l.Output
	}
	if l.Procs > 0 {
		d.Procs = l.Procs
	}
	if l.NoFile > 0 {
		d.NoFile = l.NoFile
	}
	if l.FileSize > 0 {
		d.FileSize = l.FileSize
	}
	if l.TmpSize > 0 {
		d.TmpSize = l.TmpSize
	}
	return d
}

// TruncationMarker ends the output of a run that printed more than its cap.
const TruncationMarker = "\n[output truncated: the program printed more than the output limit]\n"

// programEnv is the whole environment a program sees: nothing of the
// parent's (CI tokens live there).
func programEnv(home string) []string {
	return []string{
		"HOME=" + home,
		"TMPDIR=" + home,
		"PATH=/usr/bin:/bin",
		"LANG=C.UTF-8",
		"USER=sandbox",
	}
}

// proc is a started program: the sandbox's init, or the bare process.
type proc interface {
	kill()
	// wait returns how the program ended: "exit N", "signal N", or an
	// error for a sandbox that failed to set itself up.
	wait() (string, error)
}

// pendingProc is a program's process made ready before its binary exists:
// the sandbox, set up and waiting for it (startSandbox), or a bare run,
// spawned when it starts. Killed before it starts, it must still be
// waited for.
type pendingProc interface {
	proc
	// start runs the binary: the sandbox execs it, a bare run spawns it.
	start(bin string) error
}

// execute runs a built binary once under the limits and returns what it did.
// Only infrastructure faults are errors.
func execute(ctx context.Context, sandbox bool, bin string, argv []string, stdin []byte, lim Limits) (Result, error) {
	x, err := prepareRun(ctx, sandbox, argv, stdin, lim)
	if err != nil {
		return Result{}, err
	}
	return x.execute(ctx, bin)
}

// A run is one execution of a program, begun before its binary exists so
// that the sandbox sets itself up while the compiler builds the program:
// prepareRun makes the program's output queue and standard input and
// starts its process (the sandbox waits for the binary); execute hands it
// the binary and collects what the program did. A run that will not
// execute is aborted, which kills and reaps its sandbox.
type run struct {
	sandbox bool
	lim     Limits
	q       *outputQueue
	inR     *os.File    // the program's standard input, or nil
	p       pendingProc // nil once released
	home    string      // a bare run's HOME, removed after it
}

// prepareRun makes a run of argv with stdin under lim, sandboxed or bare.
func prepareRun(ctx context.Context, sandbox bool, argv []string, stdin []byte, lim Limits) (*run, error) {
	x := &run{sandbox: sandbox, lim: lim}
	var err error
	if x.q, err = newOutputQueue(); err != nil {
		return nil, err
	}
	if err := x.startProc(ctx, argv, stdin); err != nil {
		x.release()
		return nil, err
	}
	return x, nil
}

// startProc makes the run's standard input and its pending process.
func (x *run) startProc(ctx context.Context, argv []string, stdin []byte) error {
	if len(stdin) > 0 {
		inR, inW, err := os.Pipe()
		if err != nil {
			return err
		}
		x.inR = inR
		go func() {
			inW.Write(stdin) // a program that stops reading gets EPIPE'd writes; fine
			inW.Close()
		}()
	}
	if x.sandbox {
		endStart := phasetrace.Begin(ctx, "sandbox start")
		defer endStart()
		p, err := startSandbox(argv, programEnv("/tmp"), x.lim, x.inR, x.q.stdout, x.q.stderr)
		if err != nil {
			return err
		}
		x.p = p
		return nil
	}
	home, err := os.MkdirTemp("", "benchpress-run-")
	if err != nil {
		return err
	}
	x.home = home
	x.p = &bareStart{argv: argv, env: programEnv(home), dir: home, stdin: x.inR, stdout: x.q.stdout, stderr: x.q.stderr}
	return nil
}

// abort ends a run that will not execute: its sandbox is killed and
// reaped, and nothing of it is left.
func (x *run) abort() {
	if x.p != nil {
		x.p.kill()
		x.p.wait()
	}
	x.release()
}

// release frees what the run holds on the host; its process must be gone.
func (x *run) release() {
	x.p = nil
	x.q.close()
	if x.inR != nil {
		x.inR.Close()
	}
	if x.home != "" {
		os.RemoveAll(x.home)
	}
}

// execute hands the run its binary and returns what the program did, as
// the package-level execute does. The run is used up.
func (x *run) execute(ctx context.Context, bin string) (Result, error) {
	var res Result
	doneR, doneW, err := os.Pipe()
	if err != nil {
		x.abort()
		return res, err
	}
	defer doneR.Close()
	defer x.release()
	start := time.Now()
	if err := x.p.start(bin); err != nil {
		doneW.Close()
		x.p.kill()
		_, werr := x.p.wait()
		// A sandbox that could not take the binary may have said why;
		// but when the host had no binary to give, the sandbox's word
		// ("no program to run", if it saw the socket close before the
		// kill) is not the reason, and must not pass for a sandbox that
		// cannot run here.
		var he *hostError
		if werr != nil && !errors.As(err, &he) {
			return res, werr
		}
		return res, err
	}
	// The program has its descriptors: the host's copies go.
	x.q.closeSenders()
	if x.inR != nil {
		x.inR.Close()
		x.inR = nil
	}

	p := x.p // the output cap's kill may come after the run is released
	var once sync.Once
	c := &capture{limit: x.lim.Output, last: start, onLimit: func() { once.Do(p.kill) }}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); x.q.read(c, doneR) }()
	endRun := phasetrace.Begin(ctx, "run")
	status, why, werr := x.wait(ctx, p)
	endRun()
	// The program and all it started are gone (the sandbox's pid
	// namespace died with its init; a bare run's process group is
	// killed): every datagram is queued, and the reader drains them.
	doneW.Close()
	wg.Wait()
	res.Duration = time.Since(start)
	if werr != nil {
		return res, werr
	}
	if why == endCancelled {
		return res, ctx.Err()
	}
	res.Events = c.events
	res.Truncated = c.truncated
	res.Limits = x.lim
	if why == endSelf && c.truncated {
		// The output cap kills the program (c.onLimit), whether or not
		// it ended by itself first.
		why = endOutputLimit
	}
	res.Status, res.ExitCode = x.status(status, why, &res)
	return res, nil
}

// Why a run ended, when not by itself.
const (
	endSelf = iota
	endTimeout
	endCancelled
	endOutputLimit
)

// wait waits for the started program p under the wall-clock limit and
// the context, and says whether the clock or the context ended it.
func (x *run) wait(ctx context.Context, p proc) (status string, why int, err error) {
	timer := time.NewTimer(x.lim.Timeout)
	defer timer.Stop()
	done := make(chan struct{})
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		select {
		case <-timer.C:
			why = endTimeout
			p.kill()
		case <-ctx.Done():
			why = endCancelled
			p.kill()
		case <-done:
		}
	}()
	status, err = p.wait()
	close(done)
	<-watched // why is the watcher's until it returns
	return status, why, err
}

// status reads the program's end ("exit N", or "signal N" and maybe
// "cpu=DURATION") as a Status and exit code.
func (x *run) status(status string, why int, res *Result) (Status, int) {
	f := strings.Fields(status)
	kind, n, cpu := "", 0, time.Duration(0)
	if len(f) >= 2 {
		kind = f[0]
		n, _ = strconv.Atoi(f[1])
	}
	for _, v := range f[min(len(f), 2):] {
		if v, ok := strings.CutPrefix(v, "cpu="); ok {
			cpu, _ = time.ParseDuration(v)
		}
	}
	switch {
	case why == endTimeout:
		return StatusTimeout, -1
	case why == endOutputLimit:
		return StatusOutputLimit, -1
	case kind == "exit" && n == 0:
		return StatusOK, 0
	case kind == "exit" && outOfMemory(res.Stderr()):
		return StatusMemoryLimit, n
	case kind == "exit":
		return StatusExit, n
	case kind == "signal" && (n == sigXCPU || n == sigKILL && x.sandbox && cpu >= x.lim.CPUTime()):
		// RLIMIT_CPU: a program of several busy threads uses CPU time
		// faster than wall-clock time. The kernel's SIGKILL at the limit
		// looks like any other; the program's CPU clock, which the init
		// reads as the kernel does for the limit, tells them apart.
		return StatusCPULimit, -1
	case kind == "signal" && n == sigKILL && res.Duration >= x.lim.Timeout:
		return StatusTimeout, -1
	}
	return StatusKilled, 128 + n
}

// bareStart is a bare run waiting for its binary: it spawns at start.
type bareStart struct {
	argv, env             []string
	dir                   string
	stdin, stdout, stderr *os.File
	p                     proc
}

func (b *bareStart) start(bin string) (err error) {
	b.p, err = spawnBare(bin, b.argv, b.env, b.dir, b.stdin, b.stdout, b.stderr)
	return err
}

func (b *bareStart) kill() {
	if b.p != nil {
		b.p.kill()
	}
}

func (b *bareStart) wait() (string, error) {
	if b.p == nil {
		return "", nil // never spawned: nothing to wait for
	}
	return b.p.wait()
}

// outOfMemory recognises the Go runtime's message when an allocation fails
// against the sandbox's memory limit.
func outOfMemory(stderr string) bool {
	return strings.Contains(stderr, "fatal error: runtime: out of memory") ||
		strings.Contains(stderr, "runtime: cannot allocate memory") ||
		strings.Contains(stderr, "fatal error: out of memory")
}

// capture collects a program's output as ordered events, up to a cap.
type capture struct {
	mu        sync.Mutex
	events    []Event
	n         int64
	limit     int64
	last      time.Time
	truncated bool
	onLimit   func()
}

func (c *capture) add(s Stream, b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.truncated {
		return
	}
	if room := c.limit - c.n; int64(len(b)) > room {
		b = b[:max(room, 0)]
		c.truncated = true
	}
	now := time.Now()
	c.n += int64(len(b))
	if k := len(c.events); k > 0 && c.events[k-1].Stream == s && now.Sub(c.last) < time.Millisecond {
		// Chunks of one write burst merge into one event.
		c.events[k-1].Data += string(b)
	} else if len(b) > 0 {
		c.events = append(c.events, Event{Stream: s, Data: string(b), Delay: now.Sub(c.last)})
	}
	c.last = now
	if c.truncated {
		c.events = append(c.events, Event{Stream: Stderr, Data: TruncationMarker})
		go c.onLimit()
	}
}

// setupError is a sandbox that could not set itself up or start: the
// kernel lacks something, never the program's doing.
type setupError struct{ msg string }

// envError is a sandbox that could not set itself up or start because of
// this machine's environment or the request, not the kernel: a limit above
// the hard limit benchpress runs under, a binary on a noexec mount,
// arguments too long to exec. Its message names the cause and the fix;
// turning the sandbox off would not be one.
type envError struct{ msg string }

func (e *envError) Error() string { return e.msg }

// hostError is a run's fault on the host's side before the program
// starts (its binary missing or not a regular file): unlike a setupError,
// nothing the sandbox or the kernel could be blamed for.
type hostError struct{ err error }

func (e *hostError) Error() string { return e.err.Error() }
func (e *hostError) Unwrap() error { return e.err }

func (e *setupError) Error() string { return e.msg }
