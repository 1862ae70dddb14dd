//go:build unix

package playground

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// openEntryFile opens name (relative to dir, or to the working directory
// if dir is nil) with O_NOFOLLOW, so a symbolic link is refused by the
// open itself, and O_NONBLOCK, so a FIFO cannot hold it.
func openEntryFile(dir *os.File, name string) (*os.File, error) {
	dirfd := unix.AT_FDCWD
	if dir != nil {
		dirfd = int(dir.Fd())
	}
	fd, err := unix.Openat(dirfd, name, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	for err == unix.EINTR {
		fd, err = unix.Openat(dirfd, name, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	}
	switch {
	case err == unix.ENOENT:
		return nil, os.ErrNotExist
	case err == unix.ELOOP:
		return nil, errSymlinkEntry
	case err != nil:
		return nil, err
	}
	return os.NewFile(uintptr(fd), name), nil
}

var errSymlinkEntry = errors.New("a symbolic link, not a results entry: refused")
