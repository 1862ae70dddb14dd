package playground

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/benchpress/benchpress/internal/benchstats"
	"github.com/benchpress/benchpress/internal/phasetrace"
)

// Config configures a Runner.
type Config struct {
	// Sandbox is "linux" (the default: namespaces, Landlock, seccomp,
	// rlimits), "none" (run programs with the user's full rights; only on
	// explicit request, loudly warned) or "remote" (send them to the
	// runner Remote names; see remote.go).
	Sandbox string
	Remote  Remote
	Limits  Limits
	// Parallelism bounds the programs run at once; default: cores.
	// Benchmarks always run alone.
	Parallelism int
	// Results is the results store directory; "" keeps nothing.
	Results string
	// Modules is a directory holding the go.mod and go.sum of the third-party
	// modules programs may import; "" allows the standard library only.
	Modules string
	// CacheDir holds the Go build and module caches; default
	// os.UserCacheDir()/benchpress.
	CacheDir string
	// Rerun, when it returns true for a program ID, ignores its stored result.
	Rerun func(id string) bool
	// Frozen executes nothing: every result must come from the store.
	Frozen bool
	// Shard, unless zero, runs only this shard's part of the programs that
	// must run; RunAll returns an *OtherShardError for the others.
	Shard Shard
	// Log receives warnings; nil discards them.
	Log io.Writer
}

// Runner builds and runs programs, in parallel, through the results store.
// One Runner serves a whole build (and a serve session's rebuilds).
type Runner struct {
	cfg       Config
	limits    Limits
	limitsKey string // limits.key(), for every program without its own timeout
	store     *store
	modHash   string
	// sandboxErr says why the sandbox cannot run here, if it cannot.
	sandboxErr error
	// remote, for Sandbox "remote", runs the programs instead.
	remote *remote

	tcOnce sync.Once
	tc     *toolchain
	tcErr  error

	// builds and execs count go commands and program runs, for tests and
	// benchmarks.
	builds, execs int
	mu            sync.Mutex
}

// New returns a Runner, or an error saying why programs cannot run here.
func New(cfg Config) (*Runner, error) {
	r := &Runner{cfg: cfg, limits: cfg.Limits.WithDefaults()}
	r.limitsKey = r.limits.key()
	if r.cfg.Parallelism <= 0 {
		r.cfg.Parallelism = runtime.NumCPU()
	}
	if r.cfg.Log == nil {
		r.cfg.Log = io.Discard
	}
	switch cfg.Sandbox {
	case "", "linux":
		r.cfg.Sandbox = "linux"
		// Checked when a program must run, so a site without live code (or
		// a frozen build) works where the sandbox cannot.
		if err := sandboxSupported(); err != nil {
			r.sandboxErr = noSandboxError(err)
		}
	case "none":
		if err := bareSupported(); err != nil {
			r.sandboxErr = err // as for the sandbox: only when a program must run
		} else if !cfg.Frozen {
			fmt.Fprintln(r.cfg.Log, "benchpress: WARNING: playground.sandbox is none: snippets run UNSANDBOXED with your user's full rights (files, network, environment)")
		}
	case "remote":
		rm, err := newRemote(cfg.Remote, cfg.Modules, r.cfg.Log)
		if err != nil {
			return nil, err
		}
		r.remote = rm
	default:
		return nil, fmt.Errorf("unknown sandbox %q (want linux, none or remote)", cfg.Sandbox)
	}
	if cfg.Results != "" {
		s, err := openStore(cfg.Results)
		if err != nil {
			return nil, err
		}
		r.store = s
	}
	if cfg.Modules != "" {
		mod, err := os.ReadFile(filepath.Join(cfg.Modules, "go.mod"))
		if err != nil {
			return nil, fmt.Errorf("playground.modules: %v", err)
		}
		sum, _ := os.ReadFile(filepath.Join(cfg.Modules, "go.sum"))
		r.modHash = hashBytes(append(mod, sum...))
	}
	if r.cfg.CacheDir == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			dir = os.TempDir()
		}
		r.cfg.CacheDir = filepath.Join(dir, "benchpress")
	}
	return r, nil
}

