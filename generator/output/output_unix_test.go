//go:build unix

package output

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

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
		bin = filepath.Join(parent, "output.test")
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
