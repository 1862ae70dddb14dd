package main

import (
	"fmt"
	"os"
)

// Tries to create every path it is given.
func main() {
	for _, p := range os.Args[1:] {
		if err := os.WriteFile(p, []byte("escaped"), 0o644); err == nil {
			fmt.Println("WROTE", p)
		} else {
			fmt.Println("denied:", err)
		}
	}
	if err := os.WriteFile("inside.txt", []byte("fine"), 0o644); err != nil {
		fmt.Println("cannot write own dir:", err)
	} else {
		fmt.Println("wrote own dir")
	}
}
