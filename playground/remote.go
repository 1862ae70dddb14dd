package playground

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"time"
)

// The builder API lets a build on a machine without the Linux sandbox (or
// one that wants a quieter machine for its benchmarks) run its programs on
// a runner: `benchpress playground serve` on Linux, started with
// TokenEnv set. The build still does every results-store lookup itself;
// only the programs that must run travel, and their results are stored as
// a local run's would be, under the key a build on the runner would
// compute (the runner's Go version and platform, the build's own limits
// and modules), so a store is shared between the two.
//
// The wire format is JSON over HTTP, bearer-token authenticated:
//
//	GET  /builder/v1/info -> RemoteInfo
//	POST /builder/v1/run  RemoteRequest -> RemoteResponse
//
// Any other answer is an error with a body {"Error": "what is wrong"}.
// Programs and Results travel whole (encoding/json of the types), so a
// field added to them travels without a change here; WireSchema, a hash of
// their shape, tells a build and a runner of different benchpress versions
// apart before anything runs.

// TokenEnv names the environment variable holding the token a build and
// its runner share. It is never read from config.yaml, which a site
// commits.
const TokenEnv = "BENCHPRESS_RUNNER_TOKEN"

// RunnerURLEnv names the environment variable that vouches for a runner
// that is not on this machine. A site's config.yaml names the runner, and a
// site is untrusted input: a build sends the token only to a runner on
// loopback, or to the one whose origin (scheme, host and port) this
// variable gives, so a hostile config.yaml cannot collect the token.
const RunnerURLEnv = "BENCHPRESS_RUNNER_URL"

// maxRunnerParallelism bounds what a runner may say of its parallelism: a
// build sizes its batches by it.
const maxRunnerParallelism = 1024

// RemoteProtocol is the version of the builder API's requests and
// answers; it changes with their meaning, WireSchema with their shape.
const RemoteProtocol = 1

// Remote is where a Runner with Sandbox "remote" sends its programs.
type Remote struct {
	URL   string // the runner, e.g. http://127.0.0.1:8091/
	Token string // TokenEnv's value
	// Vouched is RunnerURLEnv's value: the origin of a runner off this
	// machine that may receive the token.
	Vouched string
	// Version is this benchpress's version, for messages about a runner
	// of another version.
	Version string
	// Client makes the requests; nil: a client of its own.
	Client *http.Client
}

// RemoteInfo is the runner's answer to GET /builder/v1/info: what a build
// needs to compute the keys of the runner's results and to talk to it.
type RemoteInfo struct {
	Protocol   int
	Schema     string // WireSchema of the runner
	Benchpress string // the runner's benchpress version
	Go         string // the Go version programs are built with
	Platform   string // GOOS/GOARCH they run on
	Sandbox    string // always "linux"
	Runner     string // RunnerVersion
	Machine    string // MachineID of the runner
	// Parallelism is how many programs the runner runs at once; MaxBody
	// the largest request it takes.
	Parallelism int
	MaxBody     int64
}

// RemoteRequest is the body of POST /builder/v1/run: programs to run with
// the build's limits and modules. The runner builds and runs them as
// Runner.RunAll does (ordinary programs in parallel, benchmarks alone
// after them) and keeps nothing.
type RemoteRequest struct {
	Protocol int
	Schema   string
	Limits   Limits
	// GoMod and GoSum are the site's playground.modules files; nil: the
	// standard library only.
	GoMod, GoSum []byte
	Programs     []Program
}

// RemoteResponse is the runner's answer to a RemoteRequest: Results[i]
// and Errors[i] ("" for none: an infrastructure fault on the runner) for
// Programs[i].
type RemoteResponse struct {
	Protocol int
	Results  []Result
	Errors   []string
}

// RemoteError is the body of every answer of the builder API that is not
// a success.
type RemoteError struct {
	Error string
}

