package main

import (
	"bytes"
	"errors"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/benchpress/benchpress/generator"
	"github.com/benchpress/benchpress/generator/diag"
	"github.com/benchpress/benchpress/internal/golden"
	"github.com/benchpress/benchpress/playground"
)

// TestWorkflowCommand: the format GitHub Actions reads, and its escaping:
// %, CR and LF everywhere; ":" and "," in property values too, so a
// message of several lines or a path with a comma arrives whole.
func TestWorkflowCommand(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		line       int
		msg, want  string
	}{
		{"error", "content/posts/a.md", 3, "bad date", "::error file=content/posts/a.md,line=3::bad date\n"},
		{"warning", "content/posts/a.md", 0, "noisy", "::warning file=content/posts/a.md::noisy\n"},
		{"error", "", 0, "no config.yaml", "::error::no config.yaml\n"},
		{"error", "", 7, "x", "::error line=7::x\n"},
		{"error", "a.md", 1, "100% sure:: no\r\nsecond line", "::error file=a.md,line=1::100%25 sure:: no%0D%0Asecond line\n"},
		{"warning", "posts/a,b:c%d.md", 2, "m", "::warning file=posts/a%2Cb%3Ac%25d.md,line=2::m\n"},
		{"error", "a.md", 1, "", "::error file=a.md,line=1::\n"},
	} {
		if got := workflowCommand(tc.name, tc.file, tc.line, tc.msg); got != tc.want {
			t.Errorf("workflowCommand(%q, %q, %d, %q) = %q, want %q", tc.name, tc.file, tc.line, tc.msg, got, tc.want)
		}
	}
}

// TestConsole: what build prints into a log (stderr not a terminal), as a
// plain log and under GitHub Actions, with and without -q: one line per
// snippet that ran, none for stored results, warnings and errors as
// FILE:LINE lines and, under Actions, also as workflow commands.
func TestConsole(t *testing.T) {
	ok := &playground.Result{Status: playground.StatusOK, Duration: 1204 * time.Millisecond}
	three := &playground.Result{Status: playground.StatusExit, ExitCode: 3, Duration: 87 * time.Millisecond}
	timeout := &playground.Result{Status: playground.StatusTimeout, Duration: 10 * time.Second}
	stored := &playground.Result{Status: playground.StatusOK, Duration: time.Second, Cached: true}
	events := []generator.SnippetProgress{
		{Done: 2, Total: 6, File: "content/posts/a.md", Line: 9, Result: stored},
		{Done: 3, Total: 6, File: "content/posts/a.md", Line: 20, Name: "fib", Result: ok},
		{Done: 4, Total: 6, File: "content/posts/b.md", Line: 5, Name: "three", Result: three},
		{Done: 5, Total: 6, File: "content/posts/b.md", Line: 30, Result: timeout},
		{Done: 6, Total: 6, File: "content/posts/c.md", Line: 7, Err: errors.New("no Go toolchain")},
	}
	warnings := []diag.Warning{
		{File: "content/posts/a.md", Line: 12, Msg: "BenchmarkLoud-2 is noisy (±35%): rerun on a quieter machine", Stored: true},
		{File: "content/posts/b.md", Line: 40, Msg: "BenchmarkNew-2 is noisy (±12%): rerun on a quieter machine"},
	}
	var errs diag.List
	errs.Add(diag.Errorf("content/posts/b.md", 5, "snippet three exited with status 3\nsecond line: %s", "a:b,c"))
	errs.Add(diag.Errorf("", 0, "the playground failed"))
	for _, tc := range []struct {
		golden     string
		gha, quiet bool
	}{
		{"console/log.txt", false, false},
		{"console/log-quiet.txt", false, true},
		{"console/actions.txt", true, false},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			if tc.gha {
				t.Setenv("GITHUB_ACTIONS", "true")
			}
			var out bytes.Buffer
			c := newConsole(&out, "site", tc.quiet)
			for _, e := range events {
				c.progress(e)
			}
			c.done()
			for _, w := range warnings {
				c.warn(w)
			}
			out.WriteString("summary" + c.summary() + "\n")
			c.printError(errs.Err())
			golden.Check(t, tc.golden, out.Bytes())
		})
	}
}

