package generator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/benchpress/benchpress/generator/output"
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
	unlock, err := output.Lock(t.Context(), out, nil)
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
	mk(".public.benchpress-111/"+output.MarkerFile, "benchpress output\n")
	mk(".public.benchpress-111/posts/x/index.html", "half")
	// Killed while removing the old output: what removeTree leaves, the
	// marker last, with a few files it had not reached.
	mk(".public.benchpress-222/"+output.MarkerFile, "benchpress output\n")
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
