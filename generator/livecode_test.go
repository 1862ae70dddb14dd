package generator

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/benchpress/benchpress/internal/golden"
	"github.com/benchpress/benchpress/playground"
)

// realRunner is the playground's Runner with a results store under dir; it
// skips the test under -short or without a sandbox (failing in CI).
func realRunner(t *testing.T, dir string) *playground.Runner {
	t.Helper()
	return realRunnerOutput(t, dir, 4<<10)
}

// realRunnerOutput is realRunner with an output cap of its own.
func realRunnerOutput(t *testing.T, dir string, output int64) *playground.Runner {
	t.Helper()
	if testing.Short() {
		t.Skip("compiles and runs real snippets")
	}
	r, err := playground.New(playground.Config{Results: filepath.Join(dir, ".benchpress", "results"), Limits: playground.Limits{Output: output}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var (
	liveBlockHTML = regexp.MustCompile(`(?s)<div class="live live-run" id="snippet-[a-z]+">.*?\n</div>\n(?:</div>\n)?`)
	durations     = regexp.MustCompile(`data-duration="[^"]*"|· [0-9.]+ ?(?:µs|ms|s)\b`)
)

// TestLiveBlocksGolden renders one block of every kind through the real
// sandbox and compares the blocks' HTML with a golden file (durations
// masked).
func TestLiveBlocksGolden(t *testing.T) {
	root := writeSite(t, "testdata/livecode/site.txtar")
	// A txtar cannot nest inside the site's txtar.
	prog, err := os.ReadFile("testdata/livecode/prog.txtar")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "content/posts/live/prog.txtar"), prog, 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err := buildSite(t, root, realRunner(t, root))
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(out, "posts/live/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	var ar txtar.Archive
	for _, b := range liveBlockHTML.FindAllString(string(page), -1) {
		id := b[strings.Index(b, `id="`)+4:]
		id = id[:strings.IndexByte(id, '"')]
		ar.Files = append(ar.Files, txtar.File{Name: id, Data: []byte(durations.ReplaceAllString(b, "DURATION"))})
	}
	if len(ar.Files) != 9 {
		t.Errorf("found %d live blocks on the page, want 9", len(ar.Files))
	}
	got := txtar.Format(&ar)
	for _, bad := range []string{"<script>alert", "\x1b[", "benchpress-build", "snippet/p"} {
		if strings.Contains(string(got), bad) {
			t.Errorf("rendered blocks contain %q", bad)
		}
	}
	golden.Check(t, "livecode/blocks.golden.txtar", got)
}

// TestLiveCompileErrorLines checks that a compiler error in a live block
// is reported at the post's line, through hidden lines and completion.
func TestLiveCompileErrorLines(t *testing.T) {
	site := okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\n---\nIntro.\n\n" +
		"```go run name=one\n" + // line 7
		"//bp:hide\n" + // 8
		"type hidden struct{}\n" + // 9
		"//bp:show\n" + // 10
		"fmt.Println(\"fine\")\n" + // 11
		"fmt.Println(undefinedThing)\n" + // 12
		"```\n\n" +
		"```go run name=two\n" + // 15
		"package main\n\nfunc main() {\n\tvar unused int\n}\n" + // 16-20: unused on 19
		"```\n"
	root := writeArchive(t, txtar.Parse([]byte(site)))
	_, _, err := buildSite(t, root, realRunner(t, root))
	if err == nil {
		t.Fatal("build succeeded")
	}
	want := "content/posts/a.md:12: undefined: undefinedThing\ncontent/posts/a.md:19: declared and not used: unused\n(2 errors)"
	if err.Error() != want {
		t.Errorf("errors:\n%s\nwant:\n%s", err, want)
	}
}

// TestLiveCache checks the results store through whole builds: a second
// build runs nothing, editing prose runs nothing, editing one block reruns
// that block only.
func TestLiveCache(t *testing.T) {
	post := func(prose, second string) string {
		return okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\n---\n" + prose + "\n\n" +
			"```go run name=one\nfmt.Println(1)\n```\n\n```go run name=two\nfmt.Println(" + second + ")\n```\n"
	}
	root := writeArchive(t, txtar.Parse([]byte(post("Intro.", "2"))))
	build := func(site string) *Stats {
		t.Helper()
		for _, f := range txtar.Parse([]byte(site)).Files {
			if err := os.WriteFile(filepath.Join(root, f.Name), f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		_, st, err := buildSite(t, root, realRunner(t, root))
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	steps := []struct {
		name        string
		site        string
		run, cached int
	}{
		{"cold", post("Intro.", "2"), 2, 0},
		{"unchanged", post("Intro.", "2"), 0, 2},
		{"prose edited", post("A new intro.", "2"), 0, 2},
		{"one block edited", post("A new intro.", "3"), 1, 1},
	}
	for _, s := range steps {
		st := build(s.site)
		if st.SnippetsRun != s.run || st.SnippetsCached != s.cached {
			t.Errorf("%s: %d run, %d cached; want %d run, %d cached", s.name, st.SnippetsRun, st.SnippetsCached, s.run, s.cached)
		}
	}
}

// TestFrozenBuild checks --frozen: with a complete results store it starts
// no go command and no program and renders the same bytes as the normal
// build; a snippet without a stored result fails at its post's line.
func TestFrozenBuild(t *testing.T) {
	site := okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\n---\nIntro.\n\n" +
		"```go run name=one\nfmt.Println(\"one\")\n```\n\n```go run name=two\nfmt.Println(\"two\")\n```\n"
	root := writeArchive(t, txtar.Parse([]byte(site)))
	normal, _, err := buildSite(t, root, realRunner(t, root))
	if err != nil {
		t.Fatal(err)
	}
	frozen, err := playground.New(playground.Config{Results: filepath.Join(root, ".benchpress", "results"), Frozen: true, Limits: playground.Limits{Output: 4 << 10}})
	if err != nil {
		t.Fatal(err)
	}
	out, st, err := buildSite(t, root, frozen)
	if err != nil {
		t.Fatal(err)
	}
	if frozen.Builds() != 0 || frozen.Execs() != 0 || st.SnippetsCached != 2 {
		t.Errorf("frozen build: %d go commands, %d programs started, %d cached; want 0, 0, 2", frozen.Builds(), frozen.Execs(), st.SnippetsCached)
	}
	if a, b := treeArchive(t, normal), treeArchive(t, out); string(a) != string(b) {
		t.Error("the frozen build's output differs from the normal build's")
	}

	// Edit the second block: its result is missing from the store.
	edited := strings.Replace(site, `fmt.Println("two")`, `fmt.Println("TWO")`, 1)
	for _, f := range txtar.Parse([]byte(edited)).Files {
		os.WriteFile(filepath.Join(root, f.Name), f.Data, 0o644)
	}
	_, _, err = buildSite(t, root, frozen)
	want := "content/posts/a.md:11: no stored result for this snippet and the build is --frozen (code changed (main.go))"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("frozen build with a missing result: %v\nwant an error starting %q", err, want)
	}
}

// TestLiveTimeout checks that a snippet stuck in a loop is killed at its
// limit and named by its post's line and that limit, and that a second
// build runs it again (a timeout is never stored).
func TestLiveTimeout(t *testing.T) {
	site := okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\n---\nIntro.\n\n" +
		"```go run name=spin timeout=1s\nfor {\n}\n```\n"
	root := writeArchive(t, txtar.Parse([]byte(site)))
	for i := 0; i < 2; i++ {
		_, st, err := buildSite(t, root, realRunner(t, root))
		want := "content/posts/a.md:7: snippet spin timed out after 1s: make it faster or raise its limit with timeout= in the fence"
		if err == nil || err.Error() != want {
			t.Fatalf("build %d: %v\nwant: %s", i+1, err, want)
		}
		if st == nil || st.SnippetsRun != 1 {
			t.Errorf("build %d: stats %+v, want the snippet run", i+1, st)
		}
	}
}

// TestSandboxStageSkipsHeavyInit checks that a re-executed sandbox stage
// starts before chroma's registries initialise (about 15 ms of every
// stage's startup, twice per run): package sandboxinit enters the stage
// from its init, which Go runs before theirs only while sandboxinit needs
// none of what they need.
func TestSandboxStageSkipsHeavyInit(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1", `BENCHPRESS_SANDBOX={"Stage":"none"}`)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 125 {
		t.Fatalf("a bogus stage ended with %v, want exit status 125\n%s", err, stderr.String())
	}
	trace := stderr.String()
	if !strings.Contains(trace, "init golang.org/x/sys/unix ") {
		t.Fatalf("no init trace (GODEBUG=inittrace=1):\n%s", trace)
	}
	for _, heavy := range []string{"github.com/alecthomas/chroma", "github.com/yuin/goldmark", "text/template"} {
		if strings.Contains(trace, "init "+heavy) {
			t.Errorf("%s initialised before the sandbox stage started:\n%s", heavy, trace)
		}
	}
}