// TestProgressOnTerminal: on a terminal, one line redrawn in place and
// cleared at the end; a warning clears it first.
func TestProgressOnTerminal(t *testing.T) {
	var out bytes.Buffer
	c := &console{w: &out, tty: true}
	c.progress(generator.SnippetProgress{Done: 1, Total: 2, File: "content/posts/a.md", Line: 3, Result: &playground.Result{Status: playground.StatusOK}})
	c.warn(diag.Warning{File: "content/posts/a.md", Line: 4, Msg: "noisy"})
	c.done()
	want := "\r\x1b[Ksnippets 1/2  content/posts/a.md\r\x1b[Kcontent/posts/a.md:4: warning: noisy\n"
	if out.String() != want {
		t.Errorf("got %q\nwant %q", out.String(), want)
	}
}

// TestErrorLines: a build's errors are one "FILE:LINE: message" line each,
// the first one too (it used to carry a "benchpress: " prefix, which
// problem matchers do not expect); under GitHub Actions each is also an
// ::error command whose file is relative to the working directory (the
// repository), not to the site.
func TestErrorLines(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"site/config.yaml":        "title: T\nbaseURL: https://example.org/\n",
		"site/content/posts/a.md": "---\ntitle: A\ndate: someday\n---\nbody\n",
		"site/content/posts/b.md": "---\ntitle: B\ndraft: false\ndate: 2026-13-01\n---\nbody\n",
	})
	build := func(env ...string) (int, string) {
		cmd := cliCommand("build", "--source", "site")
		cmd.Dir = dir
		cmd.Env = append(cmd.Env, env...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		cmd.Run()
		return cmd.ProcessState.ExitCode(), stderr.String()
	}
	want := `content/posts/a.md:3: date "someday" is not a date: write YYYY-MM-DD or RFC 3339 (2006-01-02T15:04:05Z07:00)
content/posts/b.md:4: date "2026-13-01" is not a date: write YYYY-MM-DD or RFC 3339 (2006-01-02T15:04:05Z07:00)
benchpress: 2 errors
`
	if code, stderr := build(); code != 1 || stderr != want {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 1 and:\n%s", code, stderr, want)
	}

	wantGHA := `content/posts/a.md:3: date "someday" is not a date: write YYYY-MM-DD or RFC 3339 (2006-01-02T15:04:05Z07:00)
::error file=site/content/posts/a.md,line=3::date "someday" is not a date: write YYYY-MM-DD or RFC 3339 (2006-01-02T15:04:05Z07:00)
content/posts/b.md:4: date "2026-13-01" is not a date: write YYYY-MM-DD or RFC 3339 (2006-01-02T15:04:05Z07:00)
::error file=site/content/posts/b.md,line=4::date "2026-13-01" is not a date: write YYYY-MM-DD or RFC 3339 (2006-01-02T15:04:05Z07:00)
benchpress: 2 errors
`
	if code, stderr := build("GITHUB_ACTIONS=true"); code != 1 || stderr != wantGHA {
		t.Errorf("under GitHub Actions: exit %d, stderr:\n%s\nwant exit 1 and:\n%s", code, stderr, wantGHA)
	}
}