// WireSchema is a short hash of the shape of what the builder API sends:
// the names, JSON names and types of every field of RemoteRequest and
// RemoteResponse, recursively. Two benchpress versions whose Programs or
// Results differ have different schemas.
var WireSchema = sync.OnceValue(func() string {
	var b strings.Builder
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
			if t.Kind() == reflect.Map {
				walk(t.Key())
			}
			t = t.Elem()
		}
		b.WriteString(t.String())
		if t.Kind() != reflect.Struct || seen[t] || t.PkgPath() == "time" {
			b.WriteByte(';')
			return
		}
		seen[t] = true
		b.WriteByte('{')
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			fmt.Fprintf(&b, "%s %q ", f.Name, f.Tag.Get("json"))
			walk(f.Type)
		}
		b.WriteString("};")
	}
	walk(reflect.TypeFor[RemoteRequest]())
	walk(reflect.TypeFor[RemoteResponse]())
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:6])
})

// Describe is what a runner built on r reports to builds: its Go version,
// platform and sandbox, or why it cannot run programs.
func (r *Runner) Describe() (RemoteInfo, error) {
	info := RemoteInfo{
		Protocol: RemoteProtocol, Schema: WireSchema(), Platform: runtime.GOOS + "/" + runtime.GOARCH,
		Sandbox: r.cfg.Sandbox, Runner: RunnerVersion, Machine: MachineID(), Parallelism: r.cfg.Parallelism,
	}
	if r.remote != nil {
		return info, errors.New("a runner cannot itself be remote")
	}
	if r.sandboxErr != nil {
		return info, r.sandboxErr
	}
	tc, err := r.toolchain()
	if err != nil {
		return info, err
	}
	info.Go = tc.version
	return info, nil
}

// remote is a Runner's connection to its runner.
type remote struct {
	cfg    Remote
	base   *url.URL
	client *http.Client
	goMod  []byte
	goSum  []byte

	mu   sync.Mutex
	info *RemoteInfo // from this build's handshake
}

func newRemote(cfg Remote, modules string, log io.Writer) (*remote, error) {
	u, err := url.Parse(cfg.URL)
	if cfg.URL == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("sandbox remote needs the runner's http(s) URL (playground.runner in config.yaml), e.g. http://127.0.0.1:8091/; got %q", cfg.URL)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	rm := &remote{cfg: cfg, base: u, client: cfg.Client}
	if rm.client == nil {
		rm.client = &http.Client{}
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		fmt.Fprintf(log, "benchpress: WARNING: playground.runner %s is plain http to another machine: the token and the snippets travel unencrypted (put the runner behind https or an SSH tunnel)\n", u.Redacted())
	}
	if modules != "" {
		if rm.goMod, err = os.ReadFile(filepath.Join(modules, "go.mod")); err != nil {
			return nil, fmt.Errorf("playground.modules: %v", err)
		}
		rm.goSum, _ = os.ReadFile(filepath.Join(modules, "go.sum"))
	}
	return rm, nil
}

// mayReceiveToken says why the token must not go to this runner: one off
// this machine that RunnerURLEnv does not name.
func (rm *remote) mayReceiveToken() error {
	if isLoopback(rm.base.Hostname()) {
		return nil
	}
	if v, err := url.Parse(rm.cfg.Vouched); err == nil && sameOrigin(v, rm.base) {
		return nil
	}
	return fmt.Errorf("%s is not on this machine, and %s does not name it: a build sends %s only to a runner on loopback or to the one %s names, so a site's config.yaml cannot send the token elsewhere. If you trust this runner, set %s=%s://%s beside the token",
		rm.where(), RunnerURLEnv, TokenEnv, RunnerURLEnv, RunnerURLEnv, rm.base.Scheme, rm.base.Host)
}

// sameOrigin reports whether a and b have one scheme, host and port.
func sameOrigin(a, b *url.URL) bool {
	port := func(u *url.URL) string {
		if p := u.Port(); p != "" {
			return p
		}
		if strings.EqualFold(u.Scheme, "https") {
			return "443"
		}
		return "80"
	}
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) && port(a) == port(b)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// where names the runner in messages.
func (rm *remote) where() string { return "the runner at " + rm.base.Redacted() }

