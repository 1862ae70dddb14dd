package main

import "fmt"

// Touches memory a MiB at a time, capped at 4 GiB.
func main() {
	var keep [][]byte
	for i := 0; i < 4096; i++ {
		b := make([]byte, 1<<20)
		for j := 0; j < len(b); j += 4096 {
			b[j] = 1
		}
		keep = append(keep, b)
	}
	fmt.Println("SURVIVED with", len(keep), "MiB")
}
