package playground

import (
	"context"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/benchpress/benchpress/internal/golden"
)

// TestProgramSignals checks that a program starts with every signal at its
// default action and none blocked, as a shell's child does, through the real
// sandbox: not with the ignores of the sandbox's init, nor with a signal
// mask or ignore the host process had (here: SIGUSR2 and SIGWINCH blocked
// on the thread that starts the sandbox, SIGHUP ignored as under nohup).
func TestProgramSignals(t *testing.T) {
	needSandbox(t)
	bin := filepath.Join(t.TempDir(), "signals")
	build := exec.Command("go", "build", "-o", bin, filepath.Join("testdata", "programs", "signals.go"))
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-trimpath")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	signal.Ignore(syscall.SIGHUP)
	defer signal.Reset(syscall.SIGHUP)
	// What the sandbox's process inherits from this one comes from the
	// thread that starts it: this goroutine's, locked, with its mask. The
	// thread is thrown away after the test (no UnlockOSThread).
	done := make(chan struct{})
	var res Result
	var err error
	go func() {
		defer close(done)
		runtime.LockOSThread()
		var mask unix.Sigset_t
		mask.Val[0] = 1<<(unix.SIGUSR2-1) | 1<<(unix.SIGWINCH-1)
		if err = unix.PthreadSigmask(unix.SIG_BLOCK, &mask, nil); err != nil {
			return
		}
		res, err = execute(context.Background(), true, bin, []string{"main"}, nil, DefaultLimits)
	}()
	<-done
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != StatusOK {
		t.Fatalf("status %s: %s %s", res.Status, res.Stdout(), res.Stderr())
	}
	golden.Check(t, "signals.golden", []byte(res.Stdout()))
}

// TestSandboxProcessGroup checks that the sandbox (its init, and so the
// program) runs in a process group of its own: a terminal sends Ctrl+C to
// its foreground group, benchpress's, and the program, which no longer
// ignores SIGINT, must not get it too and die before benchpress ends the
// run and says so.
func TestSandboxProcessGroup(t *testing.T) {
	needSandbox(t)
	x, err := prepareRun(context.Background(), true, []string{"main"}, nil, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	defer x.abort()
	pid := x.p.(*sandboxProc).cmd.Process.Pid
	pgid, err := syscall.Getpgid(pid)
	if err != nil {
		t.Fatal(err)
	}
	if pgid != pid || pgid == syscall.Getpgrp() {
		t.Errorf("the sandbox's init %d is in process group %d (ours: %d), want its own", pid, pgid, syscall.Getpgrp())
	}
}