// handshake asks the runner, once per RunAll, what it runs programs with,
// and checks that it can run this build's programs. A build whose every
// result is stored still asks: the keys hold the runner's Go version.
func (rm *remote) handshake(ctx context.Context) error {
	if rm.cfg.Token == "" {
		return fmt.Errorf("playground.sandbox is remote, but %s is not set: set it to the token %s was started with (it is never read from config.yaml), or build with --frozen to render stored results only", TokenEnv, rm.where())
	}
	if err := rm.mayReceiveToken(); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var info RemoteInfo
	if err := rm.call(ctx, http.MethodGet, "builder/v1/info", nil, &info); err != nil {
		return err
	}
	switch {
	case info.Protocol != RemoteProtocol || info.Schema != WireSchema() || info.Runner != RunnerVersion:
		return fmt.Errorf("%s runs benchpress %s (builder protocol %d, schema %s, runner %s) and this build benchpress %s (protocol %d, schema %s, runner %s): run the same benchpress version on both",
			rm.where(), orUnknown(info.Benchpress), info.Protocol, info.Schema, info.Runner, orUnknown(rm.cfg.Version), RemoteProtocol, WireSchema(), RunnerVersion)
	case info.Sandbox != "linux":
		return fmt.Errorf("%s does not run programs in the Linux sandbox (it says %q): start it on Linux with the sandbox", rm.where(), info.Sandbox)
	case info.Go == "" || info.Platform == "":
		return fmt.Errorf("%s did not say its Go version and platform", rm.where())
	case info.Parallelism < 0 || info.Parallelism > maxRunnerParallelism:
		return fmt.Errorf("%s says it runs %d programs at once (at most %d): is it a benchpress runner?", rm.where(), info.Parallelism, maxRunnerParallelism)
	}
	rm.mu.Lock()
	rm.info = &info
	rm.mu.Unlock()
	return nil
}

func orUnknown(s string) string {
	if s == "" {
		return "(unknown version)"
	}
	return s
}

// current is the handshake's answer, or nil before one succeeded.
func (rm *remote) current() *RemoteInfo {
	rm.mu.Lock()
	defer rm.mu.Unlock()
	return rm.info
}

// call makes one request of the builder API and decodes its answer into
// out. Every error names the runner and says what to do; none holds the
// token.
func (rm *remote) call(ctx context.Context, method, path string, body []byte, out any) error {
	u := rm.base.ResolveReference(&url.URL{Path: path})
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return fmt.Errorf("%s: %v", rm.where(), err)
	}
	req.Header.Set("Authorization", "Bearer "+rm.cfg.Token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := rm.client.Do(req)
	if err != nil {
		switch {
		case ctx.Err() == context.Canceled:
			return ctx.Err()
		case ctx.Err() == context.DeadlineExceeded:
			return fmt.Errorf("%s did not answer in time (it may be stuck, or busy with other builds): check its log, or build with --frozen to render stored results only", rm.where())
		}
		return fmt.Errorf("cannot reach %s (%v): start it (`benchpress playground serve` on Linux with %s set, or the container in the README's Platforms section), check playground.runner in config.yaml, or build with --frozen to render stored results only", rm.where(), unwrapURLError(err), TokenEnv)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<30))
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("%s did not finish answering in time: %v", rm.where(), ctx.Err())
		}
		return fmt.Errorf("reading the answer of %s: %v", rm.where(), unwrapURLError(err))
	}
	if resp.StatusCode != http.StatusOK {
		var e RemoteError
		msg := ""
		if json.Unmarshal(data, &e) == nil && e.Error != "" {
			msg = e.Error
		}
		switch {
		case resp.StatusCode == http.StatusUnauthorized:
			return fmt.Errorf("%s refused this build's token: set %s to the token the runner was started with", rm.where(), TokenEnv)
		case msg != "":
			return fmt.Errorf("%s: %s", rm.where(), msg)
		case resp.StatusCode == http.StatusNotFound:
			return fmt.Errorf("%s has no builder API (HTTP 404): is it `benchpress playground serve` started with %s set, of the same benchpress version as this build?", rm.where(), TokenEnv)
		}
		return fmt.Errorf("%s answered HTTP %d: %s", rm.where(), resp.StatusCode, firstLine(data))
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s sent an answer this build cannot read (%v): run the same benchpress version on both", rm.where(), err)
	}
	return nil
}

// unwrapURLError drops *url.Error's "Get URL:" prefix: the message names
// the runner already.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func firstLine(b []byte) string {
	s, _, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}

// remoteMargin is what a build allows, beyond the runner's own limits, for
// the network and the runner's bookkeeping.
const remoteMargin = time.Minute

