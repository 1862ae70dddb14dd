//go:build unix

package playground

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

// The signals execute tells apart in a program's end.
const (
	sigXCPU = int(syscall.SIGXCPU)
	sigKILL = int(syscall.SIGKILL)
)

// bareSupported says why programs cannot run unsandboxed here: on Unix
// they can.
func bareSupported() error { return nil }

// bareProc is a program run with sandbox: none, in its own process group.
type bareProc struct{ cmd *exec.Cmd }

func (p *bareProc) kill() { syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL) }

func (p *bareProc) wait() (string, error) {
	err := p.cmd.Wait()
	// Whatever the program left behind goes with it.
	syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	ps := p.cmd.ProcessState
	if ps == nil {
		return "", err
	}
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return fmt.Sprintf("signal %d", int(ws.Signal())), nil
	}
	return fmt.Sprintf("exit %d", ps.ExitCode()), nil
}

func spawnBare(bin string, argv, env []string, dir string, stdin, stdout, stderr *os.File) (proc, error) {
	cmd := &exec.Cmd{
		Path:        bin,
		Args:        argv,
		Env:         env,
		Dir:         dir,
		Stdout:      stdout,
		Stderr:      stderr,
		SysProcAttr: &syscall.SysProcAttr{Setpgid: true},
	}
	if stdin != nil {
		cmd.Stdin = stdin
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &bareProc{cmd}, nil
}
