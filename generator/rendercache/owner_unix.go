//go:build unix

package rendercache

import (
	"io/fs"
	"os"
	"syscall"
)

// ownedByMe reports whether the file st describes belongs to this
// process's user.
func ownedByMe(st fs.FileInfo) bool {
	sys, ok := st.Sys().(*syscall.Stat_t)
	return ok && int(sys.Uid) == euid
}

// euid is os.Geteuid(), a system call, asked once.
var euid = os.Geteuid()
