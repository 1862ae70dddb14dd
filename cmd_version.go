package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// version is the release version, set when linking a release build:
//
//	go build -ldflags "-X main.version=v1.2.3"
//
// Otherwise the version comes from what the Go toolchain stamps in the
// binary (see versionOf).
var version = ""

func runVersion(args []string) error {
	fs := newFlagSet("version", "", "Print benchpress's version and the Go toolchain it was built with.\n(benchpress --version does the same.)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("version takes no arguments (got %q)", fs.Args())
	}
	fmt.Printf("benchpress %s %s %s/%s\n", benchpressVersion(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return nil
}

// versionOf says which benchpress this is: the release version linked in
// (release), else the module version (go install MODULE@VERSION), else the
// version control state that go build stamps when it builds a checkout:
// the commit, its time, and whether the tree had uncommitted changes.
// "(devel)" when none is known (go run, go test).
func versionOf(release string, bi *debug.BuildInfo) string {
	if release != "" {
		return release
	}
	if bi == nil {
		return "(devel)"
	}
	var rev, at string
	var modified bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	v := bi.Main.Version
	if v == "" || v == "(devel)" {
		v = "(devel)"
		if rev == "" {
			return v
		}
	} else if rev == "" || !strings.Contains(v, "-") {
		// A module version from the proxy (a tag, or a pseudo-version
		// that names its commit): it says everything.
		return v
	}
	// Built from a checkout: Go 1.24+ stamps a pseudo-version too, but
	// the commit is what finds the source.
	if len(rev) > 12 {
		rev = rev[:12]
	}
	v += " (commit " + rev
	if at != "" {
		v += ", " + at
	}
	if modified {
		v += ", with uncommitted changes"
	}
	return v + ")"
}
