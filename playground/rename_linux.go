package playground

import (
	"errors"

	"golang.org/x/sys/unix"
)

// renameNoReplace renames from to to, failing with an error that is
// os.ErrExist rather than replace to; errors.ErrUnsupported where the file
// system cannot (the caller then makes a hard link, which does not replace
// either).
func renameNoReplace(from, to string) error {
	err := unix.Renameat2(unix.AT_FDCWD, from, unix.AT_FDCWD, to, unix.RENAME_NOREPLACE)
	if err == unix.EINVAL || err == unix.ENOSYS {
		return errors.ErrUnsupported
	}
	if err != nil {
		return err // EEXIST is os.ErrExist
	}
	return nil
}
