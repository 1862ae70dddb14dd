//go:build !linux && !darwin

package output

import "errors"

// exchange fails: Windows has no atomic exchange of two directories, so
// the caller does the rename dance.
func exchange(a, b string) error {
	return errors.ErrUnsupported
}
