package playground

import "testing"

// TestLocalReplace: every spelling the go command reads as a directory is
// found, quoted ones included; module versions are not.
func TestLocalReplace(t *testing.T) {
	const head = "module snippets\n\ngo 1.26\n"
	for _, tt := range []struct {
		name, mod string
		line      int
		dir       string
		err       bool
	}{
		{"none", head + "require example.com/y v1.0.0\n", 0, "", false},
		{"version", head + "replace example.com/y => example.com/z v1.2.0\n", 0, "", false},
		{"relative", head + "replace example.com/y => ../y\n", 4, "../y", false},
		{"absolute", head + "replace example.com/y => /home/runner/mod\n", 4, "/home/runner/mod", false},
		{"quoted", head + "replace example.com/y => \"../y\"\n", 4, "../y", false},
		{"quoted escape", head + "replace example.com/y => \"\\x2e./y\"\n", 4, "../y", false},
		{"back-quoted", head + "replace example.com/y => `/etc`\n", 0, "", true}, // the go command refuses it too
		{"block", head + "replace (\n\texample.com/a => example.com/b v1.0.0\n\texample.com/y v1.0.0 => ./y\n)\n", 6, "./y", false},
		{"dot", head + "replace example.com/y => .\n", 4, ".", false},
		{"broken", head + "replace example.com/y =>\n", 0, "", true},
	} {
		line, dir, err := LocalReplace([]byte(tt.mod))
		if line != tt.line || dir != tt.dir || (err != nil) != tt.err {
			t.Errorf("%s: LocalReplace = %d, %q, %v; want %d, %q, error %v", tt.name, line, dir, err, tt.line, tt.dir, tt.err)
		}
	}
}
