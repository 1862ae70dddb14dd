//go:build linux

package sandboxinit

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"
	"unsafe"

	seccomp "github.com/elastic/go-seccomp-bpf"
	"github.com/elastic/go-seccomp-bpf/arch"
	ll "github.com/landlock-lsm/go-landlock/landlock/syscall"
	"golang.org/x/sys/unix"
)

// The sandbox, seen from inside. A run re-executes the current binary
// (/proc/self/exe) as the init of fresh user, pid, net, mount, ipc and uts
// namespaces. That init:
//
//   - marks every descriptor it inherited beyond 0-4 close-on-exec and
//     makes its mounts private;
//   - brings up loopback, the one network interface of the new namespace;
//   - ignores every signal, so the program cannot kill it, and starts the
//     second stage, which pivots into a root of its own (a size-capped tmpfs
//     on /tmp, the program's only writable place: cwd, TMPDIR and HOME;
//     /dev/null and /dev/urandom; nothing of the host), drops its
//     capabilities and sets no_new_privs, then waits for the program: the
//     host starts the sandbox while the compiler still builds the program,
//     and hands the binary over when it is built, as an open file (so no
//     host path of it is needed) sent on the handoff socket. With it the
//     second stage restricts itself further (Landlock: the binary is the
//     one file it may execute; seccomp), resets every signal to its default
//     action and unblocks them all (the program starts as a shell's child
//     does, not with the init's ignores), sets the rlimits and execs it;
//   - reaps orphans until the program exits, then reports how it ended on
//     the status pipe ("exit N", or "signal N cpu=DURATION" with the CPU
//     time the program used) and exits, which kills whatever the program
//     left.
//
// A stage that cannot set up reports "error MSG" on the status pipe when
// the kernel refused what the sandbox needs, "fault MSG" when the cause is
// the host's environment or the request (see notKernel).
//
// The host side kills the init with SIGKILL on timeout, which takes the whole
// pid namespace with it; so it does when the program fails to build or the
// run is cancelled before the binary was handed over. A host that dies
// takes the init with it (its parent-death signal), and the second stage,
// waiting, sees the handoff socket close and exits.

const (
	// EnvVar holds the JSON Spec of a re-executed stage.
	EnvVar = "BENCHPRESS_SANDBOX"
	// FDHandoff is a unix socket (SOCK_SEQPACKET) on which the host sends
	// the program binary: one message of one byte carrying one descriptor,
	// the binary opened O_PATH. It closes the socket without sending when
	// there is no program to run.
	FDHandoff = 3
	FDStatus  = 4 // the status pipe to the host
)

// Spec is what the host tells the init and the second stage.
type Spec struct {
	Stage    string   // "init" or "exec"
	Args     []string // the program's argv
	Env      []string // the program's whole environment
	Memory   int64    // bytes
	CPU      uint64   // seconds
	NoFile   uint64
	FileSize int64
	Procs    uint64
	TmpSize  int64
}

// Run turns the process into the sandbox's init or second stage when it was
// re-executed for that, and never returns then; in every other process it
// returns at once. The package's init calls it (see the package comment),
// so a sandbox stage never waits for the heavier packages of the binary to
// initialise.
func Run() {
	raw, ok := os.LookupEnv(EnvVar)
	if !ok {
		return
	}
	var spec Spec
	if err := json.Unmarshal([]byte(raw), &spec); err != nil {
		fail(fmt.Errorf("bad sandbox spec: %v", err))
	}
	switch spec.Stage {
	case "init":
		fail(runInit(&spec, raw))
	case "exec":
		fail(runExec(&spec))
	}
	fail(fmt.Errorf("unknown sandbox stage %q", spec.Stage))
}

func init() { Run() }

// fail reports a setup error to the host and exits: "fault MSG" when its
// cause is not the kernel's (notKernel), else "error MSG".
func fail(err error) {
	if err == nil {
		os.Exit(0)
	}
	kind := "error"
	var nk notKernel
	if errors.As(err, &nk) {
		kind = "fault"
	}
	st := os.NewFile(FDStatus, "status")
	fmt.Fprintf(st, "%s %s\n", kind, strings.ReplaceAll(err.Error(), "\n", " "))
	os.Exit(125)
}

