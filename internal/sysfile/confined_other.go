//go:build !linux

package sysfile

import "io/fs"

// newDirFS is DirFS on every OS but Linux: os.Root, see rootFS.
func newDirFS(dir string) fs.FS { return newRootFS(dir) }
