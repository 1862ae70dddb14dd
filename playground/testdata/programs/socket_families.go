package main

import (
	"fmt"
	"syscall"
)

// Opens sockets of every address family. Only unix, IPv4, IPv6 and route
// netlink may open: AF_VSOCK, for one, is not confined by the network
// namespace and reaches the hypervisor. Nothing is sent.
func main() {
	for fam := 0; fam < 64; fam++ {
		for _, typ := range []int{syscall.SOCK_STREAM, syscall.SOCK_DGRAM, syscall.SOCK_RAW, syscall.SOCK_SEQPACKET} {
			fd, err := syscall.Socket(fam, typ, 0)
			if err != nil {
				continue
			}
			syscall.Close(fd)
			switch fam {
			case syscall.AF_UNIX, syscall.AF_INET, syscall.AF_INET6, syscall.AF_NETLINK:
				fmt.Printf("ok family %d type %d\n", fam, typ)
			default:
				fmt.Printf("OPENED family %d type %d\n", fam, typ)
			}
		}
	}
	// Netlink: route only (netfilter, generic netlink, audit and the rest
	// are kernel surface a snippet has no use for).
	for _, proto := range []int{syscall.NETLINK_ROUTE, syscall.NETLINK_NETFILTER, syscall.NETLINK_GENERIC, syscall.NETLINK_KOBJECT_UEVENT, syscall.NETLINK_AUDIT} {
		fd, err := syscall.Socket(syscall.AF_NETLINK, syscall.SOCK_RAW, proto)
		if err != nil {
			fmt.Printf("netlink %d refused\n", proto)
			continue
		}
		syscall.Close(fd)
		if proto == syscall.NETLINK_ROUTE {
			fmt.Println("netlink route ok")
		} else {
			fmt.Printf("OPENED netlink %d\n", proto)
		}
	}
}
