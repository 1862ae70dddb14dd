//go:build linux

package playground

import (
	"errors"
	"os"

	seccomp "github.com/elastic/go-seccomp-bpf"
	ll "github.com/landlock-lsm/go-landlock/landlock/syscall"

	"github.com/benchpress/benchpress/playground/internal/sandboxinit"
)

// The code that runs inside the sandbox is package sandboxinit; this file
// and spawn_linux.go are the host's side.

// MaybeRunSandboxInit turns the process into the sandbox's init or second
// stage when it was re-executed for that, and never returns then; in every
// other process it returns at once. Package sandboxinit's init does it
// before main runs, so a call first thing in main (and in TestMain of
// packages whose tests run programs) only says where the stages begin.
func MaybeRunSandboxInit() { sandboxinit.Run() }

// sandboxSupported says why this kernel cannot run the sandbox, or nil.
func sandboxSupported() error {
	if _, err := os.Stat("/proc/self/ns/user"); err != nil {
		return errors.New("this kernel has no user namespaces")
	}
	if abi, err := ll.LandlockGetABIVersion(); err != nil || abi < 1 {
		return errors.New("this kernel has no Landlock (Linux 5.13 or newer with landlock in the lsm= boot list)")
	}
	if !seccomp.Supported() {
		return errors.New("this kernel has no seccomp filters")
	}
	return nil
}