func noSandboxError(why error) error {
	if err := bareSupported(); err != nil {
		// Nor can they run unsandboxed here: no advice to turn it off.
		return fmt.Errorf("the Linux sandbox cannot run here: %v.\n%v", why, err)
	}
	return fmt.Errorf("the Linux sandbox cannot run here: %v.\n"+
		"To run snippets in the sandbox of a Linux machine (a container on this one: see Platforms in the README), set\n"+
		"  playground:\n    sandbox: remote\n    runner: http://127.0.0.1:8091/\n"+
		"in config.yaml with BENCHPRESS_RUNNER_TOKEN set. benchpress never runs snippets unsandboxed on its own: to run them\n"+
		"with your user's full rights, set playground.sandbox: none (or pass --sandbox none). Or use --frozen to render\n"+
		"stored results without running anything", why)
}

// Shard is the part of the programs this Runner runs (zero: all).
func (r *Runner) Shard() Shard { return r.cfg.Shard }

// Builds returns how many go commands the Runner has run.
func (r *Runner) Builds() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.builds
}

// Execs returns how many programs the Runner has started.
func (r *Runner) Execs() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.execs
}

func (r *Runner) toolchain() (*toolchain, error) {
	r.tcOnce.Do(func() {
		r.tc, r.tcErr = findToolchain(r.cfg.CacheDir, r.cfg.Modules)
	})
	return r.tc, r.tcErr
}

// goVersion is the version in cache keys: the toolchain's, or under
// --frozen (no toolchain needed) the one this binary was built with.
func (r *Runner) goVersion() string {
	if r.cfg.Frozen {
		return runtime.Version()
	}
	if v, ok := r.remoteGoVersion(); ok {
		return v
	}
	if tc, err := r.toolchain(); err == nil {
		return tc.version
	}
	return runtime.Version()
}

// inputs describes p completely.
func (r *Runner) inputs(p *Program) *Inputs {
	in := &Inputs{
		Files:    map[string]string{},
		Mode:     p.Mode,
		Args:     p.Args,
		Modules:  r.modHash,
		Go:       r.goVersion(),
		Platform: r.keyPlatform(),
		Sandbox:  r.keySandbox(),
		Runner:   RunnerVersion,
	}
	for _, f := range p.Files {
		in.Files[f.Name] = hashBytes(f.Data)
	}
	if len(p.Stdin) > 0 {
		in.Stdin = hashBytes(p.Stdin)
	}
	if lim := r.limitsFor(p); lim == r.limits {
		in.Limits = r.limitsKey
	} else {
		in.Limits = lim.key()
	}
	if p.Mode == ModeBench {
		b := benchDefaults(p.Bench)
		in.Bench = &b
		in.Measure = Measure
	}
	return in
}

// key describes the limits in a cache key.
func (l Limits) key() string {
	k := fmt.Sprintf("timeout=%v memory=%d output=%d procs=%d files=%d fsize=%d tmp=%d",
		l.Timeout, l.Memory, l.Output, l.Procs, l.NoFile, l.FileSize, l.TmpSize)
	if l.CPU > 0 {
		// Only an explicit CPU limit is named: the keys of every result
		// stored before it existed stay the same.
		k += fmt.Sprintf(" cpu=%v", l.CPUTime())
	}
	return k
}

// BenchTimeout is the default wall-clock limit of a benchmark program, which
// runs every benchmark count times.
const BenchTimeout = 2 * time.Minute

func (r *Runner) limitsFor(p *Program) Limits {
	lim := r.limits
	switch {
	case p.Timeout > 0:
		lim.Timeout = p.Timeout
	case p.Mode == ModeBench && lim.Timeout < BenchTimeout:
		lim.Timeout = BenchTimeout
	}
	return lim
}

func benchDefaults(b BenchOptions) BenchOptions {
	if b.Count <= 0 {
		b.Count = benchstats.MinRuns // the fewest runs with a confidence interval
	}
	if b.Filter == "" {
		b.Filter = "."
	}
	return b
}

