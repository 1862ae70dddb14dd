package output

import (
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// linkOpen makes path a hard link to the file f has open: linkat of its
// /proc/self/fd entry with AT_SYMLINK_FOLLOW, which links the open inode
// itself (needing no privilege, unlike AT_EMPTY_PATH).
func linkOpen(f *os.File, path string) error {
	src := "/proc/self/fd/" + strconv.Itoa(int(f.Fd()))
	for {
		err := unix.Linkat(unix.AT_FDCWD, src, unix.AT_FDCWD, path, unix.AT_SYMLINK_FOLLOW)
		if err != unix.EINTR {
			if err != nil {
				return &os.LinkError{Op: "link", Old: f.Name(), New: path, Err: err}
			}
			return nil
		}
	}
}
