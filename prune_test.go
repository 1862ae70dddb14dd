package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/benchpress/benchpress/generator/config"
)

// TestCheckPrune: build --prune is refused, before anything runs, when the
// build leaves out drafts or future posts with live code, whose stored
// results the prune would delete; posts without live code, and a build
// that includes them, prune as before.
func TestCheckPrune(t *testing.T) {
	live := "\n```go run\nfmt.Println(1)\n```\n"
	post := func(extra, body string) string {
		return "---\ntitle: P\ndate: 2026-01-01\n" + extra + "---\nText.\n" + body
	}
	site := map[string]string{
		"config.yaml":              "title: T\nbaseURL: https://example.org/\n",
		"content/posts/pub.md":     post("", live),
		"content/posts/draft.md":   post("draft: true\n", live),
		"content/posts/quiet.md":   post("draft: true\n", "No code.\n"),
		"content/posts/later.md":   "---\ntitle: L\ndate: 2030-01-01\n---\n" + live,
		"content/posts/b/index.md": post("draft: true\n", "\n```go run file=main.go\n```\n"),
		"content/posts/b/main.go":  "package main\n\nfunc main() {}\n",
	}
	root := writeFiles(t, site)
	now := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	const advice = "; prune with --drafts --future (and --out a scratch directory, to publish nothing) to keep them"
	for _, tc := range []struct {
		drafts, future bool
		want           string
	}{
		{false, false, "--prune would delete the stored results of live code in posts this build leaves out: content/posts/later.md (future), content/posts/b/index.md (draft), content/posts/draft.md (draft)" + advice},
		{true, false, "--prune would delete the stored results of live code in posts this build leaves out: content/posts/later.md (future)" + advice},
		{false, true, "--prune would delete the stored results of live code in posts this build leaves out: content/posts/b/index.md (draft), content/posts/draft.md (draft)" + advice},
		{true, true, ""},
	} {
		err := checkPrune(buildFlags{root: root, drafts: tc.drafts, future: tc.future, prune: true}, config.Default(), now)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("--drafts=%v --future=%v:\n got %q\nwant %q", tc.drafts, tc.future, got, tc.want)
		}
	}
	// Nothing left out with live code: the prune goes ahead.
	delete(site, "content/posts/draft.md")
	delete(site, "content/posts/later.md")
	delete(site, "content/posts/b/index.md")
	delete(site, "content/posts/b/main.go")
	if err := checkPrune(buildFlags{root: writeFiles(t, site), prune: true}, config.Default(), now); err != nil {
		t.Errorf("a draft without live code: %v", err)
	}
}

// TestBuildPruneRefused: build --prune on a site whose draft has live code
// fails before anything runs or renders, and the results store keeps its
// entries; before, the build succeeded and the prune deleted the draft's
// stored results with every other entry the build did not look up.
func TestBuildPruneRefused(t *testing.T) {
	root := writeFiles(t, map[string]string{
		"config.yaml":            "title: T\nbaseURL: https://example.org/\n",
		"content/posts/pub.md":   "---\ntitle: P\ndate: 2026-01-01\n---\nNo code.\n",
		"content/posts/draft.md": "---\ntitle: D\ndate: 2026-01-01\ndraft: true\n---\n\n```go run\nfmt.Println(1)\n```\n",
		".benchpress/results/0123456789abcdef0123456789abcdef.json": "{}\n",
	})
	out := filepath.Join(t.TempDir(), "public")
	cmd := cliCommand("build", "--source", root, "--out", out, "--prune")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Run()
	code := cmd.ProcessState.ExitCode()
	want := "benchpress: --prune would delete the stored results of live code in posts this build leaves out: content/posts/draft.md (draft); " +
		"prune with --drafts --future (and --out a scratch directory, to publish nothing) to keep them\n"
	if code != 1 || stderr.String() != want {
		t.Errorf("build --prune: exit %d, stderr %q; want 1, %q", code, stderr.String(), want)
	}
	if _, err := os.Stat(filepath.Join(root, ".benchpress/results/0123456789abcdef0123456789abcdef.json")); err != nil {
		t.Errorf("the stored result is gone: %v", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("the refused build wrote %s (%v)", out, err)
	}
}

// TestBuildPruneCount: a prune of one stale entry says "1 stored result",
// not "1 stored results", and deletes it.
func TestBuildPruneCount(t *testing.T) {
	entry := ".benchpress/results/0123456789abcdef0123456789abcdef.json"
	root := writeFiles(t, map[string]string{
		"config.yaml":          "title: T\nbaseURL: https://example.org/\n",
		"content/posts/pub.md": "---\ntitle: P\ndate: 2026-01-01\n---\nNo code.\n",
		entry:                  "{}\n",
	})
	cmd := cliCommand("build", "--source", root, "--out", filepath.Join(t.TempDir(), "public"), "--prune")
	b, err := cmd.CombinedOutput()
	if err != nil || !strings.HasPrefix(string(b), "pruned 1 stored result no snippet uses\n") {
		t.Errorf("build --prune: %v\n%s\nwant it to start with \"pruned 1 stored result no snippet uses\"", err, b)
	}
	if _, err := os.Stat(filepath.Join(root, entry)); !os.IsNotExist(err) {
		t.Errorf("the stale entry is still there (%v)", err)
	}
}
