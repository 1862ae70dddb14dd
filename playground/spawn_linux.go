//go:build linux

package playground

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/benchpress/benchpress/playground/internal/sandboxinit"
)

// startSandbox starts the sandbox (see package sandboxinit) for a program
// with the given arguments, environment, limits and standard streams, whose
// binary may not exist yet: the sandbox sets itself up, then waits for
// start to hand it the binary. The process is the sandbox's init: killing
// it kills everything in the sandbox.
func startSandbox(argv, env []string, lim Limits, stdin *os.File, stdout, stderr *os.File) (pendingProc, error) {
	// SOCK_SEQPACKET: the binary's one message arrives whole or not at
	// all, and closing the host's end reads as the end of the socket.
	pair, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_SEQPACKET|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	handoff := os.NewFile(uintptr(pair[1]), "handoff")
	defer handoff.Close()
	statusR, statusW, err := os.Pipe()
	if err != nil {
		unix.Close(pair[0])
		return nil, err
	}
	defer statusW.Close()
	spec := sandboxinit.Spec{
		Stage:    "init",
		Args:     argv,
		Env:      env,
		Memory:   lim.Memory,
		CPU:      uint64(lim.CPUTime() / time.Second),
		NoFile:   uint64(lim.NoFile),
		FileSize: lim.FileSize,
		Procs:    uint64(lim.Procs),
		TmpSize:  lim.TmpSize,
	}
	if err := checkHardLimits(&spec); err != nil {
		unix.Close(pair[0])
		statusR.Close()
		return nil, err
	}
	b, _ := json.Marshal(spec)
	uid, gid := os.Geteuid(), os.Getegid()
	if uid == 0 {
		// As host root, the sandbox's root maps to nobody: RLIMIT_NPROC is not
		// enforced for the host's root user, and nobody owns nothing.
		uid, gid = 65534, 65534
	}
	cmd := &exec.Cmd{
		Path:       "/proc/self/exe",
		Args:       []string{"benchpress-sandbox"},
		Env:        []string{sandboxinit.EnvVar + "=" + string(b)},
		Dir:        "/",
		Stdin:      stdin,
		Stdout:     stdout,
		Stderr:     stderr,
		ExtraFiles: []*os.File{handoff, statusW},
		SysProcAttr: &syscall.SysProcAttr{
			Cloneflags: syscall.CLONE_NEWUSER | syscall.CLONE_NEWPID | syscall.CLONE_NEWNET |
				syscall.CLONE_NEWNS | syscall.CLONE_NEWIPC | syscall.CLONE_NEWUTS,
			UidMappings:                []syscall.SysProcIDMap{{ContainerID: 0, HostID: uid, Size: 1}},
			GidMappings:                []syscall.SysProcIDMap{{ContainerID: 0, HostID: gid, Size: 1}},
			GidMappingsEnableSetgroups: false,
			// Become the namespace's root: as host root the process would
			// otherwise keep host uid 0, which the map does not cover.
			Credential: &syscall.Credential{Uid: 0, Gid: 0, NoSetGroups: true},
			Pdeathsig:  syscall.SIGKILL,
			// A process group of its own: the terminal's signals (Ctrl+C,
			// Ctrl+\, Ctrl+Z) are benchpress's, which ends the run and
			// reports it, as for a bare run. The program no longer ignores
			// them (see sandboxinit's resetSignals): in the terminal's
			// group it would die of Ctrl+C before benchpress could say so.
			Setpgid: true,
		},
	}
	if stdin == nil {
		cmd.Stdin = nil // /dev/null
	}
	if err := cmd.Start(); err != nil {
		unix.Close(pair[0])
		statusR.Close()
		if errors.Is(err, syscall.E2BIG) {
			// The spec, arguments and all, is one environment variable:
			// the kernel takes at most 128 KiB (32 pages) in one.
			n := 0
			for _, a := range argv[1:] {
				n += len(a)
			}
			return nil, &envError{fmt.Sprintf("starting the sandbox: the program's arguments take %d bytes, too many for one exec "+
				"(the sandbox passes them in one string, of at most 128 KiB): pass large input on standard input instead", n)}
		}
		return nil, &setupError{fmt.Sprintf("starting the sandbox: %v", err)}
	}
	return &sandboxProc{cmd: cmd, status: statusR, handoff: pair[0]}, nil
}

