package playground

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/benchpress/benchpress/internal/phasetrace"
)

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
	// pre is the program's run prepared while it builds (see prestart),
	// until it executes or is aborted.
	pre *run
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
	a := &runAll{results: make([]Result, len(progs)), errs: make([]error, len(progs)), total: len(progs), progress: progress}
	if r.remote != nil && !r.cfg.Frozen {
		// The keys hold the runner's Go version: ask it first.
		if err := r.remote.handshake(ctx); err != nil {
			for i := range a.errs {
				a.errs[i] = err
				a.report(1, progs[i].ID, nil, err) // each program's line names it
			}
			return a.results, a.errs
		}
	}
	todo := r.plan(ctx, progs, a)
	if len(todo) == 0 {
		return a.results, a.errs
	}
	finish := func(t *task) { r.finish(ctx, a, t) }
	if r.remote != nil {
		if err := r.runRemote(ctx, todo, finish); err != nil {
			for _, t := range todo {
				if !t.done {
					t.err = err
					finish(t)
				}
			}
		}
		return a.results, a.errs
	}
	if err := r.runLocal(ctx, todo, finish); err != nil {
		for _, t := range todo {
			t.err = err
			a.set(t)
		}
	}
	return a.results, a.errs
}

// runAll is what one RunAll call returns, filled in as programs end, and
// its progress reports.
type runAll struct {
	results  []Result
	errs     []error
	total    int
	progress func(Progress)
	mu       sync.Mutex
	done     int
}

// set gives every program of t its result.
func (a *runAll) set(t *task) {
	for _, i := range t.idx {
		a.results[i], a.errs[i] = t.res, t.err
	}
}

// report tells the caller's progress function that n more programs ended.
func (a *runAll) report(n int, id string, res *Result, err error) {
	if a.progress == nil {
		return
	}
	// Under the lock: callers' progress functions (a terminal line) are
	// not safe for concurrent use, and counts must not go back.
	a.mu.Lock()
	defer a.mu.Unlock()
	a.done += n
	p := Progress{Done: a.done, Total: a.total, ID: id, Err: err}
	if err == nil {
		p.Result = res
	}
	a.progress(p)
}

// plan looks every program up (a warm build is nothing but lookups:
// hashing, reading and decoding one stored entry per program, on every
// core) and returns the tasks that must run; identical programs make one
// task. The others' results are set and reported.
func (r *Runner) plan(ctx context.Context, progs []Program, a *runAll) []*task {
	looks := make([]lookup, len(progs))
	endLookup := phasetrace.Begin(ctx, "lookup")
	r.lookupAll(progs, looks)
	endLookup()
	var tasks, todo []*task
	byKey := map[string]*task{}
	for i := range progs {
		p, l := &progs[i], &looks[i]
		if l.err != nil {
			a.errs[i] = l.err
			a.report(1, p.ID, nil, l.err)
			continue
		}
		if t := byKey[l.key]; t != nil {
			t.idx = append(t.idx, i)
			continue
		}
		t := &task{prog: p, key: l.key, inputs: l.inputs, idx: []int{i}}
		byKey[l.key] = t
		tasks = append(tasks, t)
		r.resolve(t, l)
		if !t.done {
			todo = append(todo, t)
		}
	}
	if !r.cfg.Shard.IsZero() {
		todo = r.shardTodo(todo, looks)
	}
	for _, t := range tasks {
		if t.done {
			a.set(t)
			a.report(len(t.idx), t.prog.ID, &t.res, t.err)
		}
	}
	return todo
}

// resolve decides from its lookup whether t must run, and why: it is done
// when its stored result serves, or when it cannot run under --frozen.
func (r *Runner) resolve(t *task, l *lookup) {
	rerun := r.cfg.Rerun != nil && r.cfg.Rerun(t.prog.ID)
	switch {
	case r.store == nil:
		t.reason = "no results store"
	case l.stored != nil && !rerun:
		t.res = l.stored.Result.result()
		t.res.Limits = r.limitsFor(t.prog)
		t.res.Cached = true
		t.done = true
		return
	case l.stored != nil:
		t.reason = "--rerun"
	default:
		t.reason = l.why
	}
	if r.cfg.Frozen {
		t.err = fmt.Errorf("no stored result for this snippet and the build is --frozen (%s): build once without --frozen and commit %s", t.reason, r.cfg.Results)
		t.done = true
	}
}

