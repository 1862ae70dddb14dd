package main

import (
	"fmt"
	"os"
	"time"
)

// Starts copies of itself until the sandbox refuses, capped at 2000 so a
// sandbox that does not hold cannot take the machine down.
func main() {
	if len(os.Args) > 1 && os.Args[1] == "child" {
		time.Sleep(3 * time.Second)
		return
	}
	started := 0
	var last error
	for started < 2000 {
		p, err := os.StartProcess("/proc/self/exe", []string{"main", "child"}, &os.ProcAttr{})
		if err != nil {
			last = err
			break
		}
		p.Release()
		started++
	}
	fmt.Printf("started %d children, stopped by: %v\n", started, last)
}
