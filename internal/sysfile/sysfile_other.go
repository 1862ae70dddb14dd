//go:build !linux

package sysfile

import "os"

// ReadFile returns the contents of the file at path: os.ReadFile, as the
// fast path is Linux's.
func ReadFile(path string) ([]byte, error) { return os.ReadFile(path) }

// WriteFile writes data to the file at path, creating it with perm (before
// the umask) or truncating it: os.WriteFile, as the fast path is Linux's.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	return os.WriteFile(path, data, perm)
}
