package playground

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// TestSetupFaults provokes the sandbox setup faults that are not the
// kernel's (a limit above the hard limit benchpress runs under, arguments
// too long to exec, programs built on a noexec mount) and checks that each
// says its cause and its fix, never the advice to turn the sandbox off; and
// that tight limits bound the program, not the sandbox's own setup.
func TestSetupFaults(t *testing.T) {
	needSandbox(t)
	var nofile unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &nofile); err != nil {
		t.Fatal(err)
	}
	hello := Program{ID: "hello", Mode: ModeRun, Files: []File{{Name: "main.go", Data: []byte(
		"package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n\nfunc main() {\n\t_, err := os.Open(\"/dev/null\")\n\tfmt.Println(\"hello\", len(os.Args[1:]), err != nil)\n}\n")}}}
	long := hello
	long.Args = []string{strings.Repeat("x", 200<<10)}

	tests := []struct {
		name   string
		lim    Limits
		prog   Program
		noexec bool   // build under a noexec TMPDIR (needs root)
		umask  int    // build under this umask, if not 0
		want   string // the error, exactly; "" for none
		stdout string // without an error: what the program printed
	}{
		{name: "one open file", lim: Limits{NoFile: 1}, prog: hello, stdout: "hello 0 true\n"},
		{name: "three open files", lim: Limits{NoFile: 3}, prog: hello, stdout: "hello 0 true\n"},
		{name: "open files above the hard limit", lim: Limits{NoFile: int(nofile.Max) + 1}, prog: hello,
			want: fmt.Sprintf("the sandbox's open files limit, %d, is above the hard limit of %d that benchpress runs under (ulimit -Hn), "+
				"which nothing inside the sandbox may raise: raise that hard limit where benchpress starts (a container's --ulimit), or lower the limit", nofile.Max+1, nofile.Max)},
		// As root, the program runs as nobody, who could not execute a
		// binary of mode 0700.
		{name: "umask 077", prog: hello, umask: 0o077, stdout: "hello 0 false\n"},
		{name: "arguments too long", prog: long,
			want: "starting the sandbox: the program's arguments take 204800 bytes, too many for one exec " +
				"(the sandbox passes them in one string, of at most 128 KiB): pass large input on standard input instead"},
		{name: "noexec TMPDIR", prog: hello, noexec: true,
			want: "the temporary directory TMPDIR (TMPDIR) is on a file system mounted noexec, where the programs benchpress builds cannot run: " +
				"set TMPDIR to a directory on a mount that allows executing files (benchpress builds snippets under TMPDIR)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := tc.want
			if tc.noexec {
				dir := noexecMount(t)
				t.Setenv("TMPDIR", dir)
				want = strings.Replace(want, "TMPDIR", dir, 1)
			}
			if tc.umask != 0 {
				old := syscall.Umask(tc.umask)
				defer syscall.Umask(old)
			}
			r, err := New(Config{Limits: tc.lim, Parallelism: 1})
			if err != nil {
				t.Fatal(err)
			}
			res, err := r.Run(context.Background(), tc.prog)
			switch {
			case want == "" && err != nil:
				t.Fatalf("error %v, want none", err)
			case want == "":
				if res.Status != StatusOK || res.Stdout() != tc.stdout {
					t.Errorf("status %s, stdout %q, stderr %q; want ok and %q", res.Status, res.Stdout(), res.Stderr(), tc.stdout)
				}
			case err == nil:
				t.Fatalf("no error (status %s, stdout %q, stderr %q), want %q", res.Status, res.Stdout(), res.Stderr(), want)
			case err.Error() != want:
				t.Errorf("error:\n%v\nwant:\n%s", err, want)
			}
		})
	}

	// A binary on a noexec mount handed to the sandbox, as a run whose
	// build directory was checked but moved: the host's check names it.
	t.Run("noexec binary", func(t *testing.T) {
		dir := noexecMount(t)
		bin := filepath.Join(dir, "main")
		self, err := os.ReadFile("/proc/self/exe")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(bin, self, 0o755); err != nil {
			t.Fatal(err)
		}
		_, err = execute(context.Background(), true, bin, []string{"main"}, nil, DefaultLimits)
		want := "the program's binary " + bin + " is on a file system mounted noexec, where the programs benchpress builds cannot run: " +
			"set TMPDIR to a directory on a mount that allows executing files (benchpress builds snippets under TMPDIR)"
		if err == nil || err.Error() != want {
			t.Errorf("error:\n%v\nwant:\n%s", err, want)
		}
	})
}

// noexecMount mounts a small tmpfs with noexec for the test and returns it.
// It needs root; elsewhere the test skips, but in CI as root a mount that
// fails is a failure.
func noexecMount(t *testing.T) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("mounting a noexec tmpfs needs root")
	}
	dir := t.TempDir()
	if err := unix.Mount("tmpfs", dir, "tmpfs", unix.MS_NOEXEC|unix.MS_NOSUID|unix.MS_NODEV, "size=64m"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI runs as root and must test a noexec mount: %v", err)
		}
		t.Skipf("cannot mount a noexec tmpfs here: %v", err)
	}
	t.Cleanup(func() {
		if err := unix.Unmount(dir, unix.MNT_DETACH); err != nil {
			t.Errorf("unmounting %s: %v", dir, err)
		}
	})
	return dir
}

// TestSetupFaultKinds checks how the host reads a sandbox's own report of
// a setup fault: "error" (the kernel's) is a *setupError, which a Runner
// turns into the advice about the sandbox; "fault" (the environment's or
// the request's) an *envError, passed on as it is.
func TestSetupFaultKinds(t *testing.T) {
	for _, tc := range []struct {
		line, want string
		kernel     bool
	}{
		{"error landlock restrict: function not implemented\nexit 125\n", "sandbox setup failed: landlock restrict: function not implemented", true},
		{"fault exec: argument list too long\nexit 125\n", "sandbox setup failed: exec: argument list too long", false},
	} {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		w.WriteString(tc.line)
		w.Close()
		cmd := exec.Command("true")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		p := &sandboxProc{cmd: cmd, status: r, handoff: -1}
		_, err = p.wait()
		var se *setupError
		var ee *envError
		switch {
		case err == nil || err.Error() != tc.want:
			t.Errorf("%q: error %v, want %q", tc.line, err, tc.want)
		case tc.kernel && !errors.As(err, &se):
			t.Errorf("%q: %T, want a *setupError", tc.line, err)
		case !tc.kernel && !errors.As(err, &ee):
			t.Errorf("%q: %T, want an *envError", tc.line, err)
		}
	}
}
