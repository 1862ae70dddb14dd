package generator

import (
	"bytes"
	"context"
	"crypto/sha256"
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

	"github.com/benchpress/benchpress/internal/golden"
	"github.com/benchpress/benchpress/playground"
)

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

func (f *fakeRunner) RunAll(ctx context.Context, ps []playground.Program, progress func(playground.Progress)) ([]playground.Result, []error) {
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
		if strings.HasSuffix(n, ".png") {
			// A social card: its bytes are socialcard's golden test's.
			data = fmt.Appendf(nil, "(PNG, %d bytes, sha256 %x)\n", len(data), sha256.Sum256(data))
		}
		ar.Files = append(ar.Files, txtar.File{Name: n, Data: data})
	}
	return txtar.Format(&ar)
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
	golden.Check(t, "basic.golden.txtar", treeArchive(t, out))
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

// TestPartialCached checks that the default theme's cached summaries give
// the same bytes as rendering the partial at every use, and that a
// rebuild renders what changed since the last one.
func TestPartialCached(t *testing.T) {
	site := okConfig + "paginate: 2\n"
	for i, tags := range []string{"[a, b]", "[a]", "[b, c]", "[a, c]", "[c]"} {
		site += fmt.Sprintf("-- content/posts/p%d.md --\n---\ntitle: Post %d\ndate: 2026-01-0%d\ntags: %s\n---\nThe teaser of post %d.\n\nMore.\n", i, i, i+1, tags, i)
	}
	uncached := "-- layouts/home.html --\n" + strings.ReplaceAll(readTheme(t, "home.html"), `partialCached "partials/post-summary.html" .`, `template "partials/post-summary.html" .`) +
		"-- layouts/tag.html --\n" + strings.ReplaceAll(readTheme(t, "tag.html"), `partialCached "partials/post-summary.html" .`, `template "partials/post-summary.html" .`)
	if !strings.Contains(uncached, `{{template "partials/post-summary.html" .}}`) {
		t.Fatal("the default theme no longer uses partialCached for summaries: update this test")
	}
	cachedOut, _, err := buildSite(t, writeArchive(t, txtar.Parse([]byte(site))), nil)
	if err != nil {
		t.Fatal(err)
	}
	plainOut, _, err := buildSite(t, writeArchive(t, txtar.Parse([]byte(site+uncached))), nil)
	if err != nil {
		t.Fatal(err)
	}
	cached, plain := readTree(t, cachedOut), readTree(t, plainOut)
	for name, want := range plain {
		if got := cached[name]; !bytes.Equal(got, want) {
			t.Errorf("%s differs with partialCached:\n%s", name, got)
		}
	}
	if !strings.Contains(string(cached["tags/a/index.html"]), "The teaser of post 0.") {
		t.Errorf("tag page lacks the summary:\n%s", cached["tags/a/index.html"])
	}

	// serve's Builder keeps the templates across builds.
	root := writeArchive(t, txtar.Parse([]byte(site)))
	b := NewBuilder(Options{Root: root, Theme: testTheme, Now: testNow})
	if _, err := b.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	writeFile(t, root, "content/posts/p0.md", "---\ntitle: Post 0\ndate: 2026-01-01\ntags: [a, b]\n---\nA new teaser.\n")
	res, err := b.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if page := string(res.Files["tags/a/index.html"]); !strings.Contains(page, "A new teaser.") {
		t.Errorf("after an edit, the tag page shows the old summary:\n%s", page)
	}
	// Each build's posts are new values: what the last build cached must
	// go, or serve's memory would grow with every rebuild.
	if entries := b.tmpl.CachedPartials(); entries > 5 {
		t.Errorf("after two builds of 5 posts, partialCached holds %d entries", entries)
	}
}

// readTheme reads a layout of the default theme.
func readTheme(t *testing.T, name string) string {
	data, err := fs.ReadFile(testTheme, "layouts/"+name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestRenderOnce: a full build's Site lets go of each post's HTML once its
// page is written, so a second Render is refused rather than writing
// pages with empty bodies; a Site whose templates read the Body keeps it
// all and renders again, the same.
func TestRenderOnce(t *testing.T) {
	const site = "-- config.yaml --\ntitle: T\nbaseURL: https://x.org/\n-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\n---\nHello, *world*.\n"
	for _, readsBody := range []bool{false, true} {
		files := site
		if readsBody {
			files += "-- layouts/partials/footer.html --\n{{with .Post}}{{len .Body}}{{end}}\n"
		}
		root := writeArchive(t, txtar.Parse([]byte(files)))
		s, err := Load(context.Background(), Options{Root: root, Theme: testTheme, Now: testNow})
		if err != nil {
			t.Fatal(err)
		}
		first := &memOutput{files: map[string][]byte{}}
		if err := s.Render(first); err != nil {
			t.Fatal(err)
		}
		if page := string(first.files["posts/a/index.html"]); !strings.Contains(page, "Hello, <em>world</em>.") {
			t.Fatalf("the post's page lacks its body:\n%s", page)
		}
		second := &memOutput{files: map[string][]byte{}}
		err = s.Render(second)
		switch {
		case !readsBody && (err == nil || err.Error() != "this Site was loaded for one full build and has rendered: Load it again"):
			t.Errorf("a second Render: %v, want it refused", err)
		case readsBody && err != nil:
			t.Errorf("a second Render of a Site that keeps its bodies: %v", err)
		case readsBody && !bytes.Equal(first.files["posts/a/index.html"], second.files["posts/a/index.html"]):
			t.Errorf("a second Render wrote another page")
		}
	}
}
