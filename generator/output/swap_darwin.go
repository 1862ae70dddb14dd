package output

import "golang.org/x/sys/unix"

// exchange swaps the directories a and b in one step: renamex_np with
// RENAME_SWAP (macOS 10.12, APFS and HFS+; elsewhere the caller falls back
// to the rename dance).
func exchange(a, b string) error {
	return unix.RenamexNp(a, b, unix.RENAME_SWAP)
}