// Run runs one program through the store.
func (r *Runner) Run(ctx context.Context, p Program) (Result, error) {
	res, errs := r.RunAll(ctx, []Program{p}, nil)
	return res[0], errs[0]
}

// task is one distinct program of a RunAll call.
type task struct {
	prog   *Program
	key    string
	inputs *Inputs
	reason string
	idx    []int // positions in the caller's slice
	job    *buildJob
	res    Result
	err    error
	done   bool
}

// lookup is what RunAll knows of one program before running anything.
type lookup struct {
	err    error // the program is malformed
	inputs *Inputs
	key    string
	stored *entry // its stored result, or nil and why not
	why    string
	// prevMS is the duration of the newest stored run of the program's ID
	// (under other inputs), -1 if none; only sharded builds look.
	prevMS float64
}

// lookupAll checks, describes and looks up every program in the store, on
// up to Parallelism goroutines.
func (r *Runner) lookupAll(progs []Program, looks []lookup) {
	one := func(i int) {
		p, l := &progs[i], &looks[i]
		if l.err = checkFiles(p); l.err != nil {
			return
		}
		l.inputs = r.inputs(p)
		l.key = l.inputs.Key()
		l.prevMS = -1
		if r.store != nil {
			l.stored, l.why = r.store.get(p.ID, l.key, l.inputs, r.cfg.Frozen)
			if l.stored == nil && !r.cfg.Shard.IsZero() {
				l.prevMS = r.store.previousMS(p.ID)
			}
		}
	}
	workers := min(r.cfg.Parallelism, len(progs))
	if workers <= 1 {
		for i := range progs {
			one(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < len(progs); i = int(next.Add(1)) - 1 {
				one(i)
			}
		}()
	}
	wg.Wait()
}

// Progress is what RunAll reports after each program: the count done so
// far and how the program ended. Identical programs run once and are
// reported together, under the first one's ID.
type Progress struct {
	Done, Total int
	ID          string
	// Result is the program's result (Cached: it came from the store), or
	// nil when Err is set: an infrastructure fault, or an *OtherShardError
	// for a program another shard runs.
	Result *Result
	Err    error
}

// RunAll runs every program, taking stored results where they exist, and
// returns results[i] and errs[i] for progs[i]. Programs missing from the
// store are compiled in batches (one go command per mode), then run: the
// others in parallel, benchmarks one at a time after them so they are not
// disturbed. progress, if not nil, is called after each program, by one
// goroutine at a time.
func (r *Runner) RunAll(ctx context.Context, progs []Program, progress func(Progress)) ([]Result, []error) {
	results := make([]Result, len(progs))
	errs := make([]error, len(progs))
	total := len(progs)
	var doneN int
	var progMu sync.Mutex
	report := func(n int, id string, res *Result, err error) {
		if progress == nil {
			return
		}
		// Under the lock: callers' progress functions (a terminal line)
		// are not safe for concurrent use, and counts must not go back.
		progMu.Lock()
		defer progMu.Unlock()
		doneN += n
		p := Progress{Done: doneN, Total: total, ID: id, Err: err}
		if err == nil {
			p.Result = res
		}
		progress(p)
	}

	if r.remote != nil && !r.cfg.Frozen {
		// The keys hold the runner's Go version: ask it first.
		if err := r.remote.handshake(ctx); err != nil {
			for i := range errs {
				errs[i] = err
			}
			report(total, "", nil, err)
			return results, errs
		}
	}

	// Look everything up first, on every core (a warm build is nothing
	// but lookups: hashing, reading and decoding one stored entry per
	// program); identical programs run once.
	looks := make([]lookup, len(progs))
	endLookup := phasetrace.Begin(ctx, "lookup")
	r.lookupAll(progs, looks)
	endLookup()
	var todo []*task
	byKey := map[string]*task{}
	for i := range progs {
		p, l := &progs[i], &looks[i]
		if l.err != nil {
			errs[i] = l.err
			report(1, p.ID, nil, l.err)
			continue
		}
		if t := byKey[l.key]; t != nil {
			t.idx = append(t.idx, i)
			continue
		}
		t := &task{prog: p, key: l.key, inputs: l.inputs, idx: []int{i}}
		byKey[l.key] = t
		rerun := r.cfg.Rerun != nil && r.cfg.Rerun(p.ID)
		if r.store != nil {
			switch {
			case l.stored != nil && !rerun:
				t.res = l.stored.Result.result()
				t.res.Limits = r.limitsFor(p)
				t.res.Cached = true
				t.done = true
			case l.stored != nil:
				t.reason = "--rerun"
			default:
				t.reason = l.why
			}
		} else {
			t.reason = "no results store"
		}
		if t.done {
			continue
		}
		if r.cfg.Frozen {
			t.err = fmt.Errorf("no stored result for this snippet and the build is --frozen (%s): build once without --frozen and commit %s", t.reason, r.cfg.Results)
			t.done = true
			continue
		}
		todo = append(todo, t)
	}
	if !r.cfg.Shard.IsZero() {
		todo = r.shardTodo(todo, looks)
	}
	for _, t := range byKey {
		if t.done {
			for _, i := range t.idx {
				results[i], errs[i] = t.res, t.err
			}
			report(len(t.idx), t.prog.ID, &t.res, t.err)
		}
	}
	if len(todo) == 0 {
		return results, errs
	}

	finish := func(t *task) {
		if t.err == nil {
			// The store keeps microseconds: a fresh result is cut to
			// them too, so that a page renders the same from either.
			t.res.Duration = t.res.Duration.Truncate(time.Microsecond)
			t.res.Reason = t.reason
			t.res.Limits = r.limitsFor(t.prog)
			if r.store != nil && cacheable(&t.res) {
				end := phasetrace.Begin(ctx, "store")
				if err := r.store.put(t.prog.ID, t.key, t.inputs, &t.res); err != nil {
					t.err = err
				}
				end()
			}
		}
		for _, i := range t.idx {
			results[i], errs[i] = t.res, t.err
		}
		report(len(t.idx), t.prog.ID, &t.res, t.err)
	}
	failAll := func(err error) ([]Result, []error) {
		for _, t := range todo {
			t.err = err
			for _, i := range t.idx {
				errs[i] = err
			}
		}
		return results, errs
	}

	if r.remote != nil {
		if err := r.runRemote(ctx, todo, finish); err != nil {
			for _, t := range todo {
				if !t.done {
					t.err = err
					finish(t)
				}
			}
		}
		return results, errs
	}
	if r.sandboxErr != nil {
		return failAll(r.sandboxErr)
	}
	tc, err := r.toolchain()
	if err != nil {
		return failAll(err)
	}
	if err := tc.prepare(ctx); err != nil {
		return failAll(err)
	}
	root, err := os.MkdirTemp("", "benchpress-build-")
	if err != nil {
		return failAll(err)
	}
	defer os.RemoveAll(root)

	waitBench, err := r.buildAll(ctx, tc, root, todo)
	if err != nil {
		waitBench()
		return failAll(err)
	}

	// Ordinary programs run in parallel as soon as they are built, while
	// the benchmark batch may still compile; benchmarks run alone, one at
	// a time, once everything else is done.
	var runs, benches []*task
	place := func(t *task) {
		if t.job.bin == "" {
			t.res = compileFailure(t.job)
			finish(t)
		} else if t.prog.Mode == ModeBench {
			benches = append(benches, t)
		} else {
			runs = append(runs, t)
		}
	}
	var later []*task
	for _, t := range todo {
		if t.job.later {
			later = append(later, t)
		} else {
			place(t)
		}
	}
	sem := make(chan struct{}, r.cfg.Parallelism)
	var wg sync.WaitGroup
	for _, t := range runs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			t.res, t.err = r.execute(ctx, t)
			// Storing the result waits for the disk (fsync): the next
			// program need not.
			<-sem
			finish(t)
		}()
	}
	wg.Wait()
	if err := waitBench(); err != nil {
		for _, t := range later {
			t.err = err
			finish(t)
		}
		later = nil
	}
	for _, t := range later {
		place(t)
	}
	for _, t := range benches {
		t.res, t.err = r.execute(ctx, t)
		finish(t)
	}
	return results, errs
}

