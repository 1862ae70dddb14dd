package main

import (
	"fmt"
	"runtime"
	"syscall"
	"unsafe"
)

// Asks for memory that RLIMIT_DATA does not count: shared anonymous
// mappings, memfd, SysV shared memory, and whole new processes (each with a
// data limit of its own). Nothing is touched, so a sandbox that does not
// hold still uses no memory.
func main() {
	if m, err := syscall.Mmap(-1, 0, 3<<30, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED|syscall.MAP_ANON); err == nil {
		fmt.Println("MAPPED 3 GiB shared")
		syscall.Munmap(m)
	} else {
		fmt.Println("refused shared mmap:", err)
	}
	if runtime.GOARCH == "amd64" {
		name, _ := syscall.BytePtrFromString("x")
		if fd, _, e := syscall.Syscall(319 /* memfd_create */, uintptr(unsafe.Pointer(name)), 0, 0); e == 0 {
			fmt.Println("MEMFD created")
			syscall.Close(int(fd))
		} else {
			fmt.Println("refused memfd:", e)
		}
	}
	if id, _, e := syscall.Syscall(syscall.SYS_SHMGET, 0 /* IPC_PRIVATE */, 1<<30, 01000|0600 /* IPC_CREAT */); e == 0 {
		fmt.Println("SHM created")
		syscall.Syscall(syscall.SYS_SHMCTL, id, 0 /* IPC_RMID */, 0)
	} else {
		fmt.Println("refused shmget:", e)
	}
	// fork: the child exits at once.
	pid, _, e := syscall.RawSyscall6(syscall.SYS_CLONE, uintptr(syscall.SIGCHLD), 0, 0, 0, 0, 0)
	switch {
	case e != 0:
		fmt.Println("refused fork:", e)
	case pid == 0:
		syscall.RawSyscall(syscall.SYS_EXIT_GROUP, 0, 0, 0)
	default:
		var ws syscall.WaitStatus
		syscall.Wait4(int(pid), &ws, 0, nil)
		fmt.Println("FORKED", pid)
	}
}
