package main

import (
	"bytes"
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

// TestRunFlagsRefused: run's flags are checked before anything compiles,
// with a fence's rules for the benchmark flags: a benchmark flag without
// --bench, a bad --cpu, --count or --benchtime and a --timeout no fence
// could set are usage errors (exit 2) naming the flag. Before, --cpu x
// and --count 0 were dropped without a word, --count without --bench was
// ignored, --benchtime bogus reached the test binary (which printed its
// whole usage) and --timeout 0 or 3h ran.
func TestRunFlagsRefused(t *testing.T) {
	prog := filepath.Join("playground", "testdata", "programs", "exit3.go")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--count", "3", prog}, "benchpress: --count is a flag of --bench: add --bench to run the benchmarks, or leave it out\n"},
		{[]string{"--cpu", "1,2", prog}, "benchpress: --cpu is a flag of --bench: add --bench to run the benchmarks, or leave it out\n"},
		{[]string{"--benchtime", "10ms", prog}, "benchpress: --benchtime is a flag of --bench: add --bench to run the benchmarks, or leave it out\n"},
		{[]string{"--bench", "--cpu", "1,x", prog}, "benchpress: --cpu=1,x: write a list of GOMAXPROCS values, e.g. cpu=1,2,4\n"},
		{[]string{"--bench", "--cpu", "0", prog}, "benchpress: --cpu=0: write a list of GOMAXPROCS values, e.g. cpu=1,2,4\n"},
		{[]string{"--bench", "--count", "0", prog}, "benchpress: --count=0: must be between 1 and 100\n"},
		{[]string{"--bench", "--count", "101", prog}, "benchpress: --count=101: must be between 1 and 100\n"},
		{[]string{"--bench", "--benchtime", "bogus", prog}, "benchpress: --benchtime=bogus: write a duration (100ms) or an iteration count (1000x)\n"},
		{[]string{"--timeout", "0", prog}, "benchpress: --timeout 0s must be positive, e.g. 30s\n"},
		{[]string{"--sandbox", "remote", prog}, "benchpress: --sandbox \"remote\": run takes linux or none (a remote runner runs a site's snippets: build with playground.sandbox: remote)\n"},
		{[]string{"--sandbox", "bogus", prog}, "benchpress: --sandbox \"bogus\": run takes linux or none (a remote runner runs a site's snippets: build with playground.sandbox: remote)\n"},
		{[]string{"--timeout", "-1s", prog}, "benchpress: --timeout -1s must be positive, e.g. 30s\n"},
		{[]string{"--timeout", "3h", prog}, "benchpress: --timeout 3h0m0s is longer than the maximum of 1h0m0s: split the work, or measure it outside the site\n"},
	} {
		var stderr bytes.Buffer
		code := run(append([]string{"run"}, tc.args...), &stderr)
		if code != 2 || stderr.String() != tc.want {
			t.Errorf("benchpress run %s: exit %d, stderr %q; want 2, %q", strings.Join(tc.args, " "), code, stderr.String(), tc.want)
		}
	}
}

// TestRunBenchNothingMeasured: run --bench of a file without benchmarks
// fails, as a build fails such a block, instead of printing PASS and
// exiting 0 having measured nothing.
func TestRunBenchNothingMeasured(t *testing.T) {
	if testing.Short() { // as TestRunExit3
		t.Skip("compiles and runs a program in the sandbox")
	}
	file := filepath.Join(t.TempDir(), "nobench_test.go")
	if err := os.WriteFile(file, []byte("package main\n\nfunc helper() int { return 1 }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := cliCommand("run", "--bench", "--count", "1", file)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Run()
	want := "benchpress: " + file + ": no benchmark results in the output: define functions func BenchmarkXxx(b *testing.B)\n"
	if code := cmd.ProcessState.ExitCode(); code != 1 || stderr.String() != want {
		t.Errorf("run --bench without benchmarks: exit %d, stderr %q; want 1, %q", code, stderr.String(), want)
	}
}
