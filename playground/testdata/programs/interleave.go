package main

import (
	"fmt"
	"os"
)

// 1,000 lines to stdout and stderr alternately, with no delay between them:
// the result must hold them in exactly this order.
func main() {
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(os.Stdout, "out %d\n", i)
		fmt.Fprintf(os.Stderr, "err %d\n", i)
	}
}
