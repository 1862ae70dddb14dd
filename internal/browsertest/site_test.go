package browsertest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/benchpress/benchpress/generator"
	"github.com/benchpress/benchpress/internal/testdeadline"
	"github.com/benchpress/benchpress/playground"
)

// repoRoot is the module root (the directory holding go.mod).
func repoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
}

// need reports a missing tool: a failure when CI is set, else a skip.
func need(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...) + " (run `make deps`)"
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

func skipShort(t testing.TB) {
	t.Helper()
	if testing.Short() && os.Getenv("CI") == "" {
		t.Skip("browser and validator suites skip under -short")
	}
}

// npmFile finds a file of an npm package installed by scripts/test-deps.sh.
func npmFile(t testing.TB, rel string) string {
	t.Helper()
	root := repoRoot(t)
	for _, dir := range []string{".cache/npm/node_modules", "node_modules"} {
		p := filepath.Join(root, dir, rel)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	need(t, "%s not found under .cache/npm/node_modules", rel)
	return ""
}

// fakeRunner answers the fixture's snippets with canned results, so the
// fixture builds without a Go toolchain or sandbox.
type fakeRunner struct{}

const benchOutput = `goos: linux
goarch: amd64
pkg: example
cpu: Test CPU @ 2.00GHz
BenchmarkScan-2     	  600000	      1802 ns/op	       0 B/op	       0 allocs/op
BenchmarkScan-2     	  600000	      1795 ns/op	       0 B/op	       0 allocs/op
BenchmarkScan-2     	  600000	      1811 ns/op	       0 B/op	       0 allocs/op
BenchmarkScan-2     	  600000	      1799 ns/op	       0 B/op	       0 allocs/op
BenchmarkScan-2     	  600000	      1806 ns/op	       0 B/op	       0 allocs/op
BenchmarkScan-2     	  600000	      1790 ns/op	       0 B/op	       0 allocs/op
BenchmarkLookup-2   	 5000000	       231.0 ns/op	       0 B/op	       0 allocs/op
BenchmarkLookup-2   	 5000000	       229.0 ns/op	       0 B/op	       0 allocs/op
BenchmarkLookup-2   	 5000000	       233.0 ns/op	       0 B/op	       0 allocs/op
BenchmarkLookup-2   	 5000000	       230.0 ns/op	       0 B/op	       0 allocs/op
BenchmarkLookup-2   	 5000000	       228.0 ns/op	       0 B/op	       0 allocs/op
BenchmarkLookup-2   	 5000000	       232.0 ns/op	       0 B/op	       0 allocs/op
PASS
`

func (fakeRunner) RunAll(ctx context.Context, ps []playground.Program, progress func(playground.Progress)) ([]playground.Result, []error) {
	res := make([]playground.Result, len(ps))
	env := playground.Env{GoVersion: "go1.26.8", GOOS: "linux", GOARCH: "amd64", CPU: "Test CPU @ 2.00GHz", NumCPU: 2,
		RanAt: time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)}
	for i, p := range ps {
		r := playground.Result{Status: playground.StatusOK, Duration: 4 * time.Millisecond, Env: env}
		src := ""
		for _, f := range p.Files {
			src += string(f.Data)
		}
		switch {
		case p.Mode == playground.ModeBench:
			r.Duration = 2100 * time.Millisecond
			r.Events = []playground.Event{{Stream: playground.Stdout, Data: benchOutput}}
		case strings.Contains(src, "x := 42"):
			r.Status, r.ExitCode = playground.StatusCompileError, 1
			line := 1
			for i, l := range strings.Split(src, "\n") {
				if strings.Contains(l, "x := 42") {
					line = i + 1
				}
			}
			r.Diagnostics = []playground.Diagnostic{{File: "main.go", Line: line, Col: 2, Msg: "declared and not used: x"}}
			r.Duration = 0
		case strings.Contains(src, "// plot data") && strings.Contains(src, "{"+`"nodes"`):
			r.Events = []playground.Event{{Stream: playground.Stdout, Data: `{"nodes":"10 → 11","ring":9.1}` + "\n" + `{"nodes":"100 → 101","ring":1.0}` + "\n" +
				`{"nodes":"1000 → 1001, a long name that the chart must shorten to fit a phone","ring":0.1}` + "\n"}}
		case strings.Contains(src, "// plot data"):
			r.Events = []playground.Event{{Stream: playground.Stdout, Data: "# 100,000 keys\nnodes,ring,modulo\n10,9.1,90.9\n100,1.0,99.0\n1000,0.1,99.9\n"}}
		case strings.Contains(src, "os.Exit(1)"):
			r.Status, r.ExitCode = playground.StatusExit, 1
			r.Events = []playground.Event{{Stream: playground.Stderr, Data: "ring is empty\n"}}
		default:
			r.Events = []playground.Event{
				{Stream: playground.Stdout, Data: "points: 3\n"},
				{Stream: playground.Stdout, Data: "owner of key 15: 20 <b>not bold</b> and a very long line that must scroll inside the output block rather than widen the page\n"},
			}
		}
		res[i] = r
	}
	return res, make([]error, len(ps))
}

