package browsertest

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNuHTMLChecker runs the Nu HTML Checker over every page of the site
// under test and of the fixture site (when they differ): zero errors. One
// JVM checks both.
func TestNuHTMLChecker(t *testing.T) {
	skipShort(t)
	java, err := exec.LookPath("java")
	if err != nil {
		need(t, "java not found: the Nu HTML Checker needs it")
	}
	jar := npmFile(t, "vnu-jar/build/dist/vnu.jar")
	dir, name := siteUnderTest(t)
	dirs := map[string]string{dir: name}
	if !strings.HasPrefix(name, "fixture") {
		dirs[buildFixture(t)] = "fixture site (testdata/site.txtar)"
	}
	args := []string{"-jar", jar, "--errors-only", "--skip-non-html"}
	for d := range dirs {
		args = append(args, d)
	}
	out, err := exec.Command(java, args...).CombinedOutput()
	if err != nil {
		msg := string(out)
		for d, name := range dirs {
			msg = strings.ReplaceAll(msg, "file:"+d, name+": ")
		}
		t.Fatalf("vnu found errors:\n%s", msg)
	}
	for d, name := range dirs {
		t.Logf("vnu: %d pages of the %s, no errors", len(htmlPages(t, d)), name)
	}
}