// shardTodo keeps the tasks of this shard and marks the others done with
// an *OtherShardError.
func (r *Runner) shardTodo(todo []*task, looks []lookup) []*task {
	items := make([]shardItem, len(todo))
	for i, t := range todo {
		prev := looks[t.idx[0]].prevMS
		if s := looks[t.idx[0]].stored; s != nil {
			prev = s.Result.DurationMS // a --rerun: its own last run
		}
		items[i] = shardItem{key: t.inputs.portableKey() + t.key, weight: shardWeight(t.prog, prev)}
	}
	var mine []*task
	for i, s := range assignShards(items, r.cfg.Shard.Count) {
		t := todo[i]
		if s+1 == r.cfg.Shard.Index {
			mine = append(mine, t)
			continue
		}
		t.err = &OtherShardError{Shard: Shard{Index: s + 1, Count: r.cfg.Shard.Count}}
		t.done = true
	}
	return mine
}

// buildAll compiles the tasks: single-package programs in one batch per
// mode, programs of several packages one module each. The benchmark batch
// compiles concurrently with the rest (its jobs are marked later); the
// returned function waits for it and returns its error. Everything else
// is built when buildAll returns.
func (r *Runner) buildAll(ctx context.Context, tc *toolchain, root string, todo []*task) (waitBench func() error, err error) {
	waitBench = func() error { return nil }
	batch := map[Mode][]*buildJob{}
	var alone []*buildJob
	for i, t := range todo {
		t.job = &buildJob{prog: t.prog, dir: "p" + strconv.Itoa(i)}
		if nested(t.prog) {
			t.job.dir = "."
			alone = append(alone, t.job)
		} else {
			batch[t.prog.Mode] = append(batch[t.prog.Mode], t.job)
		}
	}
	// Each mode's batch is a module of its own: the two go commands run
	// at once, and neither may see the other rewrite go.mod or go.sum.
	write := func(name string, jobs []*buildJob) (string, error) {
		dir := filepath.Join(root, name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			return "", err
		}
		end := phasetrace.Begin(ctx, "temp module")
		defer end()
		return dir, tc.writeModule(dir, jobs)
	}
	if benches := batch[ModeBench]; len(benches) > 0 {
		dir, err := write("bench", benches)
		if err != nil {
			return waitBench, err
		}
		for _, j := range benches {
			j.later = true
		}
		done := make(chan error, 1)
		r.countBuild()
		go func() {
			end := phasetrace.Begin(ctx, "go test -c")
			done <- tc.build(ctx, dir, ModeBench, benches)
			end()
		}()
		waitBench = sync.OnceValue(func() error { return <-done })
	}
	if runs := batch[ModeRun]; len(runs) > 0 {
		dir, err := write("batch", runs)
		if err != nil {
			return waitBench, err
		}
		r.countBuild()
		end := phasetrace.Begin(ctx, "go build")
		err = tc.build(ctx, dir, ModeRun, runs)
		end()
		if err != nil {
			return waitBench, err
		}
	}
	for i, j := range alone {
		dir := filepath.Join(root, "alone"+strconv.Itoa(i))
		if err := os.Mkdir(dir, 0o755); err != nil {
			return waitBench, err
		}
		if err := tc.writeModule(dir, []*buildJob{j}); err != nil {
			return waitBench, err
		}
		r.countBuild()
		end := phasetrace.Begin(ctx, "go build")
		err := tc.build(ctx, dir, j.prog.Mode, []*buildJob{j})
		end()
		if err != nil {
			return waitBench, err
		}
	}
	return waitBench, nil
}

