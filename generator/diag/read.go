package diag

import (
	"errors"
	"io/fs"

	"github.com/benchpress/benchpress/internal/sysfile"
)

// ReadError positions an error of reading a site file at that file. A
// symbolic link that leads out of the site is refused by the site's file
// system (sysfile.DirFS); its message names the link and the rule.
func ReadError(file string, err error) *Error {
	var pe *fs.PathError
	if errors.As(err, &pe) && errors.Is(pe.Err, sysfile.ErrOutside) {
		return Errorf(pe.Path, 0, "%v", pe.Err)
	}
	return Errorf(file, 0, "%v", err)
}