// buildFixture builds testdata/site.txtar in-process into a new directory.
func buildFixture(t testing.TB) string {
	t.Helper()
	ar, err := txtar.ParseFile("testdata/site.txtar")
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	for _, f := range ar.Files {
		p := filepath.Join(root, f.Name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return buildDir(t, root, fakeRunner{})
}

func buildDir(t testing.TB, root string, r generator.SnippetRunner) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	theme := os.DirFS(filepath.Join(repoRoot(t), "themes", "default"))
	_, err := generator.Build(context.Background(), generator.Options{Root: root, Out: out, Theme: theme, Runner: r,
		Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatalf("building %s: %v", root, err)
	}
	return out
}

// buildExample builds the example site (content/ at the repository root)
// with the real binary, snippets and all. It reports why it could not.
func buildExample(t testing.TB) (string, error) {
	t.Helper()
	root := repoRoot(t)
	if _, err := os.Stat(filepath.Join(root, "content", "posts")); err != nil {
		return "", errors.New("no content/posts in the repository yet")
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "benchpress")
	ctx, cancel := context.WithTimeout(context.Background(), testdeadline.Scale(10*time.Minute))
	defer cancel()
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	out := filepath.Join(tmp, "public")
	cmd := exec.CommandContext(ctx, bin, "build", "--source", root, "--out", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("benchpress build: %v\n%s", err, b)
	}
	return out, nil
}

var (
	siteOnce sync.Once
	siteDir  string
	siteName string
)

// siteUnderTest is the example site when it builds, else the fixture. It
// is built once per test binary; its directory outlives the first test
// that asked for it, so it lives under os.MkdirTemp, removed by TestMain.
func siteUnderTest(t *testing.T) (dir, name string) {
	t.Helper()
	siteOnce.Do(func() {
		tb := &keepTB{T: t}
		if os.Getenv("BENCHPRESS_TEST_SITE") == "fixture" {
			siteDir, siteName = buildFixture(tb), "fixture site (testdata/site.txtar)"
			return
		}
		if dir, err := buildExample(tb); err == nil {
			siteDir, siteName = dir, "example site (content/)"
			return
		} else {
			t.Logf("example site not used: %v", firstLines(err.Error(), 5))
		}
		siteDir, siteName = buildFixture(tb), "fixture site (testdata/site.txtar)"
	})
	if siteDir == "" {
		t.Fatal("site build failed earlier")
	}
	return siteDir, siteName
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

// keepTB hands out temporary directories that survive the test asking
// for them (shared across tests), removed when the package's tests end.
type keepTB struct{ *testing.T }

var tempDirs []string

func (k *keepTB) TempDir() string {
	d, err := os.MkdirTemp("", "benchpress-browsertest-")
	if err != nil {
		k.T.Fatal(err)
	}
	tempDirs = append(tempDirs, d)
	return d
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, d := range tempDirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}

// serve serves dir on a free 127.0.0.1 port the way a static host does:
// 404.html with status 404 for a missing path.
func serve(t testing.TB, dir string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	files := http.FileServer(http.Dir(dir))
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := filepath.Join(dir, filepath.FromSlash(filepath.Clean("/"+r.URL.Path)))
		if st, err := os.Stat(p); err != nil || (st.IsDir() && !exists(filepath.Join(p, "index.html"))) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			b, _ := os.ReadFile(filepath.Join(dir, "404.html"))
			w.Write(b)
			return
		}
		files.ServeHTTP(w, r)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// htmlPages lists the site paths of the built HTML pages, leaving out
// alias pages (they redirect to the absolute URL on the real host).
func htmlPages(t testing.TB, dir string) []string {
	t.Helper()
	var pages []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		b, _ := os.ReadFile(p)
		if strings.Contains(string(b), `http-equiv="refresh"`) {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		rel = "/" + filepath.ToSlash(rel)
		rel = strings.TrimSuffix(rel, "index.html")
		pages = append(pages, rel)
		return nil
	})
	sort.Strings(pages)
	return pages
}
