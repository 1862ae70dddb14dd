package playground

import "golang.org/x/sys/unix"

// limitCompiler caps the memory and file size of the go command pid and of
// the compiler and linker it forks, which inherit the limits.
func limitCompiler(pid int, memory, fileSize uint64) {
	lim := unix.Rlimit{Cur: memory, Max: memory}
	unix.Prlimit(pid, unix.RLIMIT_DATA, &lim, nil)
	fsize := unix.Rlimit{Cur: fileSize, Max: fileSize}
	unix.Prlimit(pid, unix.RLIMIT_FSIZE, &fsize, nil)
}
