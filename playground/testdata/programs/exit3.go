package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Println("out first")
	fmt.Fprintln(os.Stderr, "then err")
	os.Exit(3)
}
