package playground

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/benchpress/benchpress/internal/benchstats"
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

	// prestartN is how many runs prestart prepares; 0: Parallelism.
	prestartN int

	// builds and execs count go commands and program runs, for tests and
	// benchmarks; prestarts counts the sandboxes prestart began to start,
	// prepared the runs that executed in one.
	builds, execs, prestarts, prepared int
	mu                                 sync.Mutex
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

func (r *Runner) countBuild() {
	r.mu.Lock()
	r.builds++
	r.mu.Unlock()
}
