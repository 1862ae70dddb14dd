//go:build !linux

package output

import (
	"errors"
	"os"
)

// linkOpen fails where an open file cannot be linked by its descriptor:
// the caller writes the bytes instead.
func linkOpen(f *os.File, path string) error {
	return &os.LinkError{Op: "link", Old: f.Name(), New: path, Err: errors.ErrUnsupported}
}
