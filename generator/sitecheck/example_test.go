package sitecheck_test

import (
	"os"
	"testing"
)

// The example site (config.yaml and content/ at the repository's root)
// builds into a tree with no problems. Snippets get made-up output: what is
// checked is the site's structure, not its numbers. (A block with expect=fail
// or expect=compile-error needs its ID in fakeRunner's fail map.)
func TestExampleSite(t *testing.T) {
	if _, err := os.Stat("../../content/posts"); err != nil {
		t.Skip("no example site in content/")
	}
	rep := buildAndCheck(t, "../..", fakeRunner{})
	diffLines(t, lines(rep), nil)
}
