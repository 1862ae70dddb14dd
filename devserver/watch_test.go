package devserver

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/benchpress/benchpress/internal/testdeadline"
)

func newSite(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for _, f := range []string{"config.yaml", "content/posts/a.md", "layouts/partials/x.html", "static/css/s.css", "public/index.html"} {
		p := filepath.Join(root, f)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte("x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func startWatch(t *testing.T, root string) *Watcher {
	t.Helper()
	w, err := Watch(root, []string{"content", "themes", "layouts", "static"}, []string{"config.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// next returns the next batch, or nil after a while.
func next(w *Watcher, wait time.Duration) []string {
	select {
	case b := <-w.Changes():
		return b
	case <-time.After(wait):
		return nil
	}
}

// collect gathers batches until want's paths have all been seen.
func collect(t *testing.T, w *Watcher, want ...string) []string {
	t.Helper()
	var seen []string
	deadline := time.Now().Add(testdeadline.Scale(5 * time.Second))
	for time.Now().Before(deadline) {
		seen = append(seen, next(w, 100*time.Millisecond)...)
		all := true
		for _, p := range want {
			all = all && slices.Contains(seen, p)
		}
		if all {
			return seen
		}
	}
	t.Fatalf("saw %v, want %v among them", seen, want)
	return nil
}

func write(t *testing.T, root, name, data string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestWatchEditAndBurst(t *testing.T) {
	root := newSite(t)
	w := startWatch(t, root)
	// A burst of writes to several files comes in one batch (or a few,
	// on a loaded machine), each path once.
	for i := 0; i < 10; i++ {
		write(t, root, "content/posts/a.md", "edit\n")
		write(t, root, "layouts/partials/x.html", "edit\n")
	}
	var batches [][]string
	seen := map[string]int{}
	for b := next(w, 5*time.Second); b != nil; b = next(w, 300*time.Millisecond) {
		batches = append(batches, b)
		for _, p := range b {
			seen[p]++
		}
	}
	if len(seen) != 2 || seen["content/posts/a.md"] == 0 || seen["layouts/partials/x.html"] == 0 {
		t.Fatalf("batches = %v", batches)
	}
	if len(batches) > 5 {
		t.Errorf("20 writes in a burst gave %d batches: %v", len(batches), batches)
	}
	// Outside the sources: nothing.
	write(t, root, "public/index.html", "out\n")
	write(t, root, "notes.txt", "x\n")
	if b := next(w, 200*time.Millisecond); b != nil {
		t.Errorf("changes outside the sources reported: %v", b)
	}
}

// TestWatchSaveByRename saves as vim and atomic-replace editors do: a
// temporary file (ignored) renamed over the original.
func TestWatchSaveByRename(t *testing.T) {
	root := newSite(t)
	w := startWatch(t, root)
	for _, name := range []string{"content/posts/a.md", "config.yaml"} {
		dir, base := filepath.Split(filepath.Join(root, name))
		tmp := filepath.Join(dir, "."+base+".swp")
		os.WriteFile(tmp, []byte("new\n"), 0o644)
		if err := os.Rename(tmp, filepath.Join(dir, base)); err != nil {
			t.Fatal(err)
		}
		got := collect(t, w, name)
		for _, p := range got {
			if p != name {
				t.Errorf("editor temp file reported: %v", got)
			}
		}
	}
	// sed -i's: a temporary file of a name that is not ignored, renamed
	// over the original: only the post is reported.
	dir := filepath.Join(root, "content/posts")
	os.WriteFile(filepath.Join(dir, "sedX4mNb2"), []byte("sed\n"), 0o644)
	if err := os.Rename(filepath.Join(dir, "sedX4mNb2"), filepath.Join(dir, "a.md")); err != nil {
		t.Fatal(err)
	}
	// (On a machine so busy that the batch is sent between the write and
	// the rename, the file did exist when it was reported: only a batch
	// holding both is wrong.)
	for deadline := time.Now().Add(testdeadline.Scale(5 * time.Second)); time.Now().Before(deadline); {
		b := next(w, 100*time.Millisecond)
		if slices.Contains(b, "content/posts/sedX4mNb2") && slices.Contains(b, "content/posts/a.md") {
			t.Errorf("sed's temporary file reported with the post it replaced: %v", b)
		}
		if slices.Contains(b, "content/posts/a.md") {
			break
		}
	}
	// vim's other dance: the original renamed to a backup, a new file written.
	p := filepath.Join(root, "content/posts/a.md")
	os.Rename(p, p+"~")
	os.WriteFile(p, []byte("third\n"), 0o644)
	os.Remove(p + "~")
	collect(t, w, "content/posts/a.md")
}

// TestWatchNewFolders: folders made after the start are watched, with the
// files already in them, and a source folder created later is picked up.
func TestWatchNewFolders(t *testing.T) {
	root := newSite(t)
	w := startWatch(t, root)
	// MkdirAll and the write race the watcher adding the folder: the
	// file is reported either way.
	write(t, root, "content/posts/bundle/deep/index.md", "x\n")
	collect(t, w, "content/posts/bundle/deep/index.md")
	write(t, root, "content/posts/bundle/deep/img.svg", "<svg/>\n")
	collect(t, w, "content/posts/bundle/deep/img.svg")

	write(t, root, "themes/mine/layouts/base.html", "x\n")
	collect(t, w, "themes/mine/layouts/base.html")
	write(t, root, "themes/mine/layouts/base.html", "y\n")
	collect(t, w, "themes/mine/layouts/base.html")

	if err := os.RemoveAll(filepath.Join(root, "content/posts/bundle")); err != nil {
		t.Fatal(err)
	}
	collect(t, w, "content/posts/bundle")
}

// TestWatchTransientWhileBusy: a temporary file left out of a batch stays
// out when the batch is rebuilt because another change came before the
// consumer took it (serve busy rebuilding).
func TestWatchTransientWhileBusy(t *testing.T) {
	root := newSite(t)
	w := startWatch(t, root)
	dir := filepath.Join(root, "content/posts")
	os.WriteFile(filepath.Join(dir, "sedQ1w2e3"), []byte("sed\n"), 0o644)
	if err := os.Rename(filepath.Join(dir, "sedQ1w2e3"), filepath.Join(dir, "a.md")); err != nil {
		t.Fatal(err)
	}
	// Nobody reads yet: the batch is built and waits; a new change then
	// takes it back. (Sleeping only gives the batch time to be built;
	// the check holds however long it took.)
	time.Sleep(10 * Quiet)
	write(t, root, "layouts/partials/x.html", "edit\n")
	got := collect(t, w, "content/posts/a.md", "layouts/partials/x.html")
	if slices.Contains(got, "content/posts/sedQ1w2e3") {
		t.Errorf("sed's temporary file reported after the batch was rebuilt: %v", got)
	}
}
