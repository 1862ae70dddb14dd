//go:build unix

package output

import (
	"fmt"
	"io/fs"

	"golang.org/x/sys/unix"
)

// tryLock takes flock's exclusive lock on the file name, creating it, or
// fails at once with errLocked. Closing the last descriptor drops the lock.
func tryLock(name string) (unlock func(), err error) {
	// O_NOFOLLOW: a site can commit the lock file's name as a link, which
	// O_CREAT would follow to create a file anywhere the build may write.
	fd, err := unix.Open(name, unix.O_RDWR|unix.O_CREAT|unix.O_CLOEXEC|unix.O_NOFOLLOW, 0o644)
	if err == unix.ELOOP {
		return nil, fmt.Errorf("%s is a symbolic link: benchpress makes this lock file itself; remove the link", name)
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	for {
		err = unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB)
		if err != unix.EINTR {
			break
		}
	}
	switch err {
	case nil:
		return func() { unix.Close(fd) }, nil
	case unix.EWOULDBLOCK:
		unix.Close(fd)
		return nil, errLocked
	default:
		unix.Close(fd)
		return nil, fmt.Errorf("cannot lock %s: %v", name, err)
	}
}
