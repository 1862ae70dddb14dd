package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadProgramBench: run --bench makes a lone file a test file and
// adds the package it needs, declaring main only when the program does
// not: a program with its own main and benchmarks failed to compile with
// "other declaration of main" in a file it never wrote.
func TestLoadProgramBench(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, src, pkgFile string
	}{
		{"own_main.go", "package main\n\nimport \"testing\"\n\nfunc main() {}\n\nfunc BenchmarkX(b *testing.B) {}\n", "package main\n"},
		{"no_main.go", "package main\n\nimport \"testing\"\n\nfunc BenchmarkX(b *testing.B) {}\n", "package main\n\nfunc main() {}\n"},
		{"lib.go", "package ring\n\nimport \"testing\"\n\nfunc BenchmarkX(b *testing.B) {}\n", "package ring\n"},
	} {
		file := filepath.Join(dir, tc.name)
		if err := os.WriteFile(file, []byte(tc.src), 0o644); err != nil {
			t.Fatal(err)
		}
		p, err := loadProgram(file, true)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(p.Files) != 2 || p.Files[0].Name != strings.TrimSuffix(tc.name, ".go")+"_test.go" || p.Files[1].Name != "pkg.go" || string(p.Files[1].Data) != tc.pkgFile {
			t.Errorf("%s: files %q %q, pkg.go %q; want pkg.go %q", tc.name, p.Files[0].Name, p.Files[len(p.Files)-1].Name, p.Files[len(p.Files)-1].Data, tc.pkgFile)
		}
	}
}
