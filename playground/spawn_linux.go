//go:build linux

package playground

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/benchpress/benchpress/playground/internal/sandboxinit"
)

// spawnSandboxed starts bin inside the sandbox (see package sandboxinit) with
// the given standard streams. The returned process is the sandbox's init:
// killing it kills everything the program started.
func spawnSandboxed(bin string, argv, env []string, lim Limits, stdin *os.File, stdout, stderr *os.File) (*sandboxProc, error) {
	binFD, err := unix.Open(bin, unix.O_PATH|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	binFile := os.NewFile(uintptr(binFD), bin)
	defer binFile.Close()
	statusR, statusW, err := os.Pipe()
	if err != nil {
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
		ExtraFiles: []*os.File{binFile, statusW},
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
		},
	}
	if stdin == nil {
		cmd.Stdin = nil // /dev/null
	}
	if err := cmd.Start(); err != nil {
		statusR.Close()
		return nil, &setupError{fmt.Sprintf("starting the sandbox: %v", err)}
	}
	return &sandboxProc{cmd: cmd, status: statusR}, nil
}