func runInit(spec *Spec, raw string) error {
	// Whatever the program sends to pid 1 is dropped: SIGKILL and SIGSTOP
	// from inside the namespace never reach an init, and the rest are ignored
	// (SIGCHLD stays default: ignoring it would auto-reap the program).
	signal.Ignore(syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP, syscall.SIGQUIT,
		syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGPIPE, syscall.SIGALRM, syscall.SIGTSTP,
		syscall.SIGTTIN, syscall.SIGTTOU, syscall.SIGWINCH)

	// Whatever descriptors the host process inherited without close-on-exec
	// (a CI runner's, make's jobserver pipes, a shell's redirections) go no
	// further: the exec of the second stage closes them.
	if err := unix.CloseRange(FDStatus+1, ^uint(0), unix.CLOSE_RANGE_CLOEXEC); err != nil {
		return fmt.Errorf("closing inherited descriptors: %v", err)
	}
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("making mounts private: %v", err)
	}
	if err := unix.Sethostname([]byte("sandbox")); err != nil {
		return fmt.Errorf("setting the hostname: %v", err)
	}
	if err := loopbackUp(); err != nil {
		return fmt.Errorf("bringing up loopback: %v", err)
	}

	spec.Stage = "exec"
	b, _ := json.Marshal(spec)
	attr := &syscall.ProcAttr{
		Dir:   "/tmp",
		Env:   []string{EnvVar + "=" + string(b)},
		Files: []uintptr{0, 1, 2, FDHandoff, FDStatus},
	}
	pid, err := syscall.ForkExec("/proc/self/exe", []string{"benchpress-sandbox"}, attr)
	if err != nil {
		return fmt.Errorf("starting the sandbox's second stage: %v", err)
	}
	// The handoff socket is the second stage's: the init never receives
	// the binary.
	unix.Close(FDHandoff)
	for {
		// Learn which child exited without reaping it: the program's
		// CPU clock can be read only while it is a zombie.
		var info unix.Siginfo
		err := unix.Waitid(unix.P_ALL, 0, &info, unix.WEXITED|unix.WNOWAIT, nil)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return fmt.Errorf("waiting for the program: %v", err)
		}
		got := int(siginfoPid(&info))
		var cpu time.Duration
		if got == pid {
			cpu = processCPUTime(pid)
		}
		var ws syscall.WaitStatus
		if _, err := syscall.Wait4(got, &ws, 0, nil); err != nil && err != syscall.EINTR {
			return fmt.Errorf("waiting for the program: %v", err)
		}
		if got != pid {
			continue // an orphan the program left behind
		}
		st := os.NewFile(FDStatus, "status")
		switch {
		case ws.Exited():
			// After a setup error of the second stage (which wrote it
			// here, then exited 125) this line follows it; the host
			// reads the first. A program's own exit 125 is just that.
			fmt.Fprintf(st, "exit %d\n", ws.ExitStatus())
		case ws.Signaled():
			// The CPU time it used tells the host whether RLIMIT_CPU
			// killed it (the kernel's SIGKILL at the hard limit looks
			// like any other).
			fmt.Fprintf(st, "signal %d cpu=%s\n", int(ws.Signal()), cpu)
		}
		os.Exit(0)
	}
}

// siginfoPid is si_pid of a SIGCHLD siginfo, which x/sys/unix does not
// name: the first field of the union after signo, errno, code and padding.
func siginfoPid(info *unix.Siginfo) int32 {
	return *(*int32)(unsafe.Add(unsafe.Pointer(info), 16))
}

