package generator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/tools/txtar"
)

// TestConcurrentBuilds: builds of one site at once never interleave. Each
// succeeds, every one leaves the complete site, and none refuses the
// output another made.
func TestConcurrentBuilds(t *testing.T) {
	var site strings.Builder
	site.WriteString(okConfig)
	const posts = 150
	for i := range posts {
		fmt.Fprintf(&site, "-- content/posts/p%03d.md --\n---\ntitle: P%d\ndate: 2026-01-01\n---\nBody %d.\n", i, i, i)
	}
	root := writeArchive(t, txtar.Parse([]byte(site.String())))
	out := filepath.Join(t.TempDir(), "public")
	var logs [4]bytes.Buffer
	var wg sync.WaitGroup
	errs := make([]error, len(logs))
	for i := range logs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = Build(t.Context(), Options{Root: root, Out: out, Theme: testTheme, Now: testNow, Log: &logs[i]})
		}()
	}
	wg.Wait()
	waited := 0
	for i, err := range errs {
		if err != nil {
			t.Errorf("build %d: %v", i, err)
		}
		if strings.Contains(logs[i].String(), "waiting for another build of "+out+" to finish") {
			waited++
		}
	}
	if waited == 0 {
		t.Error("no build said it waited for another")
	}
	for i := range posts {
		if _, err := os.Stat(filepath.Join(out, fmt.Sprintf("posts/p%03d/index.html", i))); err != nil {
			t.Fatalf("post %d missing from the output: %v", i, err)
		}
	}
	assertNoStrays(t, filepath.Dir(out), "public", ".public.benchpress.lock")
}

// TestBuildWaitsForLock: a build waits while another holds the lock, and
// gives up, untouched, when its context ends.
func TestBuildWaitsForLock(t *testing.T) {
	root := writeSite(t, "testdata/basic.txtar")
	out := filepath.Join(t.TempDir(), "public")
	unlock, err := lockOutput(t.Context(), out, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	var log bytes.Buffer
	_, err = Build(ctx, Options{Root: root, Out: out, Theme: testTheme, Runner: basicRunner(), Now: testNow, Log: &log})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("build under a held lock: %v", err)
	}
	if !strings.Contains(log.String(), "waiting for another build") {
		t.Errorf("log %q does not say the build waited", log.String())
	}
	unlock()
	if _, err := Build(t.Context(), Options{Root: root, Out: out, Theme: testTheme, Runner: basicRunner(), Now: testNow}); err != nil {
		t.Fatalf("after the lock was released: %v", err)
	}
}

// TestStaleStagingRemoved: what killed builds leave beside the output is
// removed by the next build, including a staging directory whose removal
// was interrupted, and nothing else is.
func TestStaleStagingRemoved(t *testing.T) {
	root := writeSite(t, "testdata/basic.txtar")
	parent := t.TempDir()
	out := filepath.Join(parent, "public")
	mk := func(rel, data string) {
		p := filepath.Join(parent, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(data), 0o644)
	}
	// Killed while rendering: a marked staging directory.
	mk(".public.benchpress-111/"+MarkerFile, markerText)
	mk(".public.benchpress-111/posts/x/index.html", "half")
	// Killed while removing the old output: what removeTree leaves, the
	// marker last, with a few files it had not reached.
	mk(".public.benchpress-222/"+MarkerFile, markerText)
	mk(".public.benchpress-222/tags/go/index.html", "old")
	// Killed after removing everything but the directory itself.
	os.MkdirAll(filepath.Join(parent, ".public.benchpress-333"), 0o755)
	// Not benchpress's, whatever its name says: never deleted.
	mk(".public.benchpress-444/notes.txt", "mine")
	mk("other/file", "mine")

	if _, err := Build(t.Context(), Options{Root: root, Out: out, Theme: testTheme, Runner: basicRunner(), Now: testNow}); err != nil {
		t.Fatal(err)
	}
	assertNoStrays(t, parent, "public", ".public.benchpress.lock", ".public.benchpress-444", "other")
	if b, _ := os.ReadFile(filepath.Join(parent, ".public.benchpress-444/notes.txt")); string(b) != "mine" {
		t.Error("a directory without the marker was touched")
	}
}

