package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNewPost: `benchpress new post` makes a file of the title's slug only
// when that name is the same on every system, and never overwrites one.
func TestNewPost(t *testing.T) {
	site := t.TempDir()
	for _, tc := range []struct {
		title string
		code  int
		msg   string // in stdout on success, stderr otherwise
	}{
		{"Hello, World", 0, filepath.Join("content", "posts", "hello-world.md")},
		{"Ünï Çødé", 0, filepath.Join("content", "posts", "ünï-çødé.md")},
		{"Hello, World", 1, "hello-world.md already exists: not overwriting it"},
		{"Con", 1, `title "Con": slug "con" is the name of a device on Windows (CON): choose another title`},
		{"aux", 1, `slug "aux" is the name of a device on Windows (AUX)`},
		{strings.Repeat("long ", 60), 1, "slug is longer than 255 bytes (299): choose a shorter title"},
		{"!!!", 1, `title "!!!" gives an empty slug: use letters or digits`},
	} {
		cmd := cliCommand("new", "--source", site, "post", tc.title)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		cmd.Run()
		out := stdout.String()
		if tc.code != 0 {
			out = stderr.String()
		}
		if code := cmd.ProcessState.ExitCode(); code != tc.code || !strings.Contains(out, tc.msg) {
			t.Errorf("new post %q: exit %d, stdout %q, stderr %q; want exit %d and %q", tc.title, code, stdout.String(), stderr.String(), tc.code, tc.msg)
		}
	}
	entries, err := os.ReadDir(filepath.Join(site, "content", "posts"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, " "); got != "hello-world.md ünï-çødé.md" {
		t.Errorf("content/posts holds %q, want the two posts made", got)
	}
}
