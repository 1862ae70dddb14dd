package main

import (
	"fmt"
	"os/signal"
	"syscall"
	"unsafe"
)

// blocked is the signal mask of the main thread as the program started:
// init runs locked to it, before the runtime's own threads matter.
var blocked uint64

func init() {
	// rt_sigprocmask(SIG_BLOCK, NULL, &old): reads the mask.
	syscall.RawSyscall6(syscall.SYS_RT_SIGPROCMASK, 0, 0, uintptr(unsafe.Pointer(&blocked)), 8, 0, 0)
}

// Prints whether each signal a shell's child starts with at its default
// action was ignored when the program started, and the blocked signals.
func main() {
	for _, s := range []struct {
		name string
		sig  syscall.Signal
	}{
		{"SIGINT", syscall.SIGINT}, {"SIGHUP", syscall.SIGHUP}, {"SIGTERM", syscall.SIGTERM},
		{"SIGQUIT", syscall.SIGQUIT}, {"SIGXFSZ", syscall.SIGXFSZ}, {"SIGPIPE", syscall.SIGPIPE},
		{"SIGUSR1", syscall.SIGUSR1}, {"SIGUSR2", syscall.SIGUSR2}, {"SIGWINCH", syscall.SIGWINCH},
		{"SIGTSTP", syscall.SIGTSTP},
	} {
		fmt.Printf("%s ignored: %v\n", s.name, signal.Ignored(s.sig))
	}
	fmt.Printf("blocked: %#x\n", blocked)
}