func (r *Runner) countBuild() {
	r.mu.Lock()
	r.builds++
	r.mu.Unlock()
}

func compileFailure(j *buildJob) Result {
	res := Result{Status: StatusCompileError, ExitCode: -1, Diagnostics: j.diags, Env: currentEnv()}
	if j.out != "" {
		res.Events = []Event{{Stream: Stderr, Data: j.out}}
	}
	return res
}

// execute runs a built task's binary: a program once, a benchmark block
// in interleaved passes (see executeBench).
func (r *Runner) execute(ctx context.Context, t *task) (Result, error) {
	p := t.prog
	if p.Mode == ModeBench {
		return r.executeBench(ctx, t)
	}
	res, err := r.executeOnce(ctx, t, append([]string{"main"}, p.Args...), r.limitsFor(p))
	if err != nil {
		return res, err
	}
	res.Env = currentEnv()
	res.Env.GoVersion = r.goVersion()
	return res, nil
}

// executeOnce runs the task's binary once with argv under lim.
func (r *Runner) executeOnce(ctx context.Context, t *task, argv []string, lim Limits) (Result, error) {
	r.mu.Lock()
	r.execs++
	r.mu.Unlock()
	res, err := execute(ctx, r.cfg.Sandbox == "linux", t.job.bin, argv, t.prog.Stdin, lim)
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return res, err
		}
		// Only a sandbox the kernel cannot set up earns the advice to turn
		// it off; anything else is reported as it is.
		var se *setupError
		if r.cfg.Sandbox == "linux" && errors.As(err, &se) {
			return res, noSandboxError(err)
		}
		return res, err
	}
	return res, nil
}

