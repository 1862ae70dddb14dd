//go:build unix

package generator

import (
	"io/fs"
	"syscall"
)

// inode is st's inode number, which tells a file replaced by another of the
// same size and time (an editor's save by rename) from the one it replaced.
func inode(st fs.FileInfo) uint64 {
	if sys, ok := st.Sys().(*syscall.Stat_t); ok {
		return uint64(sys.Ino)
	}
	return 0
}
