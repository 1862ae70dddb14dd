package sitecheck_test

import (
	"os"
	"testing"
)

// The example site (config.yaml and content/ at the repository's root)
// builds into a tree with no problems. Snippets get their output from the
// committed results store (.benchpress/results), so the posts' claims and
// output checks are judged as a --frozen build judges them, and made-up
// output when a block has no stored result. (A block with expect=fail or
// expect=compile-error needs its ID in fakeRunner's fail map.)
func TestExampleSite(t *testing.T) {
	if _, err := os.Stat("../../content/posts"); err != nil {
		t.Skip("no example site in content/")
	}
	rep := buildAndCheck(t, "../..", fakeRunner{stored: storedOutputs(t, "../../.benchpress/results")})
	diffLines(t, lines(rep), nil)
}
