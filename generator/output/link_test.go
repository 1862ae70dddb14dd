package output

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestLinkFileOpenFile: LinkFile links the file its caller opened and
// checked, not whatever the name leads to by the time of the link: a
// symbolic link swapped in at the name (to a secret outside the site)
// is neither linked into the output nor followed.
func TestLinkFileOpenFile(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("links by descriptor on Linux only")
	}
	cache := t.TempDir()
	entry := filepath.Join(cache, "card.png")
	os.WriteFile(entry, []byte("cached card"), 0o644)
	secret := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(secret, []byte("secret"), 0o600)
	f, err := os.Open(entry)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	os.Rename(entry, entry+".old") // the inode lives on, under another name
	if err := os.Symlink(secret, entry); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	out := NewDir(t.TempDir())
	if err := out.LinkFile("posts/a/og-card.png", f); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(out.root, "posts", "a", "og-card.png")
	st, err := os.Lstat(p)
	if err != nil || !st.Mode().IsRegular() {
		t.Fatalf("published %v, %v: want a regular file", st, err)
	}
	if b, _ := os.ReadFile(p); string(b) != "cached card" {
		t.Errorf("published %q, want the opened file's bytes", b)
	}
}

// TestLinkFileUnlinked: an open file whose last name is gone cannot be
// linked; LinkFile fails (the caller writes the bytes) rather than link
// anything else.
func TestLinkFileUnlinked(t *testing.T) {
	entry := filepath.Join(t.TempDir(), "card.png")
	os.WriteFile(entry, []byte("cached card"), 0o644)
	f, err := os.Open(entry)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	os.Remove(entry)
	out := NewDir(t.TempDir())
	if err := out.LinkFile("og-card.png", f); err == nil {
		t.Error("linked a file with no name left")
	}
}
