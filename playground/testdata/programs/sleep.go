package main

import (
	"fmt"
	"time"
)

func main() {
	start := time.Now()
	time.Sleep(200 * time.Millisecond)
	fmt.Println("slept at least 200ms:", time.Since(start) >= 200*time.Millisecond)
}
