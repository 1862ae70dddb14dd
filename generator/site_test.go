package generator

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/benchpress/benchpress/playground"
)

var update = flag.Bool("update", false, "rewrite golden files")

// testTheme is the default theme as the binary embeds it.
var testTheme = os.DirFS("../themes/default")

// writeSite extracts a txtar site into a fresh directory.
func writeSite(t testing.TB, archive string) string {
	t.Helper()
	ar, err := txtar.ParseFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	return writeArchive(t, ar)
}

func writeArchive(t testing.TB, ar *txtar.Archive) string {
	dir := t.TempDir()
	for _, f := range ar.Files {
		p := filepath.Join(dir, f.Name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// fakeRunner answers every program with a canned result, keyed by the
// program's ID; unknown programs print "ran ID".
type fakeRunner struct {
	mu      sync.Mutex
	results map[string]playground.Result
	runs    []string
}

func (f *fakeRunner) RunAll(ctx context.Context, ps []playground.Program, progress func(int, int, string)) ([]playground.Result, []error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	res := make([]playground.Result, len(ps))
	errs := make([]error, len(ps))
	for i, p := range ps {
		f.runs = append(f.runs, p.ID)
		r, ok := f.results[p.ID]
		if !ok {
			r = playground.Result{Status: playground.StatusOK, Events: []playground.Event{{Stream: playground.Stdout, Data: "ran " + p.ID + "\n"}}, Duration: 3 * time.Millisecond}
		}
		res[i] = r
	}
	return res, errs
}

var testNow = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func buildSite(t testing.TB, root string, r SnippetRunner) (string, *Stats, error) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	st, err := Build(context.Background(), Options{Root: root, Out: out, Theme: testTheme, Runner: r, Now: testNow})
	return out, st, err
}

// treeArchive renders an output tree as a txtar, skipping the theme's
// static assets (they are copied verbatim).
func treeArchive(t testing.TB, dir string) []byte {
	var ar txtar.Archive
	var names []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		names = append(names, filepath.ToSlash(rel))
		return nil
	})
	sort.Strings(names)
	for _, n := range names {
		data := []byte("(static file)\n")
		if !strings.HasPrefix(n, "css/") && !strings.HasPrefix(n, "js/") && n != "favicon.svg" {
			data, _ = os.ReadFile(filepath.Join(dir, n))
		}
		ar.Files = append(ar.Files, txtar.File{Name: n, Data: data})
	}
	return txtar.Format(&ar)
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) && i < len(wl); i++ {
			if gl[i] != wl[i] {
				t.Fatalf("%s differs at line %d:\n got: %s\nwant: %s\n(run go test -update if the change is intended)", golden, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("%s differs in length: got %d lines, want %d", golden, len(gl), len(wl))
	}
}

func basicRunner() *fakeRunner {
	return &fakeRunner{results: map[string]playground.Result{
		"content/posts/second/index.md#0": {Status: playground.StatusExit, ExitCode: 3, Duration: 2 * time.Millisecond,
			Events: []playground.Event{{Stream: playground.Stderr, Data: "bad things\n"}}},
	}}
}

func TestBuildGolden(t *testing.T) {
	root := writeSite(t, "testdata/basic.txtar")
	out, st, err := buildSite(t, root, basicRunner())
	if err != nil {
		t.Fatal(err)
	}
	if st.Posts != 2 || st.Pages != 1 || st.Snippets != 2 {
		t.Errorf("stats = %+v, want 2 posts, 1 page, 2 snippets", *st)
	}
	checkGolden(t, "basic.golden.txtar", treeArchive(t, out))
}

func TestBuildDeterministic(t *testing.T) {
	root := writeSite(t, "testdata/basic.txtar")
	out1, _, err := buildSite(t, root, basicRunner())
	if err != nil {
		t.Fatal(err)
	}
	out2, _, err := buildSite(t, root, basicRunner())
	if err != nil {
		t.Fatal(err)
	}
	a, b := readTree(t, out1), readTree(t, out2)
	if len(a) != len(b) {
		t.Fatalf("builds wrote %d and %d files", len(a), len(b))
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between two builds of the same input", name)
		}
	}
}

func readTree(t testing.TB, dir string) map[string][]byte {
	files := map[string][]byte{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)], _ = os.ReadFile(p)
		return nil
	})
	return files
}

func ExampleParseFenceInfo() {
	fi, _ := ParseFenceInfo(`go run name=ring args="a b" timeout=5s`)
	fmt.Println(fi.Lang, fi.Verb, fi.Opts["name"], fi.Opts["args"], fi.Opts["timeout"])
	// Output: go run ring a b 5s
}
