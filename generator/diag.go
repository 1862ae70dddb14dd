package generator

import (
	"errors"
	"io/fs"

	"github.com/benchpress/benchpress/generator/diag"
	"github.com/benchpress/benchpress/internal/sysfile"
)

// readError positions an error of reading a site file at that file. A
// symbolic link that leads out of the site is refused by the site's file
// system (sysfile.DirFS); its message names the link and the rule.
func readError(file string, err error) *diag.Error {
	var pe *fs.PathError
	if errors.As(err, &pe) && errors.Is(pe.Err, sysfile.ErrOutside) {
		return diag.Errorf(pe.Path, 0, "%v", pe.Err)
	}
	return diag.Errorf(file, 0, "%v", err)
}