// TestExitStatus: 0 success, 1 the site (or the input) has errors, 2 a
// usage error, for every command alike.
func TestExitStatus(t *testing.T) {
	broken := writeFiles(t, map[string]string{
		"config.yaml":        "title: T\n",
		"content/posts/a.md": "---\ntitle: A\ndate: someday\n---\n",
	})
	empty := t.TempDir()
	for _, tc := range []struct {
		args []string
		code int
		msg  string // in stderr
	}{
		{nil, 2, "usage: benchpress <command>"},
		{[]string{"nope"}, 2, `benchpress: unknown command "nope"`},
		{[]string{"help"}, 0, "usage: benchpress <command>"},
		{[]string{"build", "--no-such-flag"}, 2, "flag provided but not defined: -no-such-flag"},
		{[]string{"build", "extra"}, 2, `benchpress: build takes no arguments (got ["extra"])`},
		{[]string{"build", "-h"}, 0, "usage: benchpress build"},
		{[]string{"build", "--source", broken, "--out", filepath.Join(empty, "out")}, 1, `content/posts/a.md:3: date "someday" is not a date`},
		{[]string{"build", "--shard", "9/4", "--source", broken}, 2, `benchpress: --shard "9/4"`},
		{[]string{"build", "--sandbox", "bogus", "--source", broken}, 2, `benchpress: --sandbox "bogus": want linux, none or remote` + "\n"},
		{[]string{"serve", "--sandbox", "bogus", "--source", broken}, 2, `benchpress: --sandbox "bogus": want linux, none or remote` + "\n"},
		{[]string{"build", "--source", broken, "--rerun", "content/posts/a.md"}, 2,
			`benchpress: build takes no arguments (got ["content/posts/a.md"]): to rerun one post or block, join it to the flag: --rerun=content/posts/a.md; see benchpress build -h` + "\n"},
		{[]string{"serve", "extra"}, 2, "benchpress: serve takes no arguments"},
		{[]string{"check", "--source", empty}, 1, "config.yaml: not found in"},
		{[]string{"check", "x"}, 2, "check takes no arguments"},
		{[]string{"merge-results"}, 2, "merge-results needs the stores to merge"},
		{[]string{"new", "page"}, 2, `usage: benchpress new site DIR, or benchpress new post [--bundle] "Title"`},
		{[]string{"run"}, 2, "benchpress: run needs a program"},
		{[]string{"run", "--count=x", "a.go"}, 2, `invalid value "x" for flag -count`},
		{[]string{"run", filepath.Join(empty, "missing.go")}, 1, "no such file or directory"},
		{[]string{"run", "notes.txt"}, 2, "benchpress: notes.txt: run takes a Go file (NAME.go) or a txtar archive of several (NAME.txtar)\n"},
		{[]string{"version", "x"}, 2, "version takes no arguments"},
	} {
		// A process of its own: commands write to os.Stderr.
		cmd := cliCommand(tc.args...)
		if tc.args == nil {
			cmd.Env = append(cmd.Env, "BENCHPRESS_TEST_NOARGS=1")
		}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		cmd.Run()
		if code := cmd.ProcessState.ExitCode(); code != tc.code || !strings.Contains(stderr.String(), tc.msg) {
			t.Errorf("benchpress %s: exit %d, stderr:\n%s\nwant exit %d and %q", strings.Join(tc.args, " "), code, stderr.String(), tc.code, tc.msg)
		}
	}
}

