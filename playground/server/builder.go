package server

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/benchpress/benchpress/playground"
)

// The builder API (see playground/remote.go for the wire format) runs a
// site build's programs for a machine without the Linux sandbox. It is
// there only when Config.Builder is set, which `playground serve` does
// when playground.TokenEnv is: every request must carry that token. It
// has its own limits, apart from the reader API's: one request at a time
// (a request's ordinary programs run in parallel, its benchmarks alone
// after them, so two builds' benchmarks never disturb each other), a short
// queue, a body cap and caps on the limits a build may ask for.

// Builder configures the builder API.
type Builder struct {
	// Token is the secret every request must carry (required, at least
	// MinTokenLength bytes).
	Token string
	// Version is this benchpress's version, told to builds.
	Version string
	// Parallelism bounds the ordinary programs of a request run at once;
	// default: the base Runner's.
	Parallelism int
	// Queue bounds the requests waiting for their turn (default 16); more
	// get 429.
	Queue int
	// MaxBody caps a request (default 32 MiB).
	MaxBody int64
	// MaxPrograms caps the programs of one request (default 4096).
	MaxPrograms int
	// MaxTime bounds the time one request may keep the runner (default
	// DefaultBuilderMaxTime): its programs still running then are killed
	// and fail with a message saying so. Each program's own timeout is
	// capped too, but thousands of them would otherwise hold the runner,
	// and every build queued behind it, for as long as they add up to.
	MaxTime time.Duration
	// Caps are the largest limits a build may ask for; zero fields take
	// DefaultBuilderCaps'.
	Caps playground.Limits
	// CacheDir is the Go build and module cache of the Runners the API
	// makes (default: the playground's).
	CacheDir string
	// Log receives the Runners' warnings; nil discards them.
	Log io.Writer
}

// DefaultBuilderMaxTime is Builder.MaxTime's default: longer than any
// site's full cold build, shorter than a CI job's own limit.
const DefaultBuilderMaxTime = 2 * time.Hour

// MinTokenLength is the shortest token a runner accepts.
const MinTokenLength = 16

// DefaultBuilderCaps are the largest limits a build may ask of a runner
// by default: generous, since builds hold the token, but bounded, since a
// typo in a site's config must not take the machine.
var DefaultBuilderCaps = playground.Limits{
	Timeout:  playground.MaxTimeout,
	CPU:      playground.MaxTimeout,
	Memory:   8 << 30,
	Output:   64 << 20,
	Procs:    4096,
	NoFile:   4096,
	FileSize: 1 << 30,
	TmpSize:  1 << 30,
}

func (b *Builder) setDefaults() {
	if b.Queue <= 0 {
		b.Queue = 16
	}
	if b.MaxBody <= 0 {
		b.MaxBody = 32 << 20
	}
	if b.MaxPrograms <= 0 {
		b.MaxPrograms = 4096
	}
	if b.MaxTime <= 0 {
		b.MaxTime = DefaultBuilderMaxTime
	}
	c, d := &b.Caps, DefaultBuilderCaps
	c.Timeout = cmpOr(c.Timeout, d.Timeout)
	c.CPU = cmpOr(c.CPU, d.CPU)
	c.Memory = cmpOr(c.Memory, d.Memory)
	c.Output = cmpOr(c.Output, d.Output)
	c.Procs = cmpOr(c.Procs, d.Procs)
	c.NoFile = cmpOr(c.NoFile, d.NoFile)
	c.FileSize = cmpOr(c.FileSize, d.FileSize)
	c.TmpSize = cmpOr(c.TmpSize, d.TmpSize)
	if b.Log == nil {
		b.Log = io.Discard
	}
}

func cmpOr[T int | int64 | time.Duration](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}

// builder serves the builder API.
type builder struct {
	cfg       Builder
	tokenHash [32]byte
	gate      *gate
	base      *playground.Runner

	mu      sync.Mutex
	runners map[string]*playground.Runner // by limits and modules
}

func newBuilder(cfg Builder) (*builder, error) {
	if len(cfg.Token) < MinTokenLength {
		return nil, fmt.Errorf("%s is shorter than %d characters: use a long random one, e.g. `openssl rand -hex 24`", playground.TokenEnv, MinTokenLength)
	}
	cfg.setDefaults()
	base, err := playground.New(playground.Config{Sandbox: "linux", Parallelism: cfg.Parallelism, CacheDir: cfg.CacheDir, Log: cfg.Log})
	if err != nil {
		return nil, err
	}
	b := &builder{cfg: cfg, tokenHash: sha256.Sum256([]byte(cfg.Token)), base: base, runners: map[string]*playground.Runner{}}
	b.cfg.Token = ""           // compared through its hash only
	info, _ := base.Describe() // why it cannot run is told to builds
	b.cfg.Parallelism = info.Parallelism
	b.gate = newGate(1, b.cfg.Queue)
	return b, nil
}

