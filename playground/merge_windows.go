package playground

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// openEntryFile opens name (relative to dir, or to the working directory
// if dir is nil), refusing a symbolic link (or other reparse point): it
// looks first, then checks that what it opened is the file it looked at,
// so a link swapped in meanwhile is refused too. Windows has no FIFOs in
// the file system to block on.
func openEntryFile(dir *os.File, name string) (*os.File, error) {
	if dir != nil {
		name = filepath.Join(dir.Name(), name)
	}
	before, err := os.Lstat(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, os.ErrNotExist
		}
		return nil, err
	}
	if before.Mode()&fs.ModeSymlink != 0 || before.Mode()&fs.ModeIrregular != 0 {
		return nil, errSymlinkEntry
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	if after, err := f.Stat(); err != nil || !os.SameFile(before, after) {
		f.Close()
		return nil, errSymlinkEntry
	}
	return f, nil
}

var errSymlinkEntry = errors.New("a symbolic link, not a results entry: refused")

// renameNoReplace: Windows has no rename that refuses to replace, so the
// caller makes a hard link, which does not replace either.
func renameNoReplace(from, to string) error { return errors.ErrUnsupported }
