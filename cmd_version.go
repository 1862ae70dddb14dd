package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// version is set at link time with -ldflags "-X main.version=..."; otherwise
// the module version from the build info is used.
var version = ""

func runVersion(args []string) error {
	fs := newFlagSet("version", "", "Print benchpress's version and the Go toolchain it was built with.")
	if err := fs.Parse(args); err != nil {
		return err
	}
	v := version
	if v == "" {
		v = "(devel)"
		if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
			v = bi.Main.Version
		}
	}
	fmt.Printf("benchpress %s %s %s/%s\n", v, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return nil
}
