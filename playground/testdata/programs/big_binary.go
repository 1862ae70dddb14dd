package main

import "fmt"

// The linker would write a 1.6 GB binary: its data section is one array.
var big = [200 << 20]int64{7}

func main() { fmt.Println("ran", big[0]) }
