package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// Large writes to a stdout that is not a pipe: one write(2) of 200 KiB, then
// io.Copy from a file (which may take the kernel's zero-copy paths), then
// io.Copy from standard input.
func main() {
	os.Stdout.Write(bytes.Repeat([]byte("a"), 200<<10))
	if err := os.WriteFile("/tmp/f", bytes.Repeat([]byte("b"), 300<<10), 0o644); err != nil {
		panic(err)
	}
	f, err := os.Open("/tmp/f")
	if err != nil {
		panic(err)
	}
	n, err := io.Copy(os.Stdout, f)
	if err != nil {
		panic(err)
	}
	m, err := io.Copy(os.Stdout, os.Stdin)
	if err != nil {
		panic(err)
	}
	fmt.Fprintf(os.Stderr, "copied %d and %d\n", n, m)
}
