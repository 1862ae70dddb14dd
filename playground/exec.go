package playground

import (
	"context"
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

// execute runs a built binary once under the limits and returns what it did.
// Only infrastructure faults are errors.
func execute(ctx context.Context, sandbox bool, bin string, argv []string, stdin []byte, lim Limits) (Result, error) {
	var res Result
	q, err := newOutputQueue()
	if err != nil {
		return res, err
	}
	defer q.close()
	var inR *os.File
	if len(stdin) > 0 {
		var inW *os.File
		inR, inW, err = os.Pipe()
		if err != nil {
			return res, err
		}
		go func() {
			inW.Write(stdin) // a program that stops reading gets EPIPE'd writes; fine
			inW.Close()
		}()
	}
	start := time.Now()
	var p proc
	if sandbox {
		endStart := phasetrace.Begin(ctx, "sandbox start")
		p, err = spawnSandboxed(bin, argv, programEnv("/tmp"), lim, inR, q.stdout, q.stderr)
		endStart()
	} else {
		var dir string
		dir, err = os.MkdirTemp("", "benchpress-run-")
		if err == nil {
			defer os.RemoveAll(dir)
			p, err = spawnBare(bin, argv, programEnv(dir), dir, inR, q.stdout, q.stderr)
		}
	}
	q.closeSenders()
	if inR != nil {
		inR.Close()
	}
	if err != nil {
		return res, err
	}

	c := &capture{limit: lim.Output, last: start}
	var once sync.Once
	var outputKilled bool
	c.onLimit = func() {
		once.Do(func() {
			outputKilled = true
			p.kill()
		})
	}
	doneR, doneW, err := os.Pipe()
	if err != nil {
		p.kill()
		p.wait()
		return res, err
	}
	defer doneR.Close()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); q.read(c, doneR) }()

	timer := time.NewTimer(lim.Timeout)
	defer timer.Stop()
	done := make(chan struct{})
	watched := make(chan struct{})
	var timedOut, cancelled bool
	go func() {
		defer close(watched)
		select {
		case <-timer.C:
			timedOut = true
			p.kill()
		case <-ctx.Done():
			cancelled = true
			p.kill()
		case <-done:
		}
	}()
	endRun := phasetrace.Begin(ctx, "run")
	status, werr := p.wait()
	endRun()
	close(done)
	<-watched // timedOut and cancelled are the watcher's until it returns
	// The program and all it started are gone (the sandbox's pid
	// namespace died with its init; a bare run's process group is
	// killed): every datagram is queued, and the reader drains them.
	doneW.Close()
	wg.Wait()
	res.Duration = time.Since(start)
	if werr != nil {
		return res, werr
	}
	if cancelled {
		return res, ctx.Err()
	}
	res.Events = c.events
	res.Truncated = c.truncated

	res.Limits = lim
	// "exit N", or "signal N" and maybe "cpu=DURATION".
	f := strings.Fields(status)
	kind, n, cpu := "", 0, time.Duration(0)
	if len(f) >= 2 {
		kind = f[0]
		n, _ = strconv.Atoi(f[1])
	}
	for _, x := range f[min(len(f), 2):] {
		if v, ok := strings.CutPrefix(x, "cpu="); ok {
			cpu, _ = time.ParseDuration(v)
		}
	}
	switch {
	case timedOut:
		res.Status, res.ExitCode = StatusTimeout, -1
	case outputKilled:
		res.Status, res.ExitCode = StatusOutputLimit, -1
	case kind == "exit" && n == 0:
		res.Status = StatusOK
	case kind == "exit":
		res.Status, res.ExitCode = StatusExit, n
		if outOfMemory(res.Stderr()) {
			res.Status = StatusMemoryLimit
		}
	case kind == "signal" && (n == sigXCPU || n == sigKILL && sandbox && cpu >= lim.CPUTime()):
		// RLIMIT_CPU: a program of several busy threads uses CPU time
		// faster than wall-clock time. The kernel's SIGKILL at the limit
		// looks like any other; the program's CPU clock, which the init
		// reads as the kernel does for the limit, tells them apart.
		res.Status, res.ExitCode = StatusCPULimit, -1
	case kind == "signal" && n == sigKILL && res.Duration >= lim.Timeout:
		res.Status, res.ExitCode = StatusTimeout, -1
	default:
		res.Status, res.ExitCode = StatusKilled, 128+n
	}
	return res, nil
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

func (e *setupError) Error() string { return e.msg }
