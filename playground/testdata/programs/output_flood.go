package main

import (
	"os"
	"strings"
)

// Prints up to 256 MiB.
func main() {
	line := []byte(strings.Repeat("x", 1023) + "\n")
	for i := 0; i < 256<<10; i++ {
		if _, err := os.Stdout.Write(line); err != nil {
			return
		}
	}
}
