package main

import (
	"fmt"
	"os"
)

// Tries to read every path it is given, and some well-known ones.
func main() {
	paths := append(os.Args[1:], "/etc/passwd", "/etc/hostname", "/proc/self/environ", "/proc/1/environ", "/proc/self/mountinfo", "/sys/kernel/notes", "/root/.bash_history", "/home")
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			fmt.Printf("READ %s: %q\n", p, b)
		} else if ents, derr := os.ReadDir(p); derr == nil {
			fmt.Printf("LISTED %s: %d entries\n", p, len(ents))
		} else {
			fmt.Printf("denied %s\n", p)
		}
	}
	if ents, err := os.ReadDir("/"); err == nil {
		fmt.Println("LISTED / :", len(ents))
	}
}