// TestRunStatus: how `benchpress run` reports the program's end, and its
// exit status, which never passes the program's own off as benchpress's
// unless asked to (--pass-exit).
func TestRunStatus(t *testing.T) {
	lim := playground.Limits{Timeout: 10 * time.Second, Memory: 512 << 20, Output: 1 << 20}
	for _, tc := range []struct {
		res      playground.Result
		passExit bool
		code     int // 0: nil error
		msg      string
	}{
		{playground.Result{Status: playground.StatusOK}, false, 0, ""},
		{playground.Result{Status: playground.StatusExit, ExitCode: 3}, false, 1, "benchpress: p.go: exit status 3\n"},
		{playground.Result{Status: playground.StatusExit, ExitCode: 3}, true, 3, "benchpress: p.go: exit status 3\n"},
		{playground.Result{Status: playground.StatusExit, ExitCode: 2}, false, 1, "benchpress: p.go: exit status 2\n"},
		{playground.Result{Status: playground.StatusCompileError}, true, 1, "benchpress: p.go: does not compile\n"},
		{playground.Result{Status: playground.StatusTimeout, Limits: lim}, true, 1, "benchpress: p.go: timeout after 10s\n"},
		{playground.Result{Status: playground.StatusMemoryLimit, Limits: lim}, false, 1, "benchpress: p.go: memory limit (512 MiB) exceeded\n"},
		{playground.Result{Status: playground.StatusOutputLimit, Limits: lim}, false, 1, "benchpress: p.go: output limit (1024 KiB) exceeded; output truncated\n"},
		{playground.Result{Status: playground.StatusKilled, ExitCode: 128 + 9}, true, 1, "benchpress: p.go: killed by signal 9 (killed)\n"},
	} {
		var stderr bytes.Buffer
		err := runStatus(&stderr, "p.go", &tc.res, tc.passExit)
		code := 0
		if err != nil {
			c, ok := errors.AsType[exitCode](err)
			if !ok {
				t.Fatalf("%v: error %v is not an exit status", tc.res.Status, err)
			}
			code = int(c)
		}
		if code != tc.code || stderr.String() != tc.msg {
			t.Errorf("%s (exit %d), pass-exit %v: status %d, stderr %q; want %d, %q", tc.res.Status, tc.res.ExitCode, tc.passExit, code, stderr.String(), tc.code, tc.msg)
		}
	}
}

// TestRunExit3: a program that exits 3, run for real: benchpress exits 1
// and says so, or 3 with --pass-exit.
func TestRunExit3(t *testing.T) {
	// Not under -short: make test-race runs this package -short, and a
	// race-instrumented test binary cannot be a snippet's sandbox init.
	// make test runs it in full.
	if testing.Short() {
		t.Skip("compiles and runs a program in the sandbox")
	}
	prog := filepath.Join("playground", "testdata", "programs", "exit3.go")
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"run", prog}, 1},
		{[]string{"run", "--pass-exit", prog}, 3},
	} {
		cmd := cliCommand(tc.args...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		cmd.Run()
		want := "then err\nbenchpress: " + prog + ": exit status 3\n"
		if cmd.ProcessState.ExitCode() != tc.code || stdout.String() != "out first\n" || stderr.String() != want {
			t.Errorf("benchpress %s: exit %d, stdout %q, stderr %q; want %d, %q, %q", strings.Join(tc.args, " "),
				cmd.ProcessState.ExitCode(), stdout.String(), stderr.String(), tc.code, "out first\n", want)
		}
	}
}

// TestBuildProgressLines: a real build whose stderr is a pipe prints one
// line per snippet that ran, in a group under GitHub Actions, and none for
// the stored results of the next build.
func TestBuildProgressLines(t *testing.T) {
	if testing.Short() { // as TestRunExit3
		t.Skip("compiles and runs snippets in the sandbox")
	}
	site := writeFiles(t, map[string]string{
		"config.yaml": "title: T\nbaseURL: https://example.org/\n",
		"content/posts/a.md": "---\ntitle: A\ndate: 2026-01-01\n---\n\n```go run name=hello\npackage main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hi\") }\n```\n\n" +
			"```go run name=three expect=fail\npackage main\n\nimport \"os\"\n\nfunc main() { os.Exit(3) }\n```\n",
	})
	build := func(env ...string) string {
		cmd := cliCommand("build", "--source", site)
		cmd.Env = append(cmd.Env, env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("build: %v\n%s", err, out)
		}
		// Durations and the build's time vary.
		return regexp.MustCompile(`[0-9.]+(µs|ms|s)\b`).ReplaceAllString(string(out), "TIME")
	}
	got := build("GITHUB_ACTIONS=true")
	// The two run in parallel: either may finish first.
	lines := strings.Split(got, "\n")
	if len(lines) < 4 || lines[0] != "::group::snippets" || lines[3] != "::endgroup::" {
		t.Fatalf("output:\n%s\nwant a group of two progress lines first", got)
	}
	ran := []string{lines[1][len("snippet 1/2"):], lines[2][len("snippet 2/2"):]}
	if ran[0] > ran[1] {
		ran[0], ran[1] = ran[1], ran[0]
	}
	if want := []string{" exit 3 TIME content/posts/a.md:14 three", " ok TIME content/posts/a.md:6 hello"}; ran[0] != want[0] || ran[1] != want[1] {
		t.Errorf("progress lines %q, want %q", ran, want)
	}
	if !strings.HasPrefix(lines[4], "2 snippets: 2 run, 0 cached") {
		t.Errorf("summary %q", lines[4])
	}
	if got := build(); !strings.HasPrefix(got, "2 snippets: 0 run, 2 cached\nbuilt ") {
		t.Errorf("warm build printed:\n%s\nwant the summary alone", got)
	}
}

