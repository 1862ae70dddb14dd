package playground

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// noexecError says that what (a directory at path, or the binary open at
// fd when fd >= 0) lies on a file system mounted noexec, where no program
// may be executed, or returns nil.
func noexecError(what, path string, fd int) error {
	var fs unix.Statfs_t
	var err error
	if fd >= 0 {
		err = unix.Fstatfs(fd, &fs)
	} else {
		err = unix.Statfs(path, &fs)
	}
	if err != nil || fs.Flags&unix.ST_NOEXEC == 0 {
		return nil
	}
	return fmt.Errorf("%s is on a file system mounted noexec, where the programs benchpress builds cannot run: "+
		"set TMPDIR to a directory on a mount that allows executing files (benchpress builds snippets under TMPDIR)", what)
}
