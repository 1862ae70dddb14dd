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
