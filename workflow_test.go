package main

import (
	"io"
	"os"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
)

// siteWorkflow is the GitHub Actions workflow the README offers users' sites.
const siteWorkflow = ".github/workflows/site.yml"

// TestSiteWorkflowLints runs actionlint (as a library: no binary to install,
// no network) over the workflow: its syntax, expressions, job and step
// structure, runner labels, permissions, and the inputs of the official
// actions it uses. Any finding fails the test.
func TestSiteWorkflowLints(t *testing.T) {
	src, err := os.ReadFile(siteWorkflow)
	if err != nil {
		t.Fatal(err)
	}
	// No shellcheck or pyflakes: the result must not depend on what else the
	// machine has installed.
	l, err := actionlint.NewLinter(io.Discard, &actionlint.LinterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	errs, err := l.Lint(siteWorkflow, src, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range errs {
		t.Errorf("%s:%d:%d: %s [%s]", siteWorkflow, e.Line, e.Column, e.Message, e.Kind)
	}
	// The steps the README documents.
	for _, want := range []string{"run: benchpress build", "run: benchpress check", "--frozen", "path: .benchpress/results",
		"actions/configure-pages@", "actions/upload-pages-artifact@", "actions/deploy-pages@"} {
		if !strings.Contains(string(src), want) {
			t.Errorf("%s does not contain %q", siteWorkflow, want)
		}
	}
}
