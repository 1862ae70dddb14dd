package main

import (
	"fmt"
	"time"
)

// Several busy threads use CPU time faster than wall-clock time. It stops
// by itself after 20 seconds of wall-clock time.
func main() {
	start := time.Now()
	for i := 0; i < 3; i++ {
		go func() {
			for time.Since(start) < 20*time.Second {
			}
		}()
	}
	for time.Since(start) < 20*time.Second {
	}
	fmt.Println("SURVIVED")
}
