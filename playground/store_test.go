package playground

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// TestInputsEqual checks that equal tells apart inputs differing in any
// one field, Bench's included, so a field added to Inputs cannot be
// forgotten there (a stored entry is taken on equal inputs without
// hashing them).
func TestInputsEqual(t *testing.T) {
	base := func() *Inputs {
		return &Inputs{
			Files: map[string]string{"main.go": "h1"}, Mode: ModeBench, Args: []string{"a"}, Stdin: "s",
			Bench:   &BenchOptions{Count: 6, CPU: []int{1, 2}, Benchtime: "1x", Filter: "."},
			Modules: "m", Go: "go1.26.8", Platform: "linux/amd64", Limits: "l", Sandbox: "linux", Runner: "2",
		}
	}
	if a, b := base(), base(); !a.equal(b) || a.Key() != b.Key() {
		t.Fatal("equal inputs differ")
	}
	if a, b := (&Inputs{Files: map[string]string{}}), (&Inputs{Files: map[string]string{}, Args: []string{}}); !a.equal(b) || a.Key() != b.Key() {
		t.Error("nil and empty Args differ")
	}
	// Change each field in turn, and each field of Bench.
	change := func(v reflect.Value) {
		switch v.Kind() {
		case reflect.String:
			v.SetString(v.String() + "x")
		case reflect.Int:
			v.SetInt(v.Int() + 1)
		case reflect.Slice:
			v.Set(reflect.Append(v, v.Index(0)))
		case reflect.Map:
			v.SetMapIndex(reflect.ValueOf("other.go"), reflect.ValueOf("h2"))
		case reflect.Pointer:
			v.Set(reflect.Zero(v.Type()))
		default:
			t.Fatalf("TestInputsEqual does not know how to change a %s", v.Kind())
		}
	}
	typ := reflect.TypeFor[Inputs]()
	for i := 0; i < typ.NumField(); i++ {
		a, b := base(), base()
		change(reflect.ValueOf(b).Elem().Field(i))
		if a.equal(b) || b.equal(a) {
			t.Errorf("inputs differing in %s are equal", typ.Field(i).Name)
		}
	}
	btyp := reflect.TypeFor[BenchOptions]()
	for i := 0; i < btyp.NumField(); i++ {
		a, b := base(), base()
		change(reflect.ValueOf(b.Bench).Elem().Field(i))
		if a.equal(b) || b.equal(a) {
			t.Errorf("inputs differing in Bench.%s are equal", btyp.Field(i).Name)
		}
	}
}