// finish completes a task that ran: its result is stored (when it may be)
// and set for every program it stands for, and reported.
func (r *Runner) finish(ctx context.Context, a *runAll, t *task) {
	if t.err == nil {
		// The store keeps microseconds: a fresh result is cut to them
		// too, so that a page renders the same from either.
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
	a.set(t)
	a.report(len(t.idx), t.prog.ID, &t.res, t.err)
}

// runLocal builds and runs the tasks on this machine, finishing each. An
// error is a fault that fails every task still to run (none is finished
// then).
func (r *Runner) runLocal(ctx context.Context, todo []*task, finish func(*task)) error {
	tc, root, err := r.buildRoot(ctx)
	if err != nil {
		return err
	}
	defer os.RemoveAll(root)
	// A build that fails or is cancelled stops the sandboxes still to
	// start: none is started only to be killed.
	pctx, stopPrestart := context.WithCancel(ctx)
	prestarted := r.prestart(pctx, todo)
	// Whatever prepared run is left (a build failed or was cancelled) is
	// killed and reaped before RunAll returns.
	defer func() {
		stopPrestart()
		<-prestarted
		abortPrestarted(todo)
	}()
	waitBench, err := r.buildAll(ctx, tc, root, todo)
	if err != nil {
		waitBench()
		return err
	}
	<-prestarted
	r.runBuilt(ctx, todo, waitBench, finish)
	return nil
}

// buildRoot readies the toolchain (the site's modules downloaded) and
// makes the temporary directory that builds work in, which the caller
// removes; it fails at once where programs cannot run.
func (r *Runner) buildRoot(ctx context.Context) (*toolchain, string, error) {
	if r.sandboxErr != nil {
		return nil, "", r.sandboxErr
	}
	tc, err := r.toolchain()
	if err != nil {
		return nil, "", err
	}
	if err := tc.prepare(ctx); err != nil {
		return nil, "", err
	}
	root, err := os.MkdirTemp("", "benchpress-build-")
	if err != nil {
		return nil, "", err
	}
	// The programs are built under root and executed from there: on a
	// noexec mount every exec fails, which the sandbox would otherwise
	// report as its own setup failing. Said before anything compiles.
	if err := noexecError("the temporary directory "+os.TempDir()+" (TMPDIR)", root, -1); err != nil {
		os.RemoveAll(root)
		return nil, "", err
	}
	return tc, root, nil
}

// prestart prepares the runs of the first programs to run (as many as run
// at once; benchmarks never: they run last, alone) before they are built:
// their sandboxes set themselves up while the compiler works, and take the
// binary when it is there. It is the time of two starts of this binary,
// the sandbox's stages, taken off every code edit's wait. A run that
// cannot be prepared now is prepared when it executes, as any other.
// The sandboxes start on a goroutine of their own (each start is a clone
// and an exec, about 20 ms), so the build does not wait for them; the
// returned channel is closed once they have, and the tasks' pre fields
// are theirs until then. Once ctx is done no more start.
func (r *Runner) prestart(ctx context.Context, todo []*task) <-chan struct{} {
	done := make(chan struct{})
	n := r.prestartN
	if n == 0 {
		n = r.cfg.Parallelism
	}
	var mine []*task
	for _, t := range todo {
		if len(mine) < n && t.prog.Mode == ModeRun {
			mine = append(mine, t)
		}
	}
	if r.cfg.Sandbox != "linux" || len(mine) == 0 {
		// A bare run has nothing to set up.
		close(done)
		return done
	}
	go func() {
		defer close(done)
		for _, t := range mine {
			r.mu.Lock()
			stopped := ctx.Err() != nil
			if !stopped {
				r.prestarts++
			}
			r.mu.Unlock()
			if stopped {
				return
			}
			x, err := prepareRun(ctx, true, runArgv(t.prog), t.prog.Stdin, r.limitsFor(t.prog))
			if err != nil {
				return
			}
			t.pre = x
		}
	}()
	return done
}

// abortPrestarted aborts the tasks' prepared runs that did not execute.
func abortPrestarted(tasks []*task) {
	for _, t := range tasks {
		if t.pre != nil {
			t.pre.abort()
			t.pre = nil
		}
	}
}

// runBuilt runs the built tasks: ordinary programs in parallel as soon as
// they are built, while the benchmark batch may still compile; benchmarks
// alone, one at a time, once everything else is done.
func (r *Runner) runBuilt(ctx context.Context, todo []*task, waitBench func() error, finish func(*task)) {
	var runs, benches []*task
	place := func(t *task) {
		if t.job.bin == "" {
			abortPrestarted([]*task{t})
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
	res, err := r.executeOnce(ctx, t, runArgv(p), r.limitsFor(p))
	if err != nil {
		return res, err
	}
	res.Env = currentEnv()
	res.Env.GoVersion = r.goVersion()
	return res, nil
}

// runArgv is a program's argv.
func runArgv(p *Program) []string { return append([]string{"main"}, p.Args...) }

// executeOnce runs the task's binary once with argv under lim, in its
// prepared run if it has one (prepared with the same argv and limits).
func (r *Runner) executeOnce(ctx context.Context, t *task, argv []string, lim Limits) (Result, error) {
	x := t.pre
	t.pre = nil
	r.mu.Lock()
	r.execs++
	if x != nil {
		r.prepared++
	}
	r.mu.Unlock()
	var err error
	if x == nil {
		x, err = prepareRun(ctx, r.cfg.Sandbox == "linux", argv, t.prog.Stdin, lim)
	}
	var res Result
	if err == nil {
		res, err = x.execute(ctx, t.job.bin)
	}
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return res, err
		}
		// Only a sandbox the kernel cannot set up earns the advice to turn
		// it off; anything else (an *envError: the machine's or the
		// request's fault, which turning the sandbox off would not cure)
		// is reported as it is.
		var se *setupError
		if r.cfg.Sandbox == "linux" && errors.As(err, &se) {
			return res, noSandboxError(err)
		}
		return res, err
	}
	return res, nil
}
