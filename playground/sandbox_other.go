//go:build !linux

package playground

import (
	"errors"
	"os"
)

// MaybeRunSandboxInit does nothing where there is no sandbox.
func MaybeRunSandboxInit() {}

func sandboxSupported() error {
	return errors.New("the sandbox needs Linux (user namespaces, Landlock, seccomp)")
}

func startSandbox(argv, env []string, lim Limits, stdin, stdout, stderr *os.File) (pendingProc, error) {
	return nil, sandboxSupported()
}