// processCPUTime reads a (zombie) process's CPU-time clock: user plus
// system time as the kernel counts them for RLIMIT_CPU. wait4's rusage
// reads 5 to 15% less on a loaded machine (it is scaled to the
// scheduler's runtime), too little to tell a kill at the limit from
// another SIGKILL. 0 if it cannot be read.
func processCPUTime(pid int) time.Duration {
	// MAKE_PROCESS_CPUCLOCK(pid, CPUCLOCK_PROF) of linux/posix-timers.h:
	// CPUCLOCK_PROF is 0, so nothing is or-ed in.
	clock := int32(^pid << 3)
	var ts unix.Timespec
	if err := unix.ClockGettime(clock, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}

// loopbackUp sets IFF_UP on lo, the only interface of a new net namespace.
func loopbackUp() error {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq("lo")
	if err != nil {
		return err
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		return err
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
	return unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr)
}

// runExec is the second stage: it restricts itself, waits for the program's
// binary and execs it. Everything happens on one locked OS thread because
// no_new_privs, Landlock and seccomp apply to the calling thread, which is
// the one that execs.
func runExec(spec *Spec) error {
	runtime.LockOSThread()
	// The program sees descriptors 0, 1 and 2 only: not the status pipe,
	// not the handoff socket nor the binary's, not any the host inherited.
	if err := unix.CloseRange(3, ^uint(0), unix.CLOSE_RANGE_CLOEXEC); err != nil {
		return fmt.Errorf("closing descriptors: %v", err)
	}
	if err := makeRoot(spec.TmpSize); err != nil {
		return err
	}
	// Drop every capability from the bounding set: the program execs as the
	// namespace's root, and with an empty bounding set it gains none.
	for c := 0; c <= 63; c++ {
		if err := unix.Prctl(unix.PR_CAPBSET_DROP, uintptr(c), 0, 0, 0); err != nil {
			if err == unix.EINVAL {
				break
			}
			return fmt.Errorf("dropping capability %d: %v", c, err)
		}
	}
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return fmt.Errorf("no_new_privs: %v", err)
	}
	// All that needs no binary is done: the rest takes microseconds.
	bin, err := receiveBinary()
	if err != nil {
		return err
	}
	if err := landlockRestrict(bin); err != nil {
		return err
	}
	if err := loadArchFilter(); err != nil {
		return fmt.Errorf("seccomp: %v", err)
	}
	if err := seccomp.LoadFilter(seccomp.Filter{Policy: seccompPolicy()}); err != nil {
		return fmt.Errorf("seccomp: %v", err)
	}
	if err := unix.Chdir("/tmp"); err != nil {
		return err
	}
	return execveat(bin, spec.Args, spec.Env, Rlimits(spec))
}

// Rlimit is one resource limit the program runs under: soft and hard
// limit both Value.
type Rlimit struct {
	Resource int
	Value    uint64
	// Name and Ulimit name it for a person: "open files", and the option
	// of ulimit that shows its hard limit ("-Hn").
	Name, Ulimit string
}

// Rlimits are the resource limits the program of spec runs under. The host
// checks them against its own hard limits before it starts the sandbox:
// no process in the sandbox may raise a hard limit.
func Rlimits(spec *Spec) []Rlimit {
	return []Rlimit{
		{unix.RLIMIT_CPU, spec.CPU, "CPU time", "-Ht"},
		// The Go runtime reserves several hundred MiB of address space it
		// never touches (more with every GC worker), so RLIMIT_AS would kill
		// ordinary programs; RLIMIT_DATA counts only writable private
		// memory, heap and stacks included: it is the memory cap.
		{unix.RLIMIT_DATA, uint64(spec.Memory) + 64<<20, "data (memory) size", "-Hd"},
		// Shared mappings (MAP_SHARED|MAP_ANONYMOUS, SysV shm) are not
		// data: RLIMIT_AS bounds them, with room for the runtime's
		// reservations (about 1.2 GiB before the first allocation).
		{unix.RLIMIT_AS, uint64(spec.Memory) + 64<<20 + addressSpaceSlack, "address space (memory plus 2 GiB)", "-Hv"},
		{unix.RLIMIT_NOFILE, spec.NoFile, "open files", "-Hn"},
		{unix.RLIMIT_FSIZE, uint64(spec.FileSize), "file size", "-Hf"},
		{unix.RLIMIT_NPROC, spec.Procs, "processes", "-Hu"},
		{unix.RLIMIT_CORE, 0, "core file size", "-Hc"},
		{unix.RLIMIT_MEMLOCK, 0, "locked memory", "-Hl"},
		{unix.RLIMIT_MSGQUEUE, 0, "POSIX message queues", "-Hq"},
	}
}

