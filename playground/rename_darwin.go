package playground

import (
	"errors"

	"golang.org/x/sys/unix"
)

// renameNoReplace renames from to to, failing with an error that is
// os.ErrExist rather than replace to (renamex_np with RENAME_EXCL);
// errors.ErrUnsupported where the file system cannot (the caller then
// makes a hard link, which does not replace either).
func renameNoReplace(from, to string) error {
	err := unix.RenamexNp(from, to, unix.RENAME_EXCL)
	if err == unix.EINVAL || err == unix.ENOTSUP {
		return errors.ErrUnsupported
	}
	if err != nil {
		return err // EEXIST is os.ErrExist
	}
	return nil
}
