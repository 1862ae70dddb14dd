package output

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// site makes an output directory as a build leaves it: the marker and an
// index.html saying which build made it.
func site(t *testing.T, dir, which string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, MarkerFile), []byte(markerText), 0o644)
	os.WriteFile(filepath.Join(dir, "index.html"), []byte(which), 0o644)
}

// staged makes an output holding the "old" site and a staging directory
// holding the "new" one's index.html, ready to commit.
func staged(t *testing.T) (out string, s *Staging) {
	t.Helper()
	out = filepath.Join(t.TempDir(), "public")
	site(t, out, "old")
	s, err := Stage(out)
	if err != nil {
		t.Fatal(err)
	}
	s.WriteFile("index.html", []byte("new"))
	return out, s
}

func index(t *testing.T, out string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// leftovers lists what sits beside out but out and the lock.
func leftovers(out string) []string {
	var names []string
	entries, _ := os.ReadDir(filepath.Dir(out))
	for _, e := range entries {
		if e.Name() != filepath.Base(out) && e.Name() != "."+filepath.Base(out)+".benchpress.lock" {
			names = append(names, e.Name())
		}
	}
	return names
}

// TestCommit: both ways of swapping the output in, this OS's exchange and
// the rename dance of OSes without one (Windows), replace the previous
// output whole and leave nothing beside it.
func TestCommit(t *testing.T) {
	noExchange := func(a, b string) error { return errors.ErrUnsupported }
	for _, tt := range []struct {
		name     string
		exchange func(a, b string) error
	}{{"exchange", exchange}, {"rename dance", noExchange}} {
		t.Run(tt.name, func(t *testing.T) {
			out, s := staged(t)
			if err := commitWith(s.root, out, tt.exchange); err != nil {
				t.Fatal(err)
			}
			if got := index(t, out); got != "new" {
				t.Errorf("output holds %q, want the new build", got)
			}
			if l := leftovers(out); len(l) > 0 {
				t.Errorf("left beside the output: %q", l)
			}
		})
	}
}

// TestRecoverOld: a build killed between the rename dance's two renames
// leaves no output and the previous one aside; the next build puts it
// back before staging, and removes the killed build's staging directory.
func TestRecoverOld(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "public")
	killed := filepath.Join(parent, ".public.benchpress-123")
	site(t, killed, "new, never committed")
	site(t, killed+oldSuffix, "old")
	s, err := Stage(out)
	if err != nil {
		t.Fatal(err)
	}
	if got := index(t, out); got != "old" {
		t.Errorf("after Stage the output holds %q, want the previous output back", got)
	}
	s.Discard()
	if l := leftovers(out); len(l) > 0 {
		t.Errorf("left beside the output: %q", l)
	}
}

// TestGate: a stop before the commit keeps the previous output, and a stop
// once the commit has begun is refused and the commit completes, so the
// two never both happen. The hook stands in for a signal arriving at that
// moment.
func TestGate(t *testing.T) {
	t.Run("stop first", func(t *testing.T) {
		out, s := staged(t)
		g := new(Gate)
		if !g.Stop() {
			t.Fatal("Stop before the commit did not stop")
		}
		if err := s.Commit(WithGate(context.Background(), g)); err != ErrStopped {
			t.Errorf("Commit after Stop = %v, want ErrStopped", err)
		}
		if got := index(t, out); got != "old" {
			t.Errorf("output holds %q, want the previous output", got)
		}
		if l := leftovers(out); len(l) > 0 {
			t.Errorf("left beside the output: %q", l)
		}
	})
	t.Run("commit first", func(t *testing.T) {
		out, s := staged(t)
		g := new(Gate)
		stopped := true
		testHookCommitting = func() { stopped = g.Stop() }
		defer func() { testHookCommitting = nil }()
		if err := s.Commit(WithGate(context.Background(), g)); err != nil {
			t.Fatal(err)
		}
		if stopped {
			t.Error("Stop during the commit claimed to stop the build")
		}
		if got := index(t, out); got != "new" {
			t.Errorf("output holds %q, want the new build", got)
		}
	})
}

// TestLock: a second lock of the same output waits for the first, and
// gives up when its context ends.
func TestLock(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	unlock, err := Lock(context.Background(), out, nil)
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(filepath.Dir(out), ".public.benchpress.lock")
	if _, err := tryLock(name); !errors.Is(err, errLocked) {
		t.Fatalf("second lock while held: %v, want errLocked", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Lock(ctx, out, new(discard)); !errors.Is(err, context.Canceled) {
		t.Errorf("Lock with a done context while held: %v, want context.Canceled", err)
	}
	unlock()
	unlock2, err := tryLock(name)
	if err != nil {
		t.Fatalf("lock after unlock: %v", err)
	}
	unlock2()
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