// notKernel is a setup error whose cause is the host's environment or the
// request (a limit above the host's hard limit, a binary on a noexec
// mount, arguments too long to exec), not a kernel that lacks what the
// sandbox needs: fail reports it as a "fault", which the host passes on as
// it is, never with the advice to turn the sandbox off.
type notKernel struct{ error }

// receiveBinary waits on the handoff socket for the program's binary and
// returns its descriptor (close-on-exec). Anything but one message of one
// byte carrying exactly one descriptor of a regular file is refused: the
// descriptor becomes the one file Landlock lets the program execute and
// read, and a directory's would open everything beneath it.
func receiveBinary() (int, error) {
	buf := make([]byte, 2)
	// Room for more than one descriptor, so that extra ones are received
	// (and closed), not cut off unseen.
	oob := make([]byte, unix.CmsgSpace(4*4))
	var n, oobn, flags int
	var err error
	for {
		n, oobn, flags, _, err = unix.Recvmsg(FDHandoff, buf, oob, unix.MSG_CMSG_CLOEXEC)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		return -1, fmt.Errorf("waiting for the program: %v", err)
	}
	var fds []int
	msgs, perr := unix.ParseSocketControlMessage(oob[:oobn])
	for i := range msgs {
		if got, err := unix.ParseUnixRights(&msgs[i]); err == nil {
			fds = append(fds, got...)
		}
	}
	if n == 0 && oobn == 0 {
		return -1, errors.New("no program to run: the host closed the handoff socket")
	}
	if n != 1 || flags&(unix.MSG_CTRUNC|unix.MSG_TRUNC) != 0 || perr != nil || len(msgs) != 1 || len(fds) != 1 {
		for _, fd := range fds {
			unix.Close(fd)
		}
		return -1, errors.New("the program was not handed over as one descriptor")
	}
	var st unix.Stat_t
	if err := unix.Fstat(fds[0], &st); err != nil || st.Mode&unix.S_IFMT != unix.S_IFREG {
		unix.Close(fds[0])
		return -1, errors.New("the program handed over is not a regular file")
	}
	unix.Close(FDHandoff)
	return fds[0], nil
}

// landlockRestrict allows exactly: execute and read the program binary
// (open at bin), read-write (no execute) /tmp, /dev/null, read
// /dev/urandom. Nothing else of the file system is reachable, and signals
// and abstract unix sockets cannot cross out of the sandbox.
func landlockRestrict(bin int) error {
	abi, err := ll.LandlockGetABIVersion()
	if err != nil || abi < 1 {
		return fmt.Errorf("this kernel has no Landlock (%v)", err)
	}
	handled := uint64(1<<13 - 1) // ABI 1: execute .. make_sym
	if abi >= 2 {
		handled |= ll.AccessFSRefer
	}
	if abi >= 3 {
		handled |= ll.AccessFSTruncate
	}
	if abi >= 5 {
		handled |= ll.AccessFSIoctlDev
	}
	attr := ll.RulesetAttr{HandledAccessFS: handled}
	if abi >= 6 {
		attr.Scoped = ll.ScopeAbstractUnixSocket | ll.ScopeSignal
	}
	rs, err := ll.LandlockCreateRuleset(&attr, 0)
	if err != nil {
		return fmt.Errorf("landlock ruleset: %v", err)
	}
	defer unix.Close(rs)
	fileRW := uint64(ll.AccessFSReadFile | ll.AccessFSWriteFile)
	dirRW := handled &^ (ll.AccessFSExecute | ll.AccessFSMakeChar | ll.AccessFSMakeBlock | ll.AccessFSIoctlDev)
	rules := []struct {
		fd     int
		path   string
		access uint64
	}{
		{bin, "", ll.AccessFSExecute | ll.AccessFSReadFile},
		{-1, "/tmp", dirRW},
		{-1, "/dev/null", fileRW | handled&ll.AccessFSTruncate},
		{-1, "/dev/urandom", ll.AccessFSReadFile},
	}
	for _, r := range rules {
		fd := r.fd
		if fd < 0 {
			fd, err = unix.Open(r.path, unix.O_PATH|unix.O_CLOEXEC, 0)
			if err != nil {
				return fmt.Errorf("landlock rule for %s: %v", r.path, err)
			}
			defer unix.Close(fd)
		}
		if err := ll.LandlockAddPathBeneathRule(rs, &ll.PathBeneathAttr{AllowedAccess: r.access, ParentFd: fd}, 0); err != nil {
			return fmt.Errorf("landlock rule for %q: %v", r.path, err)
		}
	}
	if err := ll.LandlockRestrictSelf(rs, 0); err != nil {
		return fmt.Errorf("landlock restrict: %v", err)
	}
	return nil
}