// TestRemoveTreeMarkerLast: an interrupted removal leaves the marker, so the
// directory is still known as benchpress's.
func TestRemoveTreeMarkerLast(t *testing.T) {
	dir := filepath.Join(t.TempDir(), ".public.benchpress-1")
	os.MkdirAll(filepath.Join(dir, "posts"), 0o755)
	os.WriteFile(filepath.Join(dir, MarkerFile), []byte(markerText), 0o644)
	for i := range 100 {
		os.MkdirAll(filepath.Join(dir, "posts", fmt.Sprint(i)), 0o755)
		os.WriteFile(filepath.Join(dir, "posts", fmt.Sprint(i), "index.html"), nil, 0o644)
	}
	// A subdirectory that cannot be emptied stands in for a kill.
	stuck := filepath.Join(dir, "stuck")
	os.MkdirAll(stuck, 0o755)
	os.WriteFile(filepath.Join(stuck, "f"), nil, 0o644)
	if err := exec.Command("chattr", "+i", filepath.Join(stuck, "f")).Run(); err != nil {
		// Without the immutable attribute (not root, or a file system
		// without it), a read-only directory does the same for non-root.
		if os.Getuid() == 0 {
			t.Skipf("cannot make a file undeletable here: %v", err)
		}
		os.Chmod(stuck, 0o555)
		defer os.Chmod(stuck, 0o755)
	} else {
		defer exec.Command("chattr", "-i", filepath.Join(stuck, "f")).Run()
	}
	if err := removeTree(dir); err == nil {
		t.Fatal("removeTree succeeded on an undeletable file")
	}
	if !hasMarker(dir) {
		t.Error("the marker was removed before the rest")
	}
	if _, err := os.Stat(filepath.Join(dir, "posts")); err == nil {
		t.Error("the deletable part was not removed")
	}
}

// TestUnreadableOutRefused: an output directory whose contents cannot be
// read is refused before anything is touched. Root reads everything, so
// the check runs in a child process as nobody when the test runs as root.
func TestUnreadableOutRefused(t *testing.T) {
	if os.Getenv("BENCHPRESS_TEST_CHECK_REPLACEABLE") != "" {
		err := checkReplaceable(os.Getenv("BENCHPRESS_TEST_CHECK_REPLACEABLE"))
		fmt.Print(err)
		return
	}
	parent := t.TempDir()
	os.Chmod(filepath.Dir(parent), 0o755) // the test's own directory, 0700 by default
	os.Chmod(parent, 0o755)
	out := filepath.Join(parent, "public")
	os.MkdirAll(filepath.Join(out, "posts"), 0o755)
	os.WriteFile(filepath.Join(out, MarkerFile), []byte(markerText), 0o644)
	os.WriteFile(filepath.Join(out, "index.html"), []byte("old"), 0o644)
	os.Chmod(out, 0o000)
	defer os.Chmod(out, 0o755)

	bin := os.Args[0]
	if os.Getuid() == 0 {
		// The test binary sits in a directory only root may enter.
		bin = filepath.Join(parent, "generator.test")
		data, err := os.ReadFile(os.Args[0])
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(bin, data, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bin, "-test.run=^TestUnreadableOutRefused$")
	cmd.Env = append(os.Environ(), "BENCHPRESS_TEST_CHECK_REPLACEABLE="+out)
	if os.Getuid() == 0 {
		for d := parent; d != "/"; d = filepath.Dir(d) {
			if st, err := os.Stat(d); err == nil && st.Mode().Perm()&0o005 != 0o005 {
				t.Skipf("%s is not open to other users; cannot test as nobody", d)
			}
		}
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	got, err := cmd.Output()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, got)
	}
	want := "refusing to replace " + out + ": cannot read it (permission denied); fix its permissions or choose another --out"
	if !strings.HasPrefix(string(got), want) {
		t.Errorf("checkReplaceable = %s\nwant %s", got, want)
	}
	os.Chmod(out, 0o755)
	if b, _ := os.ReadFile(filepath.Join(out, "index.html")); string(b) != "old" {
		t.Error("the output was touched")
	}
}