// authorized compares the request's bearer token with the runner's in
// constant time (of hashes, so not even the length leaks).
func (b *builder) authorized(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return false
	}
	h := sha256.Sum256([]byte(tok))
	return subtle.ConstantTimeCompare(h[:], b.tokenHash[:]) == 1
}

// builderFail answers a builder request with an error.
func builderFail(w http.ResponseWriter, code int, msg string) {
	note(w, slog.String("refused", msg))
	writeJSON(w, code, playground.RemoteError{Error: msg})
}

// absent answers the builder API's paths on a server without it.
func builderAbsent(w http.ResponseWriter, r *http.Request) {
	builderFail(w, http.StatusNotFound, "this playground server offers no builder API: start it with "+playground.TokenEnv+" set (to the token builds use) to run builds' programs")
}

// guard checks what every builder request needs: no browser, the method
// and the token. It returns false when it has answered.
func (b *builder) guard(w http.ResponseWriter, r *http.Request, method string) bool {
	if r.Header.Get("Origin") != "" {
		// A browser: the builder API is for builds, never for pages.
		builderFail(w, http.StatusForbidden, "the builder API does not answer browsers")
		return false
	}
	if r.Method != method {
		w.Header().Set("Allow", method)
		builderFail(w, http.StatusMethodNotAllowed, "use "+method)
		return false
	}
	if !b.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="benchpress runner"`)
		builderFail(w, http.StatusUnauthorized, "wrong or missing token: set "+playground.TokenEnv+" to the token the runner was started with")
		return false
	}
	return true
}

// info is GET /builder/v1/info.
func (b *builder) info(w http.ResponseWriter, r *http.Request) {
	if !b.guard(w, r, http.MethodGet) {
		return
	}
	info, err := b.base.Describe()
	if err != nil {
		note(w, slog.String("error", err.Error()))
		builderFail(w, http.StatusServiceUnavailable, "this runner cannot run programs: "+err.Error())
		return
	}
	info.Benchpress = b.cfg.Version
	info.Parallelism = b.cfg.Parallelism
	info.MaxBody = b.cfg.MaxBody
	writeJSON(w, http.StatusOK, info)
}

// run is POST /builder/v1/run.
func (b *builder) run(w http.ResponseWriter, r *http.Request) {
	if !b.guard(w, r, http.MethodPost) {
		return
	}
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(time.Now().Add(5 * time.Minute)) // a large request on a slow link
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, b.cfg.MaxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			builderFail(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request larger than %d bytes: send fewer programs at once", b.cfg.MaxBody))
			return
		}
		builderFail(w, http.StatusBadRequest, "reading the request: "+err.Error())
		return
	}
	var req playground.RemoteRequest
	if err := json.Unmarshal(data, &req); err != nil {
		builderFail(w, http.StatusBadRequest, "bad request: "+err.Error())
		return
	}
	if req.Protocol != playground.RemoteProtocol || req.Schema != playground.WireSchema() {
		builderFail(w, http.StatusConflict, fmt.Sprintf("this runner (benchpress %s) speaks builder protocol %d, schema %s; the build sent protocol %d, schema %s: run the same benchpress version on both",
			orDevel(b.cfg.Version), playground.RemoteProtocol, playground.WireSchema(), req.Protocol, req.Schema))
		return
	}
	if err := b.check(&req); err != nil {
		builderFail(w, http.StatusBadRequest, err.Error())
		return
	}
	note(w, slog.Int("programs", len(req.Programs)))
	release, err := b.gate.enter(r.Context())
	switch {
	case errors.Is(err, errBusy):
		w.Header().Set("Retry-After", strconv.Itoa(seconds(b.gate.retryAfter())))
		builderFail(w, http.StatusTooManyRequests, fmt.Sprintf("this runner has %d builds waiting already: try again later", b.cfg.Queue))
		return
	case errors.Is(err, errDraining):
		builderFail(w, http.StatusServiceUnavailable, "this runner is shutting down")
		return
	case err != nil:
		note(w, slog.String("refused", "client gone"))
		w.WriteHeader(499)
		return
	}
	start := time.Now()
	defer func() { release(time.Since(start)) }()
	// The server's write timeout is the reader API's: a build's programs
	// may take longer, bounded by their own limits and the request's
	// time budget.
	rc.SetWriteDeadline(time.Now().Add(min(playground.RemoteDeadline(req.Programs, req.Limits, b.cfg.Parallelism), b.cfg.MaxTime+time.Minute)))
	runner, err := b.runner(&req)
	if err != nil {
		note(w, slog.String("error", err.Error()))
		builderFail(w, http.StatusInternalServerError, err.Error())
		return
	}
	budget, cancel := context.WithTimeout(r.Context(), b.cfg.MaxTime)
	defer cancel()
	results, errs := runner.RunAll(budget, req.Programs, nil)
	if r.Context().Err() != nil {
		note(w, slog.String("outcome", "client gone"))
		w.WriteHeader(499)
		return
	}
	resp := playground.RemoteResponse{Protocol: playground.RemoteProtocol, Results: results, Errors: make([]string, len(errs))}
	failed, cut := 0, 0
	for i, err := range errs {
		if err != nil && budget.Err() != nil && (errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)) {
			err = fmt.Errorf("%s: stopped: this runner gives a request at most %v (--builder-max-time), and the request's programs took longer: split the build's programs over more requests or shards, or raise the runner's limit", req.Programs[i].ID, b.cfg.MaxTime)
			cut++
		}
		if err != nil {
			resp.Errors[i] = err.Error()
			failed++
		}
	}
	if cut > 0 {
		note(w, slog.Int("over_budget", cut))
	}
	note(w, slog.Float64("run_ms", msSince(start)), slog.Int("failed", failed))
	writeJSON(w, http.StatusOK, resp)
}

func orDevel(v string) string {
	if v == "" {
		return "(devel)"
	}
	return v
}

// check refuses a request the runner will not run: too many programs,
// limits over its caps, a go.mod that would build local files into a
// program.
func (b *builder) check(req *playground.RemoteRequest) error {
	if n := len(req.Programs); n == 0 || n > b.cfg.MaxPrograms {
		return fmt.Errorf("%d programs: send 1 to %d at once", n, b.cfg.MaxPrograms)
	}
	lim, c := req.Limits.WithDefaults(), b.cfg.Caps
	for _, l := range []struct {
		name      string
		got, most int64
	}{
		{"timeout", int64(lim.Timeout), int64(c.Timeout)},
		{"CPU time", int64(lim.CPU), int64(c.CPU)},
		{"memory", lim.Memory, c.Memory},
		{"output", lim.Output, c.Output},
		{"processes", int64(lim.Procs), int64(c.Procs)},
		{"open files", int64(lim.NoFile), int64(c.NoFile)},
		{"file size", lim.FileSize, c.FileSize},
		{"tmp size", lim.TmpSize, c.TmpSize},
	} {
		if l.got > l.most {
			return fmt.Errorf("the build's %s limit (%d) is over this runner's cap (%d): lower it in config.yaml's playground section", l.name, l.got, l.most)
		}
	}
	for i := range req.Programs {
		if t := req.Programs[i].Timeout; t > c.Timeout {
			return fmt.Errorf("%s: timeout %v is over this runner's cap of %v", req.Programs[i].ID, t, c.Timeout)
		}
	}
	if len(req.GoMod) > 0 {
		line, dir, err := playground.LocalReplace(req.GoMod)
		if err != nil {
			return err
		}
		if line > 0 {
			return fmt.Errorf("go.mod:%d: replace with a local directory (%s) is not allowed", line, dir)
		}
	}
	return nil
}

// maxRunners bounds the Runners kept for distinct limits and modules.
const maxRunners = 16

// runner returns a Runner for the request's limits and modules, writing
// the modules into the cache once.
func (b *builder) runner(req *playground.RemoteRequest) (*playground.Runner, error) {
	sum := sha256.Sum256(append(append(append([]byte{}, req.GoMod...), 0), req.GoSum...))
	mods := hex.EncodeToString(sum[:12])
	lim := req.Limits.WithDefaults()
	key := fmt.Sprintf("%s %+v", mods, lim)
	b.mu.Lock()
	defer b.mu.Unlock()
	if r := b.runners[key]; r != nil {
		return r, nil
	}
	cfg := playground.Config{Sandbox: "linux", Limits: lim, Parallelism: b.cfg.Parallelism, CacheDir: b.cfg.CacheDir, Log: b.cfg.Log}
	if req.GoMod != nil {
		dir, err := b.modulesDir(mods, req.GoMod, req.GoSum)
		if err != nil {
			return nil, err
		}
		cfg.Modules = dir
	}
	r, err := playground.New(cfg)
	if err != nil {
		return nil, err
	}
	if len(b.runners) >= maxRunners {
		for k := range b.runners {
			delete(b.runners, k) // any one: rebuilding a Runner is cheap
			break
		}
	}
	b.runners[key] = r
	return r, nil
}

// modulesDir writes a build's go.mod and go.sum into a directory of their
// own under the cache, named by their hash.
func (b *builder) modulesDir(name string, mod, sum []byte) (string, error) {
	root := b.cfg.CacheDir
	if root == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			dir = os.TempDir()
		}
		root = filepath.Join(dir, "benchpress")
	}
	dir := filepath.Join(root, "builder-modules", name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("runner cache: %v", err)
	}
	for _, f := range []struct {
		name string
		data []byte
	}{{"go.mod", mod}, {"go.sum", sum}} {
		if err := os.WriteFile(filepath.Join(dir, f.name), f.data, 0o600); err != nil {
			return "", fmt.Errorf("runner cache: %v", err)
		}
	}
	return dir, nil
}

// drain turns queued builder requests away when the server shuts down.
func (b *builder) drain() { b.gate.drain() }
