//go:build unix

package output

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// elsewhere makes a directory outside the site that looks like another
// benchpress output (it holds the marker), and returns it.
func elsewhere(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "www")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{MarkerFile: markerText, "index.html": "precious"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func intact(t *testing.T, dir string) {
	t.Helper()
	if b, err := os.ReadFile(filepath.Join(dir, "index.html")); err != nil || string(b) != "precious" {
		t.Errorf("the directory the link points to lost its files: %q, %v", b, err)
	}
}

// TestLinksAmongOutputs: names beside the output that a site can commit as
// symbolic links (the output itself, a previous output an interrupted
// build left, the lock file) never make a build write or delete where
// they point.
func TestLinksAmongOutputs(t *testing.T) {
	t.Run("output", func(t *testing.T) {
		site, www := t.TempDir(), elsewhere(t)
		out := filepath.Join(site, "public")
		if err := os.Symlink(www, out); err != nil {
			t.Fatal(err)
		}
		err := Check(site, out)
		if err == nil || !strings.Contains(err.Error(), out+" is a symbolic link: benchpress replaces the output directory whole") {
			t.Errorf("Check of a linked output: %v", err)
		}
		intact(t, www)
	})
	t.Run("previous output", func(t *testing.T) {
		site, www := t.TempDir(), elsewhere(t)
		out := filepath.Join(site, "public")
		if err := os.Symlink(www, filepath.Join(site, ".public.benchpress-x"+oldSuffix)); err != nil {
			t.Fatal(err)
		}
		s, err := Stage(out)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Commit(context.Background()); err != nil {
			t.Fatal(err)
		}
		if st, err := os.Lstat(out); err != nil || !st.IsDir() {
			t.Errorf("the output is not the build's own directory: %v, %v", st, err)
		}
		intact(t, www)
	})
	t.Run("staging", func(t *testing.T) {
		site, www := t.TempDir(), elsewhere(t)
		if err := os.Symlink(www, filepath.Join(site, ".public.benchpress-y")); err != nil {
			t.Fatal(err)
		}
		s, err := Stage(filepath.Join(site, "public"))
		if err != nil {
			t.Fatal(err)
		}
		s.Discard()
		intact(t, www)
	})
	t.Run("removeTree", func(t *testing.T) {
		www := elsewhere(t)
		link := filepath.Join(t.TempDir(), "old")
		if err := os.Symlink(www, link); err != nil {
			t.Fatal(err)
		}
		if err := removeTree(link); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Lstat(link); !os.IsNotExist(err) {
			t.Errorf("the link is still there: %v", err)
		}
		intact(t, www)
	})
	t.Run("lock", func(t *testing.T) {
		site := t.TempDir()
		target := filepath.Join(t.TempDir(), "created-by-the-build")
		lock := filepath.Join(site, ".public.benchpress.lock")
		if err := os.Symlink(target, lock); err != nil {
			t.Fatal(err)
		}
		_, err := Lock(context.Background(), filepath.Join(site, "public"), io.Discard)
		if err == nil || err.Error() != lock+" is a symbolic link: benchpress makes this lock file itself; remove the link" {
			t.Errorf("Lock through a link: %v", err)
		}
		if _, err := os.Lstat(target); !os.IsNotExist(err) {
			t.Errorf("the lock's link made a file where it points: %v", err)
		}
	})
}
