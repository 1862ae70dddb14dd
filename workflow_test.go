package main

import (
	"io"
	"os"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
)

// The GitHub Actions workflows the README offers users' sites: one machine,
// and the snippet runs sharded over a matrix.
const (
	siteWorkflow    = ".github/workflows/site.yml"
	shardedWorkflow = ".github/workflows/site-sharded.yml"
)

// TestSiteWorkflowLints runs actionlint (as a library: no binary to install,
// no network) over the workflows: their syntax, expressions, job and step
// structure, runner labels, permissions, matrices, and the inputs and
// outputs of the official actions they use. Any finding fails the test.
func TestSiteWorkflowLints(t *testing.T) {
	for _, tc := range []struct {
		file string
		want []string // the steps the README documents
	}{
		{siteWorkflow, []string{"schedule:", "- cron: ", "go-version-file: go.mod", "repository: benchpress/benchpress", "run: benchpress build", "run: benchpress check", "--frozen", "            .benchpress/results\n            .benchpress/cache\n",
			"actions/configure-pages@", "actions/upload-pages-artifact@", "actions/deploy-pages@", "~/.cache/benchpress/gocache"}},
		{shardedWorkflow, []string{"go-version-file: go.mod", "repository: benchpress/benchpress", `run: benchpress build --shard "${{ matrix.shard }}/${{ strategy.job-total }}"`,
			"xargs -0 -r benchpress merge-results", "run: benchpress build --frozen", "run: benchpress check",
			"path: .benchpress/results", "include-hidden-files: true", "key: ${{ needs.store.outputs.key }}",
			"actions/upload-artifact@", "actions/download-artifact@", "actions/configure-pages@",
			"actions/upload-pages-artifact@", "actions/deploy-pages@", "~/.cache/benchpress/gocache"}},
	} {
		src, err := os.ReadFile(tc.file)
		if err != nil {
			t.Fatal(err)
		}
		// No shellcheck or pyflakes: the result must not depend on what else
		// the machine has installed.
		l, err := actionlint.NewLinter(io.Discard, &actionlint.LinterOptions{})
		if err != nil {
			t.Fatal(err)
		}
		errs, err := l.Lint(tc.file, src, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range errs {
			t.Errorf("%s:%d:%d: %s [%s]", tc.file, e.Line, e.Column, e.Message, e.Kind)
		}
		for _, want := range tc.want {
			if !strings.Contains(string(src), want) {
				t.Errorf("%s does not contain %q", tc.file, want)
			}
		}
		// The module proxy has no github.com/benchpress/benchpress: the
		// workflows build it from a checkout. And a Go version given by
		// hand ("1.26.x") would move every stored result's key with each
		// patch release.
		for _, bad := range []string{"go install github.com/benchpress/benchpress", `go install "github.com/benchpress/benchpress`, "go-version:"} {
			if strings.Contains(string(src), bad) {
				t.Errorf("%s contains %q", tc.file, bad)
			}
		}
	}
}
