package main

import (
	"fmt"
	"os"
)

// Writes 8 MiB files into its directory until refused, capped at 2 GiB, and
// one huge file.
func main() {
	buf := make([]byte, 8<<20)
	total := 0
	var last error
	for i := 0; i < 256; i++ {
		if err := os.WriteFile(fmt.Sprintf("fill-%d", i), buf, 0o644); err != nil {
			last = err
			break
		}
		total += len(buf)
	}
	fmt.Printf("wrote %d MiB, stopped by: %v\n", total>>20, last)
	for i := 0; i < 256; i++ {
		os.Remove(fmt.Sprintf("fill-%d", i))
	}
	f, _ := os.Create("big")
	n := 0
	for n < 2<<30 {
		if _, err := f.Write(buf); err != nil {
			fmt.Printf("big file stopped at %d MiB by: %v\n", n>>20, err)
			break
		}
		n += len(buf)
	}
}
