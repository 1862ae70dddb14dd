package sysfile

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"one byte", []byte("x")},
		{"a post", bytes.Repeat([]byte("line of markdown\n"), 700)},
		{"bigger than a read", bytes.Repeat([]byte{0, 1, 2, 255}, 1<<20)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-"))
			if err := WriteFile(p, tt.data, 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := ReadFile(p)
			if err != nil || !bytes.Equal(got, tt.data) {
				t.Fatalf("ReadFile: %d bytes, %v; want %d bytes", len(got), err, len(tt.data))
			}
			viaOS, _ := os.ReadFile(p)
			if !bytes.Equal(viaOS, tt.data) {
				t.Fatalf("os.ReadFile disagrees with what WriteFile wrote: %d bytes, want %d", len(viaOS), len(tt.data))
			}
			os.WriteFile(p+".os", tt.data, 0o644)
			st, _ := os.Stat(p)
			want, _ := os.Stat(p + ".os")
			if st.Mode() != want.Mode() {
				t.Errorf("mode %v, want %v as os.WriteFile gives", st.Mode(), want.Mode())
			}
		})
	}
}

// TestReadFileUnsized reads files whose size stat does not know, as
// os.ReadFile can.
func TestReadFileUnsized(t *testing.T) {
	got, err := ReadFile("/proc/self/status")
	if err != nil || !bytes.Contains(got, []byte("\nPid:")) {
		t.Fatalf("ReadFile(/proc/self/status) = %q, %v", got, err)
	}
}

func TestWriteFileTruncates(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	WriteFile(p, []byte("a longer first version"), 0o644)
	if err := WriteFile(p, []byte("short"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, _ := ReadFile(p); string(got) != "short" {
		t.Fatalf("got %q after rewriting, want %q", got, "short")
	}
}

// TestErrors: the errors are os's, so callers' errors.Is and messages hold.
func TestErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing")
	_, err := ReadFile(missing)
	_, osErr := os.ReadFile(missing)
	if !errors.Is(err, fs.ErrNotExist) || err.Error() != osErr.Error() {
		t.Errorf("ReadFile(missing) = %v, want %v", err, osErr)
	}
	if _, err := ReadFile(dir); err == nil {
		t.Errorf("ReadFile(a directory) succeeded")
	}
	err = WriteFile(filepath.Join(missing, "f"), nil, 0o644)
	osErr = os.WriteFile(filepath.Join(missing, "f"), nil, 0o644)
	if !errors.Is(err, fs.ErrNotExist) || err.Error() != osErr.Error() {
		t.Errorf("WriteFile(in a missing directory) = %v, want %v", err, osErr)
	}
}

// TestDirFS: DirFS reads what os.DirFS reads and fails as it fails.
func TestDirFS(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "content", "posts"), 0o755)
	os.WriteFile(filepath.Join(dir, "content", "posts", "a.md"), []byte("# A\n"), 0o644)
	fsys, std := DirFS(dir), os.DirFS(dir)
	for _, name := range []string{"content/posts/a.md", "content/posts/missing.md", "content", ".", "../x", "/etc/passwd", "content//posts/a.md"} {
		got, err := fs.ReadFile(fsys, name)
		want, wantErr := fs.ReadFile(std, name)
		if !bytes.Equal(got, want) || (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
			t.Errorf("ReadFile(%q) = %q, %v; os.DirFS gives %q, %v", name, got, err, want, wantErr)
		}
	}
	if err := fstest.TestFS(fsys, "content/posts/a.md"); err != nil {
		t.Error(err)
	}
}
