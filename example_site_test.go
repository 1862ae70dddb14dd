package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/benchpress/benchpress/generator/config"
	"github.com/benchpress/benchpress/internal/sitecheck"
)

// TestExampleSite builds the example site in content/ with the real
// sandbox, as `make serve` does, through the committed results store (a
// snippet whose inputs changed runs for real). It fails if any snippet
// fails, if a post lacks its live blocks' real output, or if `check` finds
// a problem in the built site.
func TestExampleSite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the example site through the sandbox")
	}
	out := filepath.Join(t.TempDir(), "public")
	var log bytes.Buffer
	st, err := buildSite(context.Background(), buildFlags{root: ".", out: out}, false, newConsole(&log, ".", false))
	if err != nil {
		t.Fatalf("example site: %v\n%s", err, log.String())
	}
	t.Logf("%d posts; %d snippets: %d run, %d cached", st.Posts, st.Snippets, st.SnippetsRun, st.SnippetsCached)
	if st.Posts < 8 {
		t.Errorf("%d posts, want at least 8", st.Posts)
	}

	posts, _ := filepath.Glob(filepath.Join(out, "posts", "*", "index.html"))
	outputs := regexp.MustCompile(`<div class="output[^"]*" data-output data-status="ok"`)
	for _, p := range posts {
		page, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(filepath.Dir(p))
		if n := len(outputs.FindAll(page, -1)); n < 2 {
			t.Errorf("%s: %d go run outputs, want at least 2", name, n)
		}
		if !bytes.Contains(page, []byte("data-bench")) {
			t.Errorf("%s: no benchmark report", name)
		}
		if !bytes.Contains(page, []byte("<svg")) {
			t.Errorf("%s: no SVG", name)
		}
	}

	cfg, err := config.Load(".")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := sitecheck.Check(os.DirFS(out), sitecheck.Options{BaseURL: cfg.BaseURL})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range rep.Problems {
		t.Errorf("check: %s", p)
	}
	if strings.Contains(log.String(), "WARNING") {
		t.Errorf("build warned:\n%s", log.String())
	}
}
