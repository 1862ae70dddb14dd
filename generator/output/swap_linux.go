package output

import "golang.org/x/sys/unix"

// exchange swaps the directories a and b in one step: renameat2 with
// RENAME_EXCHANGE (Linux 3.15; not every file system has it, and then the
// caller falls back to the rename dance).
func exchange(a, b string) error {
	return unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
}