// Measure names how benchmarks are measured, in the key of every benchmark
// result: results measured another way are rerun, not mixed with these.
const Measure = "interleaved"

// executeBench runs a benchmark block as Count passes of the test binary,
// each with -test.count=1: every benchmark of the block runs once per pass,
// A B C A B C ..., so a change in the machine's load (another process
// starting, a CPU's clock dropping) falls on all of them alike instead of
// on the ones that happened to run while it lasted, where it would read
// as a difference between them. The passes share the block's limits: the
// wall-clock limit and the output cap are budgets for all of them
// together. The output reads as one run with -test.count=Count would,
// with the file's configuration lines once and one PASS at the end.
// The machine's load over the passes goes into the stamp.
func (r *Runner) executeBench(ctx context.Context, t *task) (Result, error) {
	p := t.prog
	b := benchDefaults(p.Bench)
	argv := []string{"bench.test", "-test.run=^$", "-test.bench=" + b.Filter, "-test.benchmem", "-test.count=1"}
	if len(b.CPU) > 0 {
		cpus := make([]string, len(b.CPU))
		for i, c := range b.CPU {
			cpus[i] = strconv.Itoa(c)
		}
		argv = append(argv, "-test.cpu="+strings.Join(cpus, ","))
	}
	if b.Benchtime != "" {
		argv = append(argv, "-test.benchtime="+b.Benchtime)
	}
	argv = append(argv, p.Args...)

	lim := r.limitsFor(p)
	stopLoad := startLoad()
	start := time.Now()
	var res Result
	var out int64
	for pass := 0; pass < b.Count; pass++ {
		passLim := lim
		passLim.Timeout = lim.Timeout - time.Since(start)
		passLim.Output = lim.Output - out
		if passLim.Timeout <= 0 {
			res.Status, res.ExitCode = StatusTimeout, -1
			break
		}
		pr, err := r.executeOnce(ctx, t, argv, passLim)
		if err != nil {
			stopLoad()
			return pr, err
		}
		for _, e := range pr.Events {
			out += int64(len(e.Data))
		}
		last := pass == b.Count-1 || pr.Status != StatusOK
		res.Events = append(res.Events, passEvents(pr.Events, pass == 0, last)...)
		res.Status, res.ExitCode, res.Truncated = pr.Status, pr.ExitCode, pr.Truncated
		if pr.Status != StatusOK {
			break
		}
	}
	res.Duration = time.Since(start)
	res.Limits = lim
	// The batch's package path is not the program's business.
	for i := range res.Events {
		res.Events[i].Data = benchPkgLine.ReplaceAllString(res.Events[i].Data, "pkg: snippet")
	}
	res.Env = currentEnv()
	res.Env.GoVersion = r.goVersion()
	res.Env.Load = stopLoad()
	return res, nil
}