// TestDecodeEntry checks the store's fast decoder against encoding/json:
// entries as put writes them decode to the same values, and any other
// shape is either decoded the same or left to encoding/json.
func TestDecodeEntry(t *testing.T) {
	ran := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	entries := []entry{
		{ID: "content/posts/a.md#0", Inputs: &Inputs{Files: map[string]string{"main.go": "ab"}, Mode: ModeRun, Go: "go1.26.8", Platform: "linux/amd64", Limits: "l", Sandbox: "linux", Runner: "2"},
			Result: storedResult{Status: StatusOK, Events: []storedEvt{{Stdout, "post 1 4\n"}}, DurationMS: 1.5, Env: Env{GoVersion: "go1.26.8", GOOS: "linux", GOARCH: "amd64", CPU: "Xeon", NumCPU: 2, RanAt: ran, Machine: "0a1b2c3d"}}},
		{ID: "x#bench", Inputs: &Inputs{Files: map[string]string{"a.go": "1", "b_test.go": "2"}, Mode: ModeBench, Args: []string{"-v", "a b"}, Stdin: "s",
			Bench: &BenchOptions{Count: 6, CPU: []int{1, 2, 4}, Benchtime: "100ms", Filter: "^(BenchmarkA)$", Round: 2}, Measure: Measure, Modules: "m"},
			Result: storedResult{Status: StatusExit, ExitCode: 2, Truncated: true, Env: Env{Load: &Load{Avg: 3.12, Others: 0.41, Steal: 0.015, CPUs: 2}}, Events: []storedEvt{
				{Stderr, "panic: <&> \"quoted\" \\ tab\t\x01 é ✓ 😀 \u2028\n"}, {Stdout, "invalid \xff utf-8"}}}},
		{ID: "c", Inputs: &Inputs{Files: map[string]string{}, Mode: ModeRun}, Result: storedResult{Status: StatusCompileError, ExitCode: -1,
			Diagnostics: []Diagnostic{{File: "main.go", Line: 3, Col: 2, Msg: "undefined: x"}, {Msg: "no position"}}}},
	}
	for _, e := range entries {
		b, err := json.MarshalIndent(&e, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		var want entry
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatal(err)
		}
		got, ok := decodeEntry(append(b, '\n'))
		if !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("decodeEntry(%s) = %+v, %v; encoding/json: %+v", b, got, ok, want)
		}
	}
	others := []string{
		`{"id":"a","inputs":{"files":{},"mode":"run","args":[]},"result":{"status":"ok","exitCode":0,"events":[],"durationMs":1e3,"env":{"NumCPU":2}}}`,
		`{"id":"a\/b\b\f\n\r\t\"\\"}`,
		`{"id":"a\/b\b\f\n\r\t\"\\ \u00e9\ud83d\ude00"}`,
		`{"id":"bad \x escape"}`,
		`{"ID":"a"}`,
		`{"id":null}`,
		`{"id":"a","extra":1}`,
		`{"id":"a"} x`,
		`{"id":"a",}`,
		`{"id":"a"`,
		`{"result":{"exitCode":1.5}}`,
		`{"result":{"exitCode":01}}`,
		`{"result":{"exitCode":-}}`,
		`{"result":{"durationMs":+1}}`,
		`{"result":{"durationMs":1.}}`,
		`{"inputs":{"files":{"a\"b.go":"h"}}}`,
		`{"result":{"truncated":"yes"}}`,
		`{"inputs":{"bench":null}}`,
		`[]`,
		``,
	}
	for i, s := range others {
		var want entry
		werr := json.Unmarshal([]byte(s), &want)
		got, ok := decodeEntry([]byte(s))
		if i <= 2 && !ok {
			t.Errorf("decodeEntry(%s) gave up on a valid entry", s)
		}
		if ok && (werr != nil || !reflect.DeepEqual(got, want)) {
			t.Errorf("decodeEntry(%s) = %+v; encoding/json: %+v, %v", s, got, want, werr)
		}
	}
}

// TestStoreLinkOut: an entry that is a symbolic link to a file out of the
// store is refused, never read, even when what it points to is a genuine
// entry of that key: a frozen build would publish whatever it says.
func TestStoreLinkOut(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "results")
	os.MkdirAll(dir, 0o755)
	forged := t.TempDir()
	key, data := testEntry(t, "p", "forged output\n")
	writeFile(t, filepath.Join(forged, key+".json"), data)
	if err := os.Symlink(filepath.Join(forged, key+".json"), filepath.Join(dir, key+".json")); err != nil {
		t.Fatal(err)
	}
	s, err := openStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	in := &Inputs{Files: map[string]string{"main.go": hashBytes([]byte("p"))}, Mode: ModeRun, Go: "go1.26.8", Platform: "linux/amd64", Limits: "l", Sandbox: "linux", Runner: RunnerVersion}
	e, why := s.get("p", key, in, true)
	if want := "stored entry " + key + ".json is a symbolic link out of the results store: refused, rerun"; e != nil || why != want {
		t.Errorf("get = %v, %q; want nil, %q", e, why, want)
	}
	// A genuine entry in the same place is read, so the refusal is the link's.
	os.Remove(filepath.Join(dir, key+".json"))
	writeFile(t, filepath.Join(dir, key+".json"), data)
	if e, why := s.get("p", key, in, true); e == nil {
		t.Errorf("get of a genuine entry: nil, %q", why)
	}
}

// TestStoredDuration: a duration read back from the store is the one
// stored, to the microsecond, with no float error on the way (1001 µs had
// come back as 1000.999 µs, which formats differently from a fresh
// result at a rounding boundary).
func TestStoredDuration(t *testing.T) {
	for _, us := range []int64{0, 1, 999, 1001, 1009, 12499, 12500, 100501, 1234567, 59999999} {
		d := time.Duration(us) * time.Microsecond
		s := toStored(&Result{Duration: d})
		if got := s.result().Duration; got != d {
			t.Errorf("%v stored and read back is %v", d, got)
		}
	}
}
