package playground

import (
	"fmt"

	"golang.org/x/mod/modfile"
)

// LocalReplace finds a replace directive of a snippets' go.mod whose target
// is a directory rather than a module version, and returns its line and
// target; line 0 when there is none. The go command would compile, into a
// snippet, source from anywhere on the machine that builds it, so callers
// refuse such a go.mod. It reads the file as the go command does (quoted
// and back-quoted paths, replace blocks), with the go command's own parser;
// a go.mod that parser refuses is an error.
func LocalReplace(gomod []byte) (line int, dir string, err error) {
	f, err := modfile.Parse("go.mod", gomod, nil)
	if err != nil {
		return 0, "", fmt.Errorf("go.mod does not parse: %v", err)
	}
	for _, r := range f.Replace {
		if r.New.Version == "" { // a directory: modules have versions
			line := 1
			if r.Syntax != nil {
				line = r.Syntax.Start.Line
			}
			return line, r.New.Path, nil
		}
	}
	return 0, "", nil
}
