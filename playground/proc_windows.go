package playground

import (
	"errors"
	"os"
)

// The signals execute tells apart in a program's end: Windows programs
// end by no signal.
const (
	sigXCPU = -1
	sigKILL = -1
)

// errNoLocalRuns is why a snippet cannot run on Windows, and what to do.
var errNoLocalRuns = errors.New("snippets cannot run on Windows: benchpress runs them in its Linux sandbox, or unsandboxed (sandbox: none) on Linux and macOS.\n" +
	"Run them on a Linux machine instead (set playground.sandbox: remote and playground.runner in config.yaml, with a\n" +
	"`benchpress playground serve` on Linux, or WSL2), or use --frozen to render the results stored in the site")

// bareSupported says why programs cannot run unsandboxed here: a Windows
// process has no process group that kills everything it started, nor the
// signals execute reads a program's end from, so benchpress does not run
// snippets on Windows at all.
func bareSupported() error { return errNoLocalRuns }

func spawnBare(bin string, argv, env []string, dir string, stdin, stdout, stderr *os.File) (proc, error) {
	return nil, errNoLocalRuns
}
