package main

import (
	"fmt"
	"os"
)

// Exits with the code the sandbox's second stage uses for its own setup
// errors: it is still the program's exit code.
func main() {
	fmt.Println("exiting 125")
	os.Exit(125)
}