// sandboxProc is a started sandbox.
type sandboxProc struct {
	cmd     *exec.Cmd
	status  *os.File
	handoff int // the host's end of the handoff socket until start, then -1
}

// start hands the sandbox the program's binary, which it then execs. The
// descriptor sent is the file opened here (O_PATH: it can be executed and
// stat'ed, not read or written, and no path of it is sent), so the program
// that runs is the one built, whatever its directory holds by then.
//
// Only the regular file the build wrote goes: not one a symbolic link at
// bin points to (O_NOFOLLOW), nor a directory, FIFO or device. The second
// stage refuses those too, but a refusal there reads as a sandbox that
// cannot set itself up (whose advice is to turn the sandbox off); a
// binary that is missing or wrong is the host's fault, said as such
// (*hostError).
func (p *sandboxProc) start(bin string) error {
	defer p.closeHandoff()
	fd, err := unix.Open(bin, unix.O_PATH|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return &hostError{fmt.Errorf("opening the program's binary %s: %v", bin, err)}
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return &hostError{fmt.Errorf("the program's binary %s: %v", bin, err)}
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		return &hostError{fmt.Errorf("the program's binary %s is not a regular file (mode %#o)", bin, st.Mode&unix.S_IFMT)}
	}
	if st.Mode&0o111 == 0 {
		return &hostError{fmt.Errorf("the program's binary %s is not executable (mode %#o)", bin, st.Mode&0o7777)}
	}
	if err := noexecError("the program's binary "+bin, bin, fd); err != nil {
		return &hostError{err}
	}
	// MSG_NOSIGNAL: a sandbox that died while setting up is an EPIPE
	// here (and its setup error is on the status pipe), not a SIGPIPE.
	return unix.Sendmsg(p.handoff, []byte{1}, unix.UnixRights(fd), nil, unix.MSG_NOSIGNAL)
}

func (p *sandboxProc) closeHandoff() {
	if p.handoff >= 0 {
		unix.Close(p.handoff)
		p.handoff = -1
	}
}

func (p *sandboxProc) kill() { p.cmd.Process.Kill() }

func (p *sandboxProc) wait() (string, error) {
	defer p.status.Close()
	// A sandbox that never got its binary (killed while it waited) must
	// not keep the host's end open.
	defer p.closeHandoff()
	werr := p.cmd.Wait()
	b, _ := io.ReadAll(p.status)
	// One line, or two after a setup error of the second stage: its
	// "error ..." (written before the program existed, which cannot reach
	// this pipe), then the init's "exit 125".
	line, _, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
	if msg, ok := strings.CutPrefix(line, "error "); ok {
		return "", &setupError{fmt.Sprintf("sandbox setup failed: %s", msg)}
	}
	if msg, ok := strings.CutPrefix(line, "fault "); ok {
		return "", &envError{fmt.Sprintf("sandbox setup failed: %s", msg)}
	}
	if line == "" {
		// The init died before reporting: killed from outside.
		if ee, ok := werr.(*exec.ExitError); ok {
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				return fmt.Sprintf("signal %d", int(ws.Signal())), nil
			}
		}
		return "signal 9", nil
	}
	return line, nil
}

// checkHardLimits says which of the program's resource limits is above the
// hard limit this process runs under, or nil. No process in the sandbox's
// user namespace may raise a hard limit (host root included: its
// capabilities stay outside), so the second stage would fail to set it.
func checkHardLimits(spec *sandboxinit.Spec) error {
	for _, l := range sandboxinit.Rlimits(spec) {
		var have unix.Rlimit
		if err := unix.Getrlimit(l.Resource, &have); err != nil || have.Max == unix.RLIM_INFINITY || l.Value <= have.Max {
			continue
		}
		unit, knob := "", ""
		switch l.Resource {
		case unix.RLIMIT_DATA, unix.RLIMIT_AS:
			unit, knob = " bytes", " (playground.memory)"
		case unix.RLIMIT_FSIZE:
			unit = " bytes"
		case unix.RLIMIT_CPU:
			unit, knob = " s", " (playground.timeout, or timeout= in the fence)"
		}
		return &envError{fmt.Sprintf("the sandbox's %s limit, %d%s, is above the hard limit of %d%s that benchpress runs under (ulimit %s), "+
			"which nothing inside the sandbox may raise: raise that hard limit where benchpress starts (a container's --ulimit), or lower the limit%s",
			l.Name, l.Value, unit, have.Max, unit, l.Ulimit, knob)}
	}
	return nil
}
