package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/benchpress/benchpress/generator/output"
	"github.com/benchpress/benchpress/internal/testdeadline"
)

// cliCommand runs this test binary as the benchpress CLI (see TestMain).
func cliCommand(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "BENCHPRESS_TEST_CLI="+strings.Join(args, "\n"))
	return cmd
}

// TestBuildSignal: SIGTERM in the middle of a build stops it, exits 143
// and leaves the previous output exactly as it was; the next build then
// succeeds and leaves nothing behind.
func TestBuildSignal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 3,000 posts twice (make test runs it)")
	}
	post := func(i int) string {
		return fmt.Sprintf("---\ntitle: Old %d\ndate: 2026-01-01\n---\n%s\n", i, strings.Repeat("Some words of a paragraph. ", 40))
	}
	// The previous output is that of the site's first post alone: what
	// matters is that it survives the interrupted build untouched, and a
	// whole first build of the big site cost a third of this test.
	site := writeFiles(t, map[string]string{"config.yaml": "title: T\nbaseURL: https://example.org/\n", "content/posts/p0000.md": post(0)})
	out := filepath.Join(t.TempDir(), "public")
	if b, err := cliCommand("build", "--source", site, "--out", out).CombinedOutput(); err != nil {
		t.Fatalf("first build: %v\n%s", err, b)
	}
	before, _ := os.ReadFile(filepath.Join(out, "posts/p0000/index.html"))
	// Then the site grows to 3,000 posts, so that the next build is still
	// rendering when the signal reaches it.
	const posts = 3000
	for i := 1; i < posts; i++ {
		if err := os.WriteFile(filepath.Join(site, fmt.Sprintf("content/posts/p%04d.md", i)), []byte(post(i)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(site, "content/posts/p0000.md"), []byte("---\ntitle: New\ndate: 2026-01-01\n---\nnew\n"), 0o644)

	cmd := cliCommand("build", "--source", site, "--out", out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Signal once the build is rendering: its staging directory exists.
	deadline := time.Now().Add(testdeadline.Scale(30 * time.Second))
	for {
		if m, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".public.benchpress-*")); len(m) > 0 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the build never started rendering")
		}
		time.Sleep(time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 143 {
		t.Fatalf("interrupted build: %v, want exit status 143\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "terminated: stopping the build; the previous output is left as it was") {
		t.Errorf("stderr does not say what happened:\n%s", stderr.String())
	}
	if strings.Contains(stderr.String(), "built ") {
		t.Fatalf("the build finished before the signal reached it; make the site bigger:\n%s", stderr.String())
	}
	after, _ := os.ReadFile(filepath.Join(out, "posts/p0000/index.html"))
	if !bytes.Equal(before, after) || !bytes.Contains(after, []byte("Old 0")) {
		t.Error("the interrupted build changed the output")
	}

	if b, err := cliCommand("build", "--source", site, "--out", out).CombinedOutput(); err != nil {
		t.Fatalf("build after the interrupted one: %v\n%s", err, b)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "posts/p0000/index.html")); !bytes.Contains(b, []byte("New")) {
		t.Error("the next build did not update the output")
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	for _, e := range entries {
		if e.Name() != "public" && e.Name() != ".public.benchpress.lock" {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

// TestSignalGrace: work that does not stop when told is cut short after
// the grace period, with the signal's exit status.
func TestSignalGrace(t *testing.T) {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "BENCHPRESS_TEST_STUCK=1")
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if line, _ := bufio.NewReader(stdout).ReadString('\n'); line != "ready\n" {
		t.Fatalf("child said %q", line)
	}
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 130 {
		t.Fatalf("stuck work: %v, want exit status 130\n%s", err, stderr.String())
	}
	want := "benchpress: interrupt: stopping the build; the previous output is left as it was\nbenchpress: interrupt: exiting without waiting for the build to stop\n"
	if stderr.String() != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr.String(), want)
	}
}

// TestSignalAtCommit: a signal either stops the build before its output is
// swapped in (exit 130, the previous output kept, and it says so) or, once
// the swap has begun, lets it finish (exit 0, the new output, and it says
// that): never the message of one with the outcome of the other. The
// signals arrive on a channel at each side of the commit, in order.
func TestSignalAtCommit(t *testing.T) {
	for _, tt := range []struct {
		name       string
		signalLate bool // after the commit, rather than before it
		wantErr    error
		wantIndex  string
		wantStderr string
	}{
		{"before the commit", false, exitCode(130), "old", "benchpress: interrupt: stopping the build; the previous output is left as it was\n"},
		{"after the commit", true, nil, "new", "benchpress: interrupt: the new output is already being put in place; finishing the build\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "public")
			os.MkdirAll(out, 0o755)
			os.WriteFile(filepath.Join(out, output.MarkerFile), nil, 0o644)
			os.WriteFile(filepath.Join(out, "index.html"), []byte("old"), 0o644)
			sigs := make(chan os.Signal, 1)
			var stderr syncBuffer
			signal := func() {
				sigs <- os.Interrupt
				deadline := time.Now().Add(time.Minute)
				for !strings.HasSuffix(stderr.String(), "\n") {
					if time.Now().After(deadline) {
						t.Fatal("the signal was never handled")
					}
					time.Sleep(time.Millisecond)
				}
			}
			err := untilSignalOn(sigs, &stderr, time.Hour, func(ctx context.Context) error {
				s, err := output.Stage(out)
				if err != nil {
					return err
				}
				s.WriteFile("index.html", []byte("new"))
				if !tt.signalLate {
					signal()
				}
				err = s.Commit(ctx)
				if tt.signalLate {
					signal()
				}
				return err
			})
			if err != tt.wantErr {
				t.Errorf("untilSignal = %v, want %v", err, tt.wantErr)
			}
			if b, _ := os.ReadFile(filepath.Join(out, "index.html")); string(b) != tt.wantIndex {
				t.Errorf("output holds %q, want %q", b, tt.wantIndex)
			}
			if stderr.String() != tt.wantStderr {
				t.Errorf("stderr:\n%s\nwant:\n%s", stderr.String(), tt.wantStderr)
			}
		})
	}
}

// TestBuildSummaryCounts: the line a build ends with counts in words a
// reader would write, one post and one page, as a first site built from
// `new site` has them.
func TestBuildSummaryCounts(t *testing.T) {
	site := writeFiles(t, map[string]string{
		"config.yaml":        "title: T\nbaseURL: https://example.org/\nsearch: false\n",
		"content/posts/a.md": "---\ntitle: A\ndate: 2026-01-01\n---\nText.\n",
		"content/about.md":   "---\ntitle: About\n---\nText.\n",
	})
	out, err := cliCommand("build", "--source", site).CombinedOutput()
	if err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	re := regexp.MustCompile(`^built 1 post, 1 page, [0-9]+ files into \S+ in \S+\n$`)
	if !re.Match(out) {
		t.Errorf("build printed %q, want a match of %s", out, re)
	}
}

// TestAgo: the frozen build's age of its oldest result reads in hours or
// days, not as a Go duration ("344h0m0s ago").
func TestAgo(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "less than an hour ago"},
		{59 * time.Minute, "less than an hour ago"},
		{time.Hour, "1 hour ago"},
		{47*time.Hour + 59*time.Minute, "47 hours ago"},
		{48 * time.Hour, "2 days ago"},
		{344 * time.Hour, "14 days ago"},
		{400 * 24 * time.Hour, "400 days ago"},
	} {
		if got := ago(tc.d); got != tc.want {
			t.Errorf("ago(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

// TestRerunFrozen: --rerun with --frozen (or with frozenInCI under CI) is
// refused before anything runs; before, every snippet the target named
// failed with "no stored result ... (--rerun)" though its result was
// stored.
func TestRerunFrozen(t *testing.T) {
	site := writeFiles(t, map[string]string{
		"config.yaml":        "title: T\nbaseURL: https://example.org/\nplayground:\n  frozenInCI: true\n",
		"content/posts/a.md": "---\ntitle: A\ndate: 2026-01-01\n---\n\n```go run\nfmt.Println(1)\n```\n",
	})
	for _, tc := range []struct {
		args []string
		env  string
		code int
		want string
	}{
		{[]string{"build", "--source", site, "--rerun", "--frozen"}, "CI=", 2,
			"benchpress: --rerun runs snippets again and --frozen runs none: use one or the other\n"},
		{[]string{"build", "--source", site, "--rerun=content/posts/a.md"}, "CI=true", 1,
			"benchpress: --rerun runs snippets again, but config.yaml sets playground.frozenInCI and CI=true makes this build --frozen: drop --rerun, or frozenInCI\n"},
	} {
		cmd := cliCommand(tc.args...)
		cmd.Env = append(cmd.Env, tc.env)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		cmd.Run()
		if code := cmd.ProcessState.ExitCode(); code != tc.code || stderr.String() != tc.want {
			t.Errorf("%s %s: exit %d, stderr %q; want %d, %q", tc.env, strings.Join(tc.args, " "), code, stderr.String(), tc.code, tc.want)
		}
	}
}

// TestBuildWarnsLocalBaseURL: a CI build whose baseURL is this machine's
// warns at the config line (CI publishes what it builds); a build outside
// CI, or with a real host, does not.
func TestBuildWarnsLocalBaseURL(t *testing.T) {
	const warning = "config.yaml:2: warning: baseURL %s is this machine's address, but this is a CI build (CI=true): its feeds, sitemap and social cards would send readers to their own machine; set baseURL to the published site's URL\n"
	for _, tc := range []struct {
		base, ci string
		warn     bool
	}{
		{"http://localhost:1313/", "true", true},
		{"http://127.0.0.1/blog/", "true", true},
		{"http://[::1]/", "true", true},
		{"http://blog.localhost/", "true", true},
		{"http://localhost:1313/", "", false},
		{"https://example.org/", "true", false},
		{"https://localhost.example.org/", "true", false},
	} {
		site := writeFiles(t, map[string]string{
			"config.yaml":        "title: T\nbaseURL: " + tc.base + "\nsearch: false\n",
			"content/posts/a.md": "---\ntitle: A\ndate: 2026-01-01\n---\nText.\n",
		})
		cmd := cliCommand("build", "--source", site)
		cmd.Env = append(cmd.Env, "CI="+tc.ci)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: build: %v\n%s", tc.base, err, out)
		}
		want := fmt.Sprintf(warning, tc.base)
		if got := strings.Contains(string(out), want); got != tc.warn {
			t.Errorf("baseURL %s, CI=%q: warned %v, want %v; output:\n%s", tc.base, tc.ci, got, tc.warn, out)
		}
	}
}
