package main

import (
	"fmt"
	"net"
	"os"
	"time"
)

// Tries to reach the address it is given (a listener on the host's loopback).
func main() {
	for _, addr := range os.Args[1:] {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			fmt.Println("CONNECTED", addr)
			c.Close()
			continue
		}
		fmt.Println("refused:", err)
	}
	if _, err := net.DialTimeout("udp", "10.0.0.1:53", time.Second); err != nil {
		fmt.Println("udp refused:", err)
	}
}
