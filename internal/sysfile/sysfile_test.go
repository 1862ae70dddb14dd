package sysfile

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
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
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
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

// confinements are the implementations of DirFS compiled here: this OS's
// and the portable one on os.Root, so Linux tests the portable one too.
var confinements = []struct {
	name  string
	dirFS func(string) fs.FS
}{
	{"DirFS", DirFS},
	{"os.Root", func(dir string) fs.FS { return newRootFS(dir) }},
}

// TestDirFS: DirFS reads what os.DirFS reads and fails as it fails.
func TestDirFS(t *testing.T) {
	for _, c := range confinements {
		t.Run(c.name, func(t *testing.T) { testDirFS(t, c.dirFS) })
	}
}

func testDirFS(t *testing.T, DirFS func(string) fs.FS) {
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

// TestDirFSConfined: links are followed only when they stay inside the
// root; every way of reading refuses the others with ErrOutside.
func TestDirFSConfined(t *testing.T) {
	for _, c := range confinements {
		t.Run(c.name, func(t *testing.T) { testDirFSConfined(t, c.dirFS) })
	}
}

func testDirFSConfined(t *testing.T, DirFS func(string) fs.FS) {
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "secret"), []byte("host secret"), 0o600)
	root := t.TempDir()
	mk := func(rel, data string) {
		p := filepath.Join(root, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(data), 0o644)
	}
	link := func(rel, target string) {
		p := filepath.Join(root, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
	mk("content/posts/a.md", "post a")
	mk("static/img/x.svg", "<svg/>")
	link("content/posts/rel.md", "a.md")                                       // relative, inside
	link("content/posts/up.md", "../../static/img/x.svg")                      // relative, climbs, stays inside
	link("content/posts/abs-in.md", filepath.Join(root, "content/posts/a.md")) // absolute, inside
	link("content/posts/shadow.txt", "/etc/shadow")
	link("content/posts/env.txt", "/proc/self/environ")
	link("content/posts/secret", filepath.Join(outside, "secret"))
	link("content/posts/climb", "../../../"+filepath.Base(outside)+"/secret")
	link("content/posts/out-dir", outside) // a directory outside
	link("themes", outside)                // a whole layer outside
	link("content/posts/chain", "secret")  // a link to a link that leaves
	link("content/posts/loop", "loop")     // a loop stays an error, not a hang
	fsys := DirFS(root)

	inside := map[string]string{
		"content/posts/a.md":      "post a",
		"content/posts/rel.md":    "post a",
		"content/posts/up.md":     "<svg/>",
		"content/posts/abs-in.md": "post a",
	}
	for name, want := range inside {
		got, err := fs.ReadFile(fsys, name)
		if err != nil || string(got) != want {
			t.Errorf("ReadFile(%q) = %q, %v; want %q", name, got, err, want)
		}
		if _, err := fs.Stat(fsys, name); err != nil {
			t.Errorf("Stat(%q): %v", name, err)
		}
	}
	for _, name := range []string{
		"content/posts/shadow.txt", "content/posts/env.txt", "content/posts/secret", "content/posts/climb",
		"content/posts/out-dir/secret", "themes/secret", "content/posts/chain",
	} {
		if b, err := fs.ReadFile(fsys, name); !errors.Is(err, ErrOutside) {
			t.Errorf("ReadFile(%q) = %q, %v; want ErrOutside", name, b, err)
		}
		if f, err := fsys.Open(name); !errors.Is(err, ErrOutside) {
			t.Errorf("Open(%q): %v; want ErrOutside", name, err)
			if err == nil {
				f.Close()
			}
		}
		if _, err := fs.Stat(fsys, name); !errors.Is(err, ErrOutside) {
			t.Errorf("Stat(%q): %v; want ErrOutside", name, err)
		}
	}
	for _, dir := range []string{"themes", "content/posts/out-dir"} {
		if _, err := fs.ReadDir(fsys, dir); !errors.Is(err, ErrOutside) {
			t.Errorf("ReadDir(%q): %v; want ErrOutside", dir, err)
		}
	}
	if _, err := fs.ReadFile(fsys, "content/posts/loop"); err == nil || errors.Is(err, ErrOutside) {
		t.Errorf("ReadFile(loop) = %v; want a plain error", err)
	}
	// The message says what to do and names the file, as the build shows it.
	_, err := fs.ReadFile(fsys, "content/posts/shadow.txt")
	if want := "open content/posts/shadow.txt: symlink points outside the site: only links that stay inside the site are followed"; err == nil || err.Error() != want {
		t.Errorf("error = %v\nwant    %s", err, want)
	}
	// A walk lists links as what they are and never descends into them.
	var walked []string
	fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			walked = append(walked, p)
		}
		return err
	})
	for _, p := range walked {
		if strings.Contains(p, "out-dir/") || strings.HasPrefix(p, "themes/") {
			t.Errorf("WalkDir went through a link out of the root: %s", p)
		}
	}
}

func TestWithin(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	os.MkdirAll(filepath.Join(root, "in"), 0o755)
	os.Symlink(outside, filepath.Join(root, "escape"))
	os.Symlink("in", filepath.Join(root, "alias"))
	os.Symlink(filepath.Join(outside, "not", "yet"), filepath.Join(root, "dangling"))
	os.Symlink("in/none", filepath.Join(root, "dangling-in"))
	tests := []struct {
		path string
		want bool
	}{
		{root, true},
		{filepath.Join(root, "in"), true},
		{filepath.Join(root, "in/not/yet/made"), true},
		{filepath.Join(root, "alias/x"), true},
		{filepath.Join(root, "escape"), false},
		{filepath.Join(root, "escape/results"), false},
		{filepath.Join(root, "../x"), false},
		{filepath.Join(root, "dangling"), false},
		{filepath.Join(root, "dangling/results"), false},
		{filepath.Join(root, "dangling-in/x"), false},
		{outside, false},
		{"/", false},
	}
	for _, tt := range tests {
		got, err := Within(root, tt.path)
		if err != nil || got != tt.want {
			t.Errorf("Within(root, %q) = %v, %v; want %v", tt.path, got, err, tt.want)
		}
	}
}

// BenchmarkDirFSReadFile reads a post-sized file three directories deep,
// as a build reads each post, through each confinement.
func BenchmarkDirFSReadFile(b *testing.B) {
	dir := b.TempDir()
	os.MkdirAll(filepath.Join(dir, "content", "posts", "2026"), 0o755)
	os.WriteFile(filepath.Join(dir, "content", "posts", "2026", "a.md"), bytes.Repeat([]byte("line of markdown\n"), 300), 0o644)
	for _, c := range confinements {
		b.Run(c.name, func(b *testing.B) {
			fsys := c.dirFS(dir)
			for b.Loop() {
				if _, err := fs.ReadFile(fsys, "content/posts/2026/a.md"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
