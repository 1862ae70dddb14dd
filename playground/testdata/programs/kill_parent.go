package main

import (
	"fmt"
	"os"
	"strconv"
	"syscall"
)

// Signals everything it can name: its parent, pid 1, every process (-1),
// and the host pid it is given.
func main() {
	try := func(what string, pid int) {
		err := syscall.Kill(pid, syscall.SIGKILL)
		fmt.Printf("kill %s (%d): %v\n", what, pid, err)
	}
	try("parent", os.Getppid())
	try("init", 1)
	for _, a := range os.Args[1:] {
		pid, _ := strconv.Atoi(a)
		try("host pid", pid)
	}
	try("everything", -1)
	fmt.Println("still alive")
}
