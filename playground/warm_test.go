package playground

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestWarm: a warm-up builds and runs one program and stores nothing.
func TestWarm(t *testing.T) {
	needSandbox(t)
	dir := filepath.Join(t.TempDir(), "results")
	r, err := New(Config{Results: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Warm(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r.Builds() != 1 || r.Execs() != 1 {
		t.Errorf("builds, execs = %d, %d; want 1, 1", r.Builds(), r.Execs())
	}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			t.Errorf("the warm-up stored %s", p)
		}
		return nil
	})
}