// seccompPolicy refuses (EPERM) the system calls a snippet never needs and
// that would widen the attack surface: tracing, mounting, kernel modules,
// keyrings, BPF, perf, io_uring, new namespaces, and the like; new
// processes (threads only: the program is one process, so its rlimits bound
// it as a whole, and there is nothing it could exec anyway); memory that no
// rlimit counts (memfd, SysV shared memory and message queues); and sockets
// of any family but unix, IPv4, IPv6 and route netlink (AF_VSOCK, for one,
// is not confined by the network namespace: it reaches the hypervisor).
func seccompPolicy() seccomp.Policy {
	native, _ := arch.GetInfo("")
	var names []string
	for _, n := range []string{
		"ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
		"mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree", "open_tree_attr",
		"fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr", "listmount", "statmount",
		"kexec_load", "kexec_file_load", "reboot",
		"init_module", "finit_module", "delete_module",
		"bpf", "perf_event_open", "userfaultfd", "fanotify_init",
		"io_uring_setup", "io_uring_enter", "io_uring_register",
		"keyctl", "add_key", "request_key",
		"setns", "unshare", "clone3", "fork", "vfork",
		"memfd_create", "memfd_secret", "shmget", "shmat", "msgget",
		"acct", "quotactl", "swapon", "swapoff", "syslog",
		"open_by_handle_at", "name_to_handle_at",
		"settimeofday", "clock_settime", "clock_adjtime", "adjtimex",
		"personality", "iopl", "ioperm", "modify_ldt", "uselib", "vhangup", "lookup_dcookie",
	} {
		// Not every architecture has every call (arm64 has no fork).
		if native == nil {
			names = append(names, n)
		} else if _, ok := native.SyscallNames[n]; ok {
			names = append(names, n)
		}
	}
	notFamily := func(fams ...uint64) []seccomp.Condition {
		var c []seccomp.Condition
		for _, f := range fams {
			c = append(c, seccomp.Condition{Argument: 0, Operation: seccomp.NotEqual, Value: f})
		}
		return c
	}
	return seccomp.Policy{
		DefaultAction: seccomp.ActionAllow,
		Syscalls: []seccomp.SyscallGroup{{
			Action: seccomp.ActionErrno,
			Names:  names,
			NamesWithCondtions: []seccomp.NameWithConditions{{
				// clone makes threads, never processes or namespaces.
				Name: "clone",
				Conditions: []seccomp.Condition{{
					Argument: 0, Operation: seccomp.BitsNotSet, Value: unix.CLONE_THREAD,
				}},
			}, {
				Name: "clone",
				Conditions: []seccomp.Condition{{
					Argument: 0, Operation: seccomp.BitsSet, Value: unix.CLONE_NEWUSER,
				}},
			}, {
				Name: "clone",
				Conditions: []seccomp.Condition{{
					Argument: 0, Operation: seccomp.BitsSet, Value: unix.CLONE_NEWNS | unix.CLONE_NEWNET | unix.CLONE_NEWPID,
				}},
			}, {
				Name:       "socket",
				Conditions: notFamily(unix.AF_UNIX, unix.AF_INET, unix.AF_INET6, unix.AF_NETLINK),
			}, {
				Name: "socket",
				Conditions: []seccomp.Condition{
					{Argument: 0, Operation: seccomp.Equal, Value: unix.AF_NETLINK},
					{Argument: 2, Operation: seccomp.NotEqual, Value: unix.NETLINK_ROUTE},
				},
			}},
		}},
	}
}

