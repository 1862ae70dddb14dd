package browsertest

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNuHTMLChecker runs the Nu HTML Checker over every page of the site
// under test and of the fixture site (when they differ): zero errors.
func TestNuHTMLChecker(t *testing.T) {
	skipShort(t)
	java, err := exec.LookPath("java")
	if err != nil {
		need(t, "java not found: the Nu HTML Checker needs it")
	}
	jar := npmFile(t, "vnu-jar/build/dist/vnu.jar")
	dir, name := siteUnderTest(t)
	dirs := map[string]string{name: dir}
	if !strings.HasPrefix(name, "fixture") {
		dirs["fixture site (testdata/site.txtar)"] = buildFixture(t)
	}
	for name, dir := range dirs {
		cmd := exec.Command(java, "-jar", jar, "--errors-only", "--skip-non-html", "--also-check-svg", dir)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("vnu found errors in the %s:\n%s", name, strings.ReplaceAll(string(out), dir, ""))
			continue
		}
		t.Logf("vnu: %d pages of the %s, no errors", len(htmlPages(t, dir)), name)
	}
}