// TestVersionOf: a release version linked in wins; then the module
// version; a build from a checkout names its commit, time and whether the
// tree was modified.
func TestVersionOf(t *testing.T) {
	vcs := func(v string, settings ...string) *debug.BuildInfo {
		bi := &debug.BuildInfo{Main: debug.Module{Path: "github.com/benchpress/benchpress", Version: v}}
		for i := 0; i+1 < len(settings); i += 2 {
			bi.Settings = append(bi.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
		}
		return bi
	}
	const rev = "06c2513b631c163391d6c280abbbd453d739c4ed"
	for _, tc := range []struct {
		release string
		bi      *debug.BuildInfo
		want    string
	}{
		{"v1.2.3", vcs("v0.0.0-20261207094232-06c2513b631c+dirty", "vcs.revision", rev), "v1.2.3"},
		{"", vcs("v1.4.0"), "v1.4.0"},
		{"", vcs("v0.0.0-20261207094232-06c2513b631c"), "v0.0.0-20261207094232-06c2513b631c"},
		{"", vcs("v0.0.0-20261207094232-06c2513b631c+dirty", "vcs.revision", rev, "vcs.time", "2026-12-07T09:42:32Z", "vcs.modified", "true"),
			"v0.0.0-20261207094232-06c2513b631c+dirty (commit 06c2513b631c, 2026-12-07T09:42:32Z, with uncommitted changes)"},
		{"", vcs("(devel)", "vcs.revision", rev, "vcs.time", "2026-12-07T09:42:32Z", "vcs.modified", "false"), "(devel) (commit 06c2513b631c, 2026-12-07T09:42:32Z)"},
		{"", vcs("(devel)"), "(devel)"},
		{"", nil, "(devel)"},
	} {
		if got := versionOf(tc.release, tc.bi); got != tc.want {
			t.Errorf("versionOf(%q, %v) = %q, want %q", tc.release, tc.bi, got, tc.want)
		}
	}
}

// TestVersionCommand: `version` and `--version` print the same line, on
// stdout.
func TestVersionCommand(t *testing.T) {
	want := "benchpress (devel) " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + "\n" // a test binary has no VCS stamp
	for _, args := range [][]string{{"version"}, {"--version"}, {"-version"}} {
		out, err := cliCommand(args...).Output()
		if err != nil || string(out) != want {
			t.Errorf("benchpress %s: %v, %q; want %q", args[0], err, out, want)
		}
	}
	// A release build stamps main.version at link time (make dist).
	if testing.Short() {
		return
	}
	bin := filepath.Join(t.TempDir(), "benchpress")
	if out, err := exec.Command("go", "build", "-ldflags", "-X main.version=v9.8.7", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--version").Output()
	if want := "benchpress v9.8.7 " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + "\n"; err != nil || string(out) != want {
		t.Errorf("release build: %v, %q; want %q", err, out, want)
	}
}