// RemoteDeadline is the longest a runner with parallelism par may take to
// answer a request for progs under lim: a compile per mode, the ordinary
// programs in rounds of par, every benchmark alone.
func RemoteDeadline(progs []Program, lim Limits, par int) time.Duration {
	par = max(par, 1)
	r := &Runner{limits: lim.WithDefaults()}
	var longest, benches time.Duration
	runs := 0
	for i := range progs {
		t := r.limitsFor(&progs[i]).Timeout
		if progs[i].Mode == ModeBench {
			benches += t
		} else {
			runs++
			longest = max(longest, t)
		}
	}
	rounds := time.Duration((runs + par - 1) / par)
	return 2*compileTimeout + rounds*longest + benches + remoteMargin
}

// runRemote sends the tasks to the runner and finishes each with its
// result: ordinary programs in batches (progress as each batch returns),
// then every benchmark in one request, which the runner runs one at a
// time as a local build does.
func (r *Runner) runRemote(ctx context.Context, todo []*task, finish func(*task)) error {
	info := r.remote.current()
	var runs, benches []*task
	for _, t := range todo {
		if t.prog.Mode == ModeBench {
			benches = append(benches, t)
		} else {
			runs = append(runs, t)
		}
	}
	batch := 4 * max(info.Parallelism, 1)
	for len(runs) > 0 {
		n := min(batch, len(runs))
		if err := r.sendRemote(ctx, runs[:n], info, finish); err != nil {
			return err
		}
		runs = runs[n:]
	}
	if len(benches) > 0 {
		return r.sendRemote(ctx, benches, info, finish)
	}
	return nil
}

// sendRemote runs tasks on the runner, splitting them when the request
// would be larger than it takes.
func (r *Runner) sendRemote(ctx context.Context, tasks []*task, info *RemoteInfo, finish func(*task)) error {
	req := RemoteRequest{Protocol: RemoteProtocol, Schema: WireSchema(), Limits: r.limits, GoMod: r.remote.goMod, GoSum: r.remote.goSum}
	for _, t := range tasks {
		req.Programs = append(req.Programs, *t.prog)
	}
	body, err := json.Marshal(&req)
	if err != nil {
		return err
	}
	if info.MaxBody > 0 && int64(len(body)) > info.MaxBody {
		if len(tasks) == 1 {
			return fmt.Errorf("%s takes requests of at most %d bytes and this program needs %d: make it smaller, or start the runner with a larger --builder-max-body", r.remote.where(), info.MaxBody, len(body))
		}
		half := len(tasks) / 2
		if err := r.sendRemote(ctx, tasks[:half], info, finish); err != nil {
			return err
		}
		return r.sendRemote(ctx, tasks[half:], info, finish)
	}
	cctx, cancel := context.WithTimeout(ctx, RemoteDeadline(req.Programs, r.limits, info.Parallelism))
	defer cancel()
	var resp RemoteResponse
	if err := r.remote.call(cctx, http.MethodPost, "builder/v1/run", body, &resp); err != nil {
		return err
	}
	if len(resp.Results) != len(tasks) || len(resp.Errors) != len(tasks) {
		return fmt.Errorf("%s answered %d results for %d programs: run the same benchpress version on both", r.remote.where(), len(resp.Results), len(tasks))
	}
	for i, t := range tasks {
		t.res = resp.Results[i]
		if msg := resp.Errors[i]; msg != "" {
			t.err = fmt.Errorf("%s: %s", r.remote.where(), msg)
		}
		t.done = true
		finish(t)
	}
	return nil
}

// keyPlatform and keySandbox are the platform and sandbox in the keys of
// this Runner's results: the runner's, for a remote Runner, so its results
// are the ones a build on the runner would store. A frozen build needs no
// runner: its lookups ignore Go version and platform.
func (r *Runner) keyPlatform() string {
	if r.remote != nil {
		if info := r.remote.current(); info != nil {
			return info.Platform
		}
	}
	return runtime.GOOS + "/" + runtime.GOARCH
}

func (r *Runner) keySandbox() string {
	if r.remote != nil {
		return "linux" // a runner runs nothing without the sandbox
	}
	return r.cfg.Sandbox
}

// remoteGoVersion is the runner's Go version, once the handshake told it.
func (r *Runner) remoteGoVersion() (string, bool) {
	if r.remote == nil {
		return "", false
	}
	if info := r.remote.current(); info != nil {
		return info.Go, true
	}
	return runtime.Version(), true
}
