package playground

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/benchpress/benchpress/internal/sysfile"
)

// RunnerVersion changes whenever the runner changes what a program sees or
// how its result is recorded; it is part of every cache key.
const RunnerVersion = "3"

// Inputs is the complete description of a run: everything that can change
// its result. The cache key is its hash. Each entry keeps its Inputs, so a
// rerun can say which input changed.
type Inputs struct {
	Files    map[string]string `json:"files"` // name -> sha256 of contents
	Mode     Mode              `json:"mode"`
	Args     []string          `json:"args,omitempty"`
	Stdin    string            `json:"stdin,omitempty"` // sha256
	Bench    *BenchOptions     `json:"bench,omitempty"`
	Measure  string            `json:"measure,omitempty"` // benchmarks: how they were measured (Measure)
	Modules  string            `json:"modules,omitempty"` // sha256 of the site's go.mod + go.sum
	Go       string            `json:"go"`
	Platform string            `json:"platform"`
	Limits   string            `json:"limits"`
	Sandbox  string            `json:"sandbox"`
	Runner   string            `json:"runner"`
}

// Key is the content address of the run.
func (in *Inputs) Key() string {
	b, _ := json.Marshal(in) // map keys are sorted: the encoding is canonical
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

// equal reports whether in and o describe the same run, as their keys
// would (nil and empty lists alike).
func (in *Inputs) equal(o *Inputs) bool {
	if len(in.Files) != len(o.Files) || !slices.Equal(in.Args, o.Args) || (in.Bench == nil) != (o.Bench == nil) {
		return false
	}
	for n, h := range in.Files {
		if oh, ok := o.Files[n]; !ok || oh != h {
			return false
		}
	}
	if in.Bench != nil {
		a, b := in.Bench, o.Bench
		if a.Count != b.Count || !slices.Equal(a.CPU, b.CPU) || a.Benchtime != b.Benchtime || a.Filter != b.Filter || a.Round != b.Round {
			return false
		}
	}
	return in.Mode == o.Mode && in.Measure == o.Measure && in.Stdin == o.Stdin && in.Modules == o.Modules && in.Go == o.Go &&
		in.Platform == o.Platform && in.Limits == o.Limits && in.Sandbox == o.Sandbox && in.Runner == o.Runner
}

// portableKey addresses the run without the machine it ran on (Go version
// and platform): a frozen build renders an author's stored results on a CI
// machine whose toolchain differs, or that has none.
func (in *Inputs) portableKey() string {
	c := *in
	c.Go, c.Platform = "", ""
	return c.Key()
}

// diff says in a few words which inputs differ, for --explain.
func (in *Inputs) diff(old *Inputs) string {
	var why []string
	var files []string
	for n, h := range in.Files {
		if old.Files[n] != h {
			files = append(files, n)
		}
	}
	for n := range old.Files {
		if _, ok := in.Files[n]; !ok {
			files = append(files, n)
		}
	}
	sort.Strings(files)
	if len(files) > 0 {
		why = append(why, "code changed ("+strings.Join(files, ", ")+")")
	}
	add := func(changed bool, what string) {
		if changed {
			why = append(why, what)
		}
	}
	add(in.Mode != old.Mode, "mode changed")
	add(strings.Join(in.Args, "\x00") != strings.Join(old.Args, "\x00"), "args changed")
	add(in.Stdin != old.Stdin, "stdin changed")
	ob, _ := json.Marshal(old.Bench)
	nb, _ := json.Marshal(in.Bench)
	add(string(ob) != string(nb), "bench options changed")
	add(in.Measure != old.Measure, fmt.Sprintf("benchmarks are measured another way (%s -> %s)", measureName(old.Measure), measureName(in.Measure)))
	add(in.Modules != old.Modules, "go.mod changed")
	add(in.Go != old.Go, fmt.Sprintf("Go version changed (%s -> %s)", old.Go, in.Go))
	add(in.Platform != old.Platform, fmt.Sprintf("platform changed (%s -> %s)", old.Platform, in.Platform))
	add(in.Limits != old.Limits, "sandbox limits changed")
	add(in.Sandbox != old.Sandbox, "sandbox mode changed")
	add(in.Runner != old.Runner, "benchpress's runner changed")
	if len(why) == 0 {
		return "not stored"
	}
	return strings.Join(why, ", ")
}

func measureName(s string) string {
	if s == "" {
		return "one run of each benchmark after another"
	}
	return s
}

func hashBytes(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// entry is one stored result: a small, stable, text-diffable JSON file.
type entry struct {
	ID     string       `json:"id"`
	Inputs *Inputs      `json:"inputs"`
	Result storedResult `json:"result"`
}

type storedResult struct {
	Status      Status       `json:"status"`
	ExitCode    int          `json:"exitCode"`
	Events      []storedEvt  `json:"events,omitempty"`
	Diagnostics []Diagnostic `json:"diagnostics,omitempty"`
	Truncated   bool         `json:"truncated,omitempty"`
	DurationMS  float64      `json:"durationMs"`
	Env         Env          `json:"env"`
}

type storedEvt struct {
	Stream Stream `json:"stream"`
	Data   string `json:"data"`
}

func toStored(r *Result) storedResult {
	s := storedResult{
		Status: r.Status, ExitCode: r.ExitCode, Diagnostics: r.Diagnostics, Truncated: r.Truncated,
		DurationMS: float64(r.Duration.Microseconds()) / 1000, Env: r.Env,
	}
	for _, e := range r.Events {
		s.Events = append(s.Events, storedEvt{e.Stream, e.Data})
	}
	return s
}

func (s *storedResult) result() Result {
	r := Result{
		Status: s.Status, ExitCode: s.ExitCode, Diagnostics: s.Diagnostics, Truncated: s.Truncated,
		Duration: time.Duration(math.Round(s.DurationMS*1000)) * time.Microsecond, Env: s.Env,
	}
	for _, e := range s.Events {
		r.Events = append(r.Events, Event{Stream: e.Stream, Data: e.Data})
	}
	return r
}

// cacheable reports whether a result is a property of the program. Limit
// kills and timeouts depend on the machine and its load.
func cacheable(r *Result) bool {
	switch r.Status {
	case StatusOK, StatusExit, StatusCompileError:
		return true
	}
	return false
}

// store is the results store: one JSON file per key in a directory a site
// may commit. Entries are written atomically; a corrupt entry is a miss.
type store struct {
	dir string
	// files is dir confined (sysfile.DirFS): an entry that is a link out
	// of the store is refused, never read. Opened once dir exists (see
	// entries).
	files   fs.FS
	filesMu sync.Mutex
	mu      sync.Mutex
	// The indexes below need every entry read; a build whose results are
	// all stored never needs them, so they are built on the first miss.
	indexed bool
	byID    map[string]*entry // the newest entry per program ID, for explanations
	// byPortable maps portable keys to entry keys, for frozen builds.
	byPortable map[string]string
	used       map[string]bool // keys this process looked up or wrote
	all        []string        // keys present when the store was opened
}

func openStore(dir string) (*store, error) {
	s := &store{dir: dir, byID: map[string]*entry{}, used: map[string]bool{}, byPortable: map[string]string{}}
	ents, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		return nil, fmt.Errorf("results store: %v", err)
	}
	for _, de := range ents {
		if name := de.Name(); strings.HasSuffix(name, ".json") && !de.IsDir() {
			s.all = append(s.all, strings.TrimSuffix(name, ".json"))
		}
	}
	return s, nil
}

// index reads every entry once for the by-ID and portable indexes. The
// caller holds s.mu.
func (s *store) index() {
	if s.indexed {
		return
	}
	s.indexed = true
	for _, key := range s.all {
		e, err := s.read(key, nil)
		if err != nil || e.ID == "" {
			continue
		}
		if old := s.byID[e.ID]; old == nil || e.Result.Env.RanAt.After(old.Result.Env.RanAt) {
			s.byID[e.ID] = e
		}
		s.byPortable[e.Inputs.portableKey()] = key
	}
}

func (s *store) path(key string) string { return filepath.Join(s.dir, key+".json") }

// read reads the entry stored under key. want, if not nil, are the inputs
// whose key it is: an entry holding exactly those matches its name without
// hashing them again.
func (s *store) read(key string, want *Inputs) (*entry, error) {
	b, err := fs.ReadFile(s.entries(), key+".json")
	if err != nil {
		return nil, err
	}
	return parseEntry(key, b, want)
}

// entries is the store's directory as a file system confined to it, as
// every read of a site file is. A store made after the Runner started (a
// first build, or serve's) is opened when it exists.
func (s *store) entries() fs.FS {
	s.filesMu.Lock()
	defer s.filesMu.Unlock()
	if s.files != nil {
		return s.files
	}
	fsys := sysfile.DirFS(s.dir)
	if _, err := fs.Stat(fsys, "."); err == nil {
		s.files = fsys
	}
	return fsys
}

// parseEntry decodes the entry b stored under key, and checks that it is
// the entry of that key (of the inputs want, if not nil, without hashing
// them again).
func parseEntry(key string, b []byte, want *Inputs) (*entry, error) {
	e, ok := decodeEntry(b)
	if !ok {
		e = entry{}
		if err := json.Unmarshal(b, &e); err != nil {
			return nil, fmt.Errorf("corrupt entry: %v", err)
		}
	}
	if e.Inputs == nil || e.Result.Status == "" {
		return nil, errors.New("corrupt entry: it has no inputs or no result status")
	}
	if !(want != nil && e.Inputs.equal(want) || e.Inputs.Key() == key) {
		return nil, errors.New("corrupt entry: its inputs do not hash to its name")
	}
	return &e, nil
}

// get returns the stored result for key, or why there is none. A frozen
// lookup also takes a result stored by another Go version or platform.
func (s *store) get(id, key string, in *Inputs, frozen bool) (*entry, string) {
	s.mu.Lock()
	s.used[key] = true
	s.mu.Unlock()
	e, err := s.read(key, in)
	if err == nil {
		return e, ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.index()
	if frozen && os.IsNotExist(err) {
		if k, ok := s.byPortable[in.portableKey()]; ok {
			if e, err := s.read(k, nil); err == nil {
				s.used[k] = true
				return e, ""
			}
		}
	}
	if errors.Is(err, sysfile.ErrOutside) {
		return nil, "stored entry " + key + ".json is a symbolic link out of the results store: refused, rerun"
	}
	if !os.IsNotExist(err) {
		return nil, "stored entry unreadable, rerun"
	}
	if old := s.byID[id]; old != nil {
		return nil, in.diff(old.Inputs)
	}
	return nil, "new"
}

// previousMS is how long the newest stored run of the program id took,
// under whatever inputs, or -1 if the store has none.
func (s *store) previousMS(id string) float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.index()
	if e := s.byID[id]; e != nil {
		return e.Result.DurationMS
	}
	return -1
}

func (s *store) put(id, key string, in *Inputs, r *Result) error {
	e := entry{ID: id, Inputs: in, Result: toStored(r)}
	b, err := json.MarshalIndent(&e, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(s.dir, ".tmp-"+key+"-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(b)
	if err == nil {
		err = tmp.Sync()
	}
	if err == nil {
		err = tmp.Chmod(0o644) // files a site commits, like any other
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), s.path(key))
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("results store: %v", err)
	}
	s.mu.Lock()
	s.used[key] = true
	if s.indexed {
		s.byID[id] = &e
		s.byPortable[in.portableKey()] = key
	}
	s.mu.Unlock()
	return nil
}

// oldest is when the oldest result this process used was produced.
func (s *store) oldest() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	var t time.Time
	for key := range s.used {
		e, err := s.read(key, nil)
		if err != nil {
			continue
		}
		if ran := e.Result.Env.RanAt; t.IsZero() || ran.Before(t) {
			t = ran
		}
	}
	return t
}

// prune deletes the entries this process did not use.
func (s *store) prune() (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, key := range s.all {
		if s.used[key] {
			continue
		}
		if err := os.Remove(s.path(key)); err != nil && !os.IsNotExist(err) {
			return n, err
		}
		n++
	}
	return n, nil
}