// benchHeader matches the configuration lines a test binary prints before
// its first result, and benchPass the PASS it ends with.
var (
	benchHeader = regexp.MustCompile(`^(goos|goarch|pkg|cpu): `)
	benchPass   = regexp.MustCompile(`^PASS$`)
)

// passEvents is one pass's output as a part of the whole: the
// configuration lines only in the first pass, PASS only in the last. A
// pass's standard output is one event (the stream's lines must be whole to
// be filtered); its standard error keeps its events.
func passEvents(evs []Event, first, last bool) []Event {
	var out []Event
	var stdout strings.Builder
	var delay time.Duration
	for _, e := range evs {
		if e.Stream != Stdout {
			out = append(out, e)
			continue
		}
		if stdout.Len() == 0 {
			delay = e.Delay
		}
		stdout.WriteString(e.Data)
	}
	var kept strings.Builder
	for _, line := range strings.SplitAfter(stdout.String(), "\n") {
		l := strings.TrimSuffix(line, "\n")
		if !first && benchHeader.MatchString(l) || !last && benchPass.MatchString(l) {
			continue
		}
		kept.WriteString(line)
	}
	if kept.Len() > 0 {
		out = append([]Event{{Stream: Stdout, Data: kept.String(), Delay: delay}}, out...)
	}
	return out
}

var benchPkgLine = regexp.MustCompile(`(?m)^pkg: snippet/p\d+$`)

// currentEnv is the environment stamp of a run made now.
func currentEnv() Env {
	return Env{
		GoVersion: runtime.Version(),
		GOOS:      runtime.GOOS,
		GOARCH:    runtime.GOARCH,
		CPU:       cpuModel(),
		NumCPU:    runtime.NumCPU(),
		RanAt:     time.Now().UTC().Truncate(time.Second),
		Machine:   MachineID(),
	}
}

var cpuModel = sync.OnceValue(func() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
})

// Oldest is when the oldest stored result used so far was produced.
func (r *Runner) Oldest() time.Time {
	if r.store == nil {
		return time.Time{}
	}
	return r.store.oldest()
}

// Prune deletes stored results that no program looked up since New.
func (r *Runner) Prune() (int, error) {
	if r.store == nil {
		return 0, nil
	}
	return r.store.prune()
}

// warmProgram imports what readers' and authors' programs most often do.
const warmProgram = `package main

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"time"
)

func main() {
	var mu sync.Mutex
	mu.Lock()
	s := []int{rand.IntN(3), 2, 1}
	sort.Ints(s)
	fmt.Println(strings.Repeat("ok", 1), s[0] >= 0, time.Duration(0))
	mu.Unlock()
}
`

// Warm builds and runs one small program, storing nothing, so that the
// next program does not pay for what only the first one on a machine or
// in a process pays: compiling the standard packages it imports the way
// programs are built (a Go build cache that never saw these flags takes
// seconds), and reading the sandbox's binary from disk. The playground
// server calls it when it starts, before its first reader.
func (r *Runner) Warm(ctx context.Context) error {
	if r.remote != nil || r.cfg.Frozen {
		return nil
	}
	if r.sandboxErr != nil {
		return r.sandboxErr
	}
	tc, err := r.toolchain()
	if err != nil {
		return err
	}
	if err := tc.prepare(ctx); err != nil {
		return err
	}
	root, err := os.MkdirTemp("", "benchpress-build-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(root)
	p := &Program{ID: "warm-up", Mode: ModeRun, Files: []File{{Name: "main.go", Data: []byte(warmProgram)}}}
	t := &task{prog: p}
	wait, err := r.buildAll(ctx, tc, root, []*task{t})
	if werr := wait(); err == nil {
		err = werr
	}
	if err != nil {
		return err
	}
	if t.job.bin == "" {
		return fmt.Errorf("warm-up program does not compile:\n%s", t.job.out)
	}
	res, err := r.execute(ctx, t)
	if err != nil {
		return err
	}
	if res.Status != StatusOK {
		return fmt.Errorf("warm-up program: %s\n%s", res.Status, res.Stderr())
	}
	return nil
}