// loadArchFilter refuses every system call made through another ABI than
// the native one (on amd64: int $0x80 into the i386 table). go-seccomp-bpf
// sends a foreign architecture straight to the policy's default action,
// which for a deny list is allow: without this filter a program reached
// clone(CLONE_NEWUSER), ptrace and keyctl through their i386 numbers.
func loadArchFilter() error {
	native, err := arch.GetInfo("")
	if err != nil {
		return err
	}
	prog := []unix.SockFilter{
		{Code: unix.BPF_LD | unix.BPF_W | unix.BPF_ABS, K: 4}, // seccomp_data.arch
		{Code: unix.BPF_JMP | unix.BPF_JEQ | unix.BPF_K, Jt: 1, Jf: 0, K: uint32(native.ID)},
		{Code: unix.BPF_RET | unix.BPF_K, K: unix.SECCOMP_RET_ERRNO | uint32(unix.ENOSYS)},
		{Code: unix.BPF_RET | unix.BPF_K, K: unix.SECCOMP_RET_ALLOW},
	}
	fprog := unix.SockFprog{Len: uint16(len(prog)), Filter: &prog[0]}
	return unix.Prctl(unix.PR_SET_SECCOMP, unix.SECCOMP_MODE_FILTER, uintptr(unsafe.Pointer(&fprog)), 0, 0)
}

// addressSpaceSlack is the address space a program may map beyond its
// memory limit: the Go runtime reserves about 1.2 GiB it never touches.
const addressSpaceSlack = 2 << 30

// makeRoot gives the sandbox a root of its own: /tmp (the program's
// size-capped tmpfs), /dev/null and /dev/urandom, and nothing of the host.
// Landlock refuses opening anything else, but not everything that takes a
// path opens it: connect(2) to a host's unix socket (a Docker daemon's, a
// desktop session bus, an agent's) and stat or readlink of host files went
// through. After the pivot no host path resolves at all. The second stage
// runs it with the namespace's full capabilities, before dropping them; the
// init shares the mount namespace and never touches the file system again.
func makeRoot(tmpSize int64) error {
	const root = "/tmp" // any directory of the host serves as mount point
	flags := uintptr(unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC)
	if err := unix.Mount("tmpfs", root, "tmpfs", flags, "size=64k,nr_inodes=64,mode=0755"); err != nil {
		return fmt.Errorf("mounting the sandbox's root: %v", err)
	}
	for _, d := range []string{"tmp", "dev", "oldroot"} {
		if err := unix.Mkdir(root+"/"+d, 0o755); err != nil {
			return fmt.Errorf("making the sandbox's /%s: %v", d, err)
		}
	}
	opts := fmt.Sprintf("size=%d,mode=0700,nr_inodes=4096", tmpSize)
	if err := unix.Mount("tmpfs", root+"/tmp", "tmpfs", flags, opts); err != nil {
		return fmt.Errorf("mounting the private /tmp: %v", err)
	}
	for _, dev := range []string{"/dev/null", "/dev/urandom"} {
		fd, err := unix.Open(root+dev, unix.O_CREAT|unix.O_EXCL|unix.O_WRONLY|unix.O_CLOEXEC, 0o666)
		if err != nil {
			return fmt.Errorf("making the sandbox's %s: %v", dev, err)
		}
		unix.Close(fd)
		if err := unix.Mount(dev, root+dev, "", unix.MS_BIND, ""); err != nil {
			return fmt.Errorf("binding %s: %v", dev, err)
		}
	}
	if err := unix.PivotRoot(root, root+"/oldroot"); err != nil {
		return fmt.Errorf("pivot_root: %v", err)
	}
	if err := unix.Chdir("/"); err != nil {
		return err
	}
	if err := unix.Unmount("/oldroot", unix.MNT_DETACH); err != nil {
		return fmt.Errorf("detaching the host's file system: %v", err)
	}
	if err := unix.Rmdir("/oldroot"); err != nil {
		return err
	}
	if err := unix.Mount("", "/", "", unix.MS_REMOUNT|unix.MS_BIND|unix.MS_RDONLY|flags, ""); err != nil {
		return fmt.Errorf("making the sandbox's root read-only: %v", err)
	}
	return nil
}

