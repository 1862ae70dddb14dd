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
