package main

import (
	"fmt"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	sums := make([]int, 8)
	for i := range sums {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j <= 1000; j++ {
				sums[i] += j
			}
		}()
	}
	wg.Wait()
	fmt.Println(sums)
}
