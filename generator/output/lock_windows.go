package output

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/windows"
)

// tryLock takes LockFileEx's exclusive lock on the first byte of the file
// name, creating it, or fails at once with errLocked. Windows drops the
// lock when the handle is closed, which the process's exit does too.
func tryLock(name string) (unlock func(), err error) {
	// A site can commit the lock file's name as a link, which opening
	// would follow to create a file anywhere the build may write.
	if st, err := os.Lstat(name); err == nil && st.Mode()&os.ModeSymlink != 0 {
		return nil, fmt.Errorf("%s is a symbolic link: benchpress makes this lock file itself; remove the link", name)
	}
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	ol := new(windows.Overlapped)
	err = windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, ol)
	switch {
	case err == nil:
		return func() {
			windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, ol)
			f.Close()
		}, nil
	case errors.Is(err, windows.ERROR_LOCK_VIOLATION), errors.Is(err, windows.ERROR_IO_PENDING):
		f.Close()
		return nil, errLocked
	default:
		f.Close()
		return nil, fmt.Errorf("cannot lock %s: %v", name, err)
	}
}
