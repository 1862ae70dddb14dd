package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/benchpress/benchpress/generator/config"
)

// sourceFlagHelp is the help of every command's --source flag whose
// default is the site found upward.
const sourceFlagHelp = "site root (default: the nearest directory holding config.yaml, this one or one above it)"

// siteRoot is the site a command works on: source when --source names
// one, else the nearest directory holding config.yaml, starting in the
// current directory and going upward as git looks for .git, so a build
// started in content/posts/ builds its site. The root is returned relative
// to the current directory ("." when it is the current directory), so
// paths in messages stay short; when it is above, log is told where.
func siteRoot(source string, log io.Writer) (string, error) {
	if source != "" {
		return source, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("finding the site: %v: name it with --source", err)
	}
	dir, top, found := findConfig(wd)
	if !found {
		above := "any directory above it"
		if top != "" {
			above = "any directory above it up to the repository's top " + top
		}
		return "", fmt.Errorf("not inside a benchpress site: no %s in %s or %s: create a site with `benchpress new site DIR`, or name one with --source DIR", config.File, wd, above)
	}
	rel, err := filepath.Rel(wd, dir)
	if err != nil {
		rel = dir
	}
	if rel != "." && log != nil {
		fmt.Fprintf(log, "site: %s (%s found above the current directory)\n", rel, config.File)
	}
	return rel, nil
}

// findConfig walks from dir upward and returns the first directory
// holding a config.yaml that is a regular file (a directory of that name
// is not a site). The walk ends at the top of the git repository dir is
// in (a directory holding .git), which it returns as top when no site is
// found: a site is never above its own repository, and a config.yaml
// there (a home directory's, another tool's) belongs to something else,
// which a build in a repository without a site must not take for its
// site. Outside any repository the walk goes on to the file system's
// root, and top is "".
func findConfig(dir string) (site, top string, found bool) {
	for {
		if st, err := os.Stat(filepath.Join(dir, config.File)); err == nil && st.Mode().IsRegular() {
			return dir, "", true
		}
		if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
			return "", dir, false
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", "", false
		}
		dir = parent
	}
}