// execveat execs the file open at fd (AT_EMPTY_PATH): the program runs
// without any host path of its binary being reachable. Just before, with
// nothing left to do but the exec, it gives the program its default
// signals and its resource limits.
//
// The limits come last because they are the program's, not this stage's:
// a request's tight open-files or process limit would otherwise fail the
// setup (Landlock's descriptors, the binary's handoff, the Go runtime's
// threads) instead of bounding the program. From the limits to the exec
// only raw system calls run, so the Go runtime starts no thread that the
// process limit could refuse.
func execveat(fd int, argv, envv []string, limits []Rlimit) error {
	argvp, err := syscall.SlicePtrFromStrings(argv)
	if err != nil {
		return err
	}
	envvp, err := syscall.SlicePtrFromStrings(envv)
	if err != nil {
		return err
	}
	empty, _ := syscall.BytePtrFromString("")
	if err := resetSignals(); err != nil {
		return err
	}
	for _, l := range limits {
		lim := unix.Rlimit{Cur: l.Value, Max: l.Value}
		if _, _, errno := unix.RawSyscall6(unix.SYS_PRLIMIT64, 0, uintptr(l.Resource), uintptr(unsafe.Pointer(&lim)), 0, 0, 0); errno != 0 {
			err := fmt.Errorf("setting the %s limit to %d: %v", l.Name, l.Value, errno)
			if errno == unix.EPERM {
				// Above the hard limit this process inherited: no one in
				// a user namespace may raise it. The host checks first.
				return notKernel{fmt.Errorf("%v (above the hard limit, ulimit %s, that benchpress runs under)", err, l.Ulimit)}
			}
			return err
		}
	}
	_, _, errno := unix.RawSyscall6(unix.SYS_EXECVEAT, uintptr(fd),
		uintptr(unsafe.Pointer(empty)), uintptr(unsafe.Pointer(&argvp[0])),
		uintptr(unsafe.Pointer(&envvp[0])), unix.AT_EMPTY_PATH, 0)
	err = fmt.Errorf("exec: %v", errno)
	var fs unix.Statfs_t
	switch {
	case errno == unix.E2BIG, errno == unix.ENOEXEC:
		// The request's arguments, or a file the build wrote that is no
		// program: neither is the kernel's doing.
		return notKernel{err}
	case errno == unix.EACCES && unix.Fstatfs(fd, &fs) == nil && fs.Flags&unix.ST_NOEXEC != 0:
		return notKernel{fmt.Errorf("%v: the program's binary is on a file system mounted noexec (set TMPDIR to a directory where programs may run)", err)}
	}
	return err
}

// resetSignals gives the program what a shell gives its child: every
// signal at its default action and none blocked. Ignored signals stay
// ignored across exec, and this process inherited the init's ignores (and
// whatever the host was started with, nohup's SIGHUP say), and the mask
// of the host thread that started the sandbox; a Go program would
// otherwise see signal.Ignored(SIGINT) true and survive a SIGINT it sends
// itself. (SIGXFSZ needs no ignore: a Go program's runtime drops it, so a
// write past the file-size limit fails with EFBIG, as in a bare run.)
// Handlers this process installed (the Go runtime's) reset at exec anyway;
// until then only raw system calls run, and a signal now would meet the
// default action of a process that is about to be replaced.
func resetSignals() error {
	// A kernel struct sigaction of SIG_DFL, no flags, empty mask: all zero,
	// whatever the architecture's layout (32 bytes on amd64 and arm64).
	var dfl [4]uint64
	const sigsetSize = 8 // the kernel's sigset_t: 64 signals on amd64 and arm64
	for sig := 1; sig <= 64; sig++ {
		if sig == int(unix.SIGKILL) || sig == int(unix.SIGSTOP) {
			continue // their action cannot change
		}
		if _, _, errno := unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(sig), uintptr(unsafe.Pointer(&dfl)), 0, sigsetSize, 0, 0); errno != 0 {
			return fmt.Errorf("resetting signal %d: %v", sig, errno)
		}
	}
	if err := unix.PthreadSigmask(unix.SIG_SETMASK, &unix.Sigset_t{}, nil); err != nil {
		return fmt.Errorf("unblocking signals: %v", err)
	}
	return nil
}
