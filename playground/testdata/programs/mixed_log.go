package main

import (
	"fmt"
	"log"
	"os"
)

func main() {
	log.SetFlags(0)
	fmt.Println("out1")
	fmt.Fprintln(os.Stderr, "err1")
	log.Print("log")
	fmt.Println("out2")
}
