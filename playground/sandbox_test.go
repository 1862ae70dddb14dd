package playground

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/benchpress/benchpress/internal/testdeadline"
)

func TestMain(m *testing.M) {
	MaybeRunSandboxInit()
	os.Exit(m.Run())
}

// needSandbox skips under -short (these tests compile real programs) and
// fails, not skips, in CI when the kernel cannot sandbox.
func needSandbox(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("compiles and runs real programs")
	}
	if err := sandboxSupported(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI must run the sandbox tests: %v", err)
		}
		t.Skipf("no sandbox here: %v", err)
	}
}

func readProgram(t *testing.T, name string) Program {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "programs", name))
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(name, ".txtar") {
		p := Program{ID: name, Mode: ModeRun}
		for _, f := range txtar.Parse(b).Files {
			p.Files = append(p.Files, File{Name: f.Name, Data: f.Data})
		}
		return p
	}
	return Program{ID: name, Mode: ModeRun, Files: []File{{Name: "main.go", Data: b}}}
}

// check inspects one result; it reports problems with t.Errorf.
type check func(t *testing.T, r Result)

func status(want Status) check {
	return func(t *testing.T, r Result) {
		t.Helper()
		if r.Status != want {
			t.Errorf("status = %s (exit %d), want %s; stdout %q stderr %q", r.Status, r.ExitCode, want, clip(r.Stdout()), clip(r.Stderr()))
		}
	}
}

func exitCode(want int) check {
	return func(t *testing.T, r Result) {
		t.Helper()
		if r.ExitCode != want {
			t.Errorf("exit code = %d, want %d", r.ExitCode, want)
		}
	}
}

func stdoutIs(want string) check {
	return func(t *testing.T, r Result) {
		t.Helper()
		if got := r.Stdout(); got != want {
			t.Errorf("stdout = %q, want %q", got, want)
		}
	}
}

func outputHas(subs ...string) check {
	return func(t *testing.T, r Result) {
		t.Helper()
		all := r.Stdout() + r.Stderr()
		for _, s := range subs {
			if !strings.Contains(all, s) {
				t.Errorf("output lacks %q: stdout %q stderr %q", s, clip(r.Stdout()), clip(r.Stderr()))
			}
		}
	}
}

func outputLacks(subs ...string) check {
	return func(t *testing.T, r Result) {
		t.Helper()
		all := r.Stdout() + r.Stderr()
		for _, s := range subs {
			if strings.Contains(all, s) {
				t.Errorf("output has %q: stdout %q stderr %q", s, clip(r.Stdout()), clip(r.Stderr()))
			}
		}
	}
}

// eventsAre checks the events, streams and order, ignoring delays.
//
// Writes to one stream a millisecond apart are two events, so on a busy
// machine (a race-instrumented program beside other tests) one burst may
// arrive as several: neighbouring events of one stream are compared
// joined, which keeps what the check is for, the streams' order.
func eventsAre(want ...Event) check {
	return func(t *testing.T, r Result) {
		t.Helper()
		var got []Event
		for _, e := range r.Events {
			if k := len(got); k > 0 && got[k-1].Stream == e.Stream {
				got[k-1].Data += e.Data
				continue
			}
			got = append(got, Event{Stream: e.Stream, Data: e.Data})
		}
		if !slices.Equal(got, want) {
			t.Errorf("events = %q, want %q", got, want)
		}
	}
}

// alternating checks the output of interleave.go: n lines "out I" on
// stdout and "err I" on stderr, alternately, each on its stream, all in
// the order the program wrote them.
func alternating(n int) check {
	return func(t *testing.T, r Result) {
		t.Helper()
		var want strings.Builder
		for i := 0; i < n; i++ {
			fmt.Fprintf(&want, "out %d\nerr %d\n", i, i)
		}
		var all strings.Builder
		for _, e := range r.Events {
			all.WriteString(e.Data)
			for _, l := range strings.SplitAfter(e.Data, "\n") {
				if l != "" && !strings.HasPrefix(l, map[Stream]string{Stdout: "out ", Stderr: "err "}[e.Stream]) {
					t.Errorf("line %q came on %s", l, e.Stream)
					return
				}
			}
		}
		if all.String() != want.String() {
			got, w := all.String(), want.String()
			i := 0
			for i < len(got) && i < len(w) && got[i] == w[i] {
				i++
			}
			t.Errorf("output differs from program order at byte %d: got %q, want %q", i, clip(got[i:]), clip(w[i:]))
		}
	}
}

func clip(s string) string {
	if len(s) > 600 {
		return s[:600] + "..."
	}
	return s
}

// TestPrograms runs ordinary and hostile programs through one Runner, in one
// batch, as a site build does, and checks how each ended. Every hostile
// program caps itself, so a sandbox that does not hold cannot take the
// machine down.
func TestPrograms(t *testing.T) {
	needSandbox(t)
	tmp := t.TempDir()
	hostFile := filepath.Join(tmp, "host-secret.txt")
	if err := os.WriteFile(hostFile, []byte("host-file-secret-contents"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("BENCHPRESS_TEST_SECRET", "s3cr3t-ci-token")

	// A listener on the host's loopback that nothing from a sandbox may reach.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan struct{}, 16)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- struct{}{}
			c.Close()
		}
	}()
	escapePath := filepath.Join(tmp, "escaped.txt")

	// A descriptor this process holds without close-on-exec, as a CI
	// runner's or make's would be: the sandbox must not pass it on.
	inherited, err := syscall.Open(hostFile, syscall.O_RDONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(inherited)

	// A unix socket on the host, outside the /tmp the sandbox hides anyway,
	// that anyone may connect to (like a Docker daemon's to its group).
	sockPath := hostSocketPath(t)
	var sockAccepted chan struct{}
	if sockPath != "" {
		uln, err := net.Listen("unix", sockPath)
		if err != nil {
			t.Fatal(err)
		}
		defer uln.Close()
		os.Chmod(sockPath, 0o666)
		sockAccepted = make(chan struct{}, 16)
		go func() {
			for {
				c, err := uln.Accept()
				if err != nil {
					return
				}
				sockAccepted <- struct{}{}
				c.Close()
			}
		}()
	}
	self, err := filepath.Abs(filepath.Join("testdata", "programs", "host_paths.go"))
	if err != nil {
		t.Fatal(err)
	}
	buildTmp := t.TempDir()
	t.Setenv("TMPDIR", buildTmp)

	type progTest struct {
		file    string
		args    []string
		stdin   string
		timeout time.Duration
		checks  []check
	}
	tests := []progTest{
		{file: "goroutines.go", checks: []check{status(StatusOK), stdoutIs("[500500 500500 500500 500500 500500 500500 500500 500500]\n")}},
		{file: "tcp.go", checks: []check{status(StatusOK), stdoutIs("echo: ping 0\necho: ping 1\necho: ping 2\n")}},
		{file: "sleep.go", checks: []check{status(StatusOK), stdoutIs("slept at least 200ms: true\n")}},
		{file: "args.go", args: []string{"a b", "c"}, checks: []check{status(StatusOK), stdoutIs("2 [a b c]\n")}},
		{file: "stdin.go", stdin: "one\ntwo\n", checks: []check{status(StatusOK), stdoutIs("ONE\nTWO\nlines: 2\n")}},
		{file: "exit3.go", checks: []check{status(StatusExit), exitCode(3), stdoutIs("out first\n"), outputHas("then err")}},
		{file: "exit125.go", checks: []check{status(StatusExit), exitCode(125), stdoutIs("exiting 125\n")}},
		{file: "panic.go", checks: []check{status(StatusExit), exitCode(2),
			outputHas("panic: assignment to entry in nil map", "main.main()", "main.go:5")}},
		{file: "compile_error.go", checks: []check{status(StatusCompileError), outputHas("main.go:6:2: declared and not used: x", "main.go:7:14: undefined: y"),
			outputLacks("benchpress-build", "snippet/p")}},
		{file: "cgo.go", checks: []check{status(StatusCompileError)}},
		{file: "embed_escape.go", checks: []check{status(StatusCompileError), outputLacks("root:")}},

		{file: "mixed_log.go", checks: []check{status(StatusOK), eventsAre(
			Event{Stream: Stdout, Data: "out1\n"}, Event{Stream: Stderr, Data: "err1\nlog\n"}, Event{Stream: Stdout, Data: "out2\n"})}},
		{file: "interleave.go", checks: []check{status(StatusOK), alternating(1000)}},
		{file: "big_writes.go", stdin: strings.Repeat("c", 100<<10), checks: []check{status(StatusOK),
			stdoutIs(strings.Repeat("a", 200<<10) + strings.Repeat("b", 300<<10) + strings.Repeat("c", 100<<10)),
			outputHas(fmt.Sprintf("copied %d and %d\n", 300<<10, 100<<10))}},
		{file: "timezone.go", checks: []check{status(StatusOK), stdoutIs("2026-01-15 07:00:00 -0500 EST\n2026-01-15 13:00:00 +0100 CET\n2026-01-15 17:30:00 +0530 IST\nUTC\n")}},

		{file: "read_host_files.go", args: []string{hostFile, "/etc/shadow", "/work", "/root"},
			checks: []check{status(StatusOK), outputLacks("READ", "LISTED", "host-file-secret-contents"), outputHas("denied " + hostFile)}},
		{file: "environ.go", checks: []check{status(StatusOK), outputLacks("s3cr3t-ci-token", "READ /proc"), outputHas("done")}},
		{file: "connect_host.go", args: []string{ln.Addr().String()}, checks: []check{status(StatusOK), outputLacks("CONNECTED"), outputHas("refused:", "udp refused:")}},
		{file: "write_outside.go", args: []string{escapePath, "/var/tmp/benchpress-escape", "/dev/shm/benchpress-escape"},
			checks: []check{status(StatusOK), outputLacks("WROTE"), outputHas("wrote own dir")}},
		{file: "kill_parent.go", args: []string{strconv.Itoa(os.Getpid()), strconv.Itoa(os.Getppid())}, checks: []check{outputLacks("kill parent (0): <nil>")}},
		{file: "fork_bomb.go", checks: []check{status(StatusOK), outputHas("stopped by:"), outputLacks("started 2000 ")}},
		// Touching 512 MiB took over 10 s on a loaded 2-core VM under
		// -race; with the default timeout, the clock would hide whether the
		// cap holds. (Every program without a timeout of its own gets the
		// test's long one, below.)
		{file: "memory_bomb.go", checks: []check{status(StatusMemoryLimit), outputLacks("SURVIVED")}},
		{file: "infinite_loop.go", timeout: time.Second, checks: []check{status(StatusTimeout)}},
		{file: "sleep_forever.go", timeout: time.Second, checks: []check{status(StatusTimeout)}},
		{file: "output_flood.go", checks: []check{status(StatusOutputLimit), outputHas(strings.TrimSpace(TruncationMarker)), func(t *testing.T, r Result) {
			if !r.Truncated {
				t.Error("Truncated = false")
			}
			if n := len(r.Stdout()); n > int(DefaultLimits.Output) {
				t.Errorf("kept %d bytes of stdout, more than the %d cap", n, DefaultLimits.Output)
			}
		}}},
		{file: "disk_fill.go", checks: []check{status(StatusOK), outputHas("stopped by:", "big file stopped at"), outputLacks("wrote 2048 MiB")}},
		{file: "inherited_fds.go", checks: []check{status(StatusOK), outputHas("scanned"), outputLacks("OPEN fd", "host-file-secret-contents")}},
		{file: "host_unix_socket.go", args: []string{sockPath}, checks: []check{status(StatusOK), outputHas("refused:"), outputLacks("CONNECTED")}},
		{file: "host_paths.go", args: []string{self, hostFile}, checks: []check{status(StatusOK), outputHas("done"), outputLacks("STAT", "READLINK")}},
		{file: "big_binary.go", checks: []check{status(StatusCompileError), outputHas("file too large")}},
		{file: "socket_families.go", checks: []check{status(StatusOK), outputHas("ok family 2 ", "netlink route ok"), outputLacks("OPENED")}},
		{file: "memory_outside_data.go", checks: []check{status(StatusOK), outputHas("refused shared mmap", "refused shmget", "refused fork"),
			outputLacks("MAPPED", "MEMFD", "SHM created", "FORKED")}},
	}
	if runtime.GOARCH == "amd64" {
		// Without IA32 emulation in the kernel, int $0x80 kills the program.
		tests = append(tests, progTest{file: "foreign_abi.txtar", checks: []check{
			outputLacks("NEW USER NAMESPACE", "PTRACE_TRACEME): 0"), func(t *testing.T, r Result) {
				if r.Status == StatusOK && !strings.Contains(r.Stdout(), "i386 clone(CLONE_NEWUSER): -38") {
					t.Errorf("stdout %q, want clone refused with ENOSYS", r.Stdout())
				}
			}}})
	}

	r, err := New(Config{Parallelism: 2})
	if err != nil {
		t.Fatal(err)
	}
	// Every program runs in a sandbox prepared while the batch builds,
	// which waits for its binary (not only the first two): the hostile
	// programs meet the sandbox of a code edit's run. The other tests run
	// more programs than run at once, in sandboxes started after the build.
	r.prestartN = len(tests)
	progs := make([]Program, len(tests))
	for i, tc := range tests {
		progs[i] = readProgram(t, tc.file)
		progs[i].Args = tc.args
		progs[i].Stdin = []byte(tc.stdin)
		progs[i].Timeout = tc.timeout
		if tc.timeout == 0 {
			// A program must end by itself or by the limit its checks
			// name, not by the clock of a busy machine: only the programs
			// that test the timeout give their own.
			progs[i].Timeout = testdeadline.Scale(time.Minute)
		}
	}
	results, errs := r.RunAll(context.Background(), progs, nil)
	for i, tc := range tests {
		t.Run(strings.TrimSuffix(tc.file, ".go"), func(t *testing.T) {
			if errs[i] != nil {
				t.Fatalf("infrastructure error: %v", errs[i])
			}
			for _, c := range tc.checks {
				c(t, results[i])
			}
		})
	}
	if r.Builds() != 1 {
		t.Errorf("%d go commands for one batch of programs, want 1", r.Builds())
	}
	if r.prepared != r.Execs() || r.Execs() == 0 {
		t.Errorf("%d of %d programs ran in a sandbox prepared while they built, want all", r.prepared, r.Execs())
	}

	// The host is unaffected.
	select {
	case <-accepted:
		t.Error("a sandboxed program connected to the host's loopback listener")
	default:
	}
	if _, err := os.Stat(escapePath); err == nil {
		t.Errorf("a sandboxed program wrote %s", escapePath)
	}
	select {
	case <-sockAccepted: // nil (never ready) when there was no socket
		t.Error("a sandboxed program connected to a unix socket of the host")
	default:
	}
	for _, p := range []string{"/var/tmp/benchpress-escape", "/dev/shm/benchpress-escape"} {
		if _, err := os.Stat(p); err == nil {
			os.Remove(p)
			t.Errorf("a sandboxed program wrote %s", p)
		}
	}
	// Nothing a program started outlives its run (fork bomb children included).
	deadline := time.Now().Add(testdeadline.Scale(5 * time.Second))
	for len(descendants(t)) > 0 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if d := descendants(t); len(d) > 0 {
		t.Errorf("processes outlived their runs: %v", d)
	}
	if left, _ := os.ReadDir(buildTmp); len(left) > 0 {
		t.Errorf("%d build directories left behind in %s: %s", len(left), buildTmp, left[0].Name())
	}
}

// hostSocketPath returns where to put a unix socket that any user may reach
// and that is not under /tmp, or "" if there is no such place.
func hostSocketPath(t *testing.T) string {
	for _, dir := range []string{"/dev/shm", "/var/tmp"} {
		d, err := os.MkdirTemp(dir, "benchpress-sock-")
		if err != nil {
			continue
		}
		t.Cleanup(func() { os.RemoveAll(d) })
		if err := os.Chmod(d, 0o755); err != nil {
			continue
		}
		return filepath.Join(d, "s")
	}
	t.Log("no world-reachable directory outside /tmp for a unix socket; skipping that check")
	return ""
}

// descendants lists the processes this test process started that still
// exist.
func descendants(t *testing.T) []string {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	parent := map[int]int{}
	name := map[int]string{}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...
		i := strings.LastIndexByte(string(b), ')')
		f := strings.Fields(string(b)[i+1:])
		if len(f) > 1 {
			parent[pid], _ = strconv.Atoi(f[1])
			name[pid] = string(b)[strings.IndexByte(string(b), '(')+1 : i]
		}
	}
	self := os.Getpid()
	var out []string
	for pid := range parent {
		for p := parent[pid]; p > 1; p = parent[p] {
			if p == self {
				out = append(out, fmt.Sprintf("%d(%s)", pid, name[pid]))
				break
			}
		}
	}
	return out
}

func TestBadFileNames(t *testing.T) {
	for _, name := range []string{"../x.go", "/etc/x.go", "a/../../x.go", ".hidden.go", "go.mod", "a\\b.go", "", "x.go\nmain.go:1:1: forged", "a\x1b[2Jb.go", "a\x00.go"} {
		t.Run(name, func(t *testing.T) {
			p := Program{ID: "x", Mode: ModeRun, Files: []File{{Name: name, Data: []byte("package main\nfunc main(){}\n")}}}
			if err := checkFiles(&p); err == nil {
				t.Errorf("file name %q accepted", name)
			}
		})
	}
}

// TestSetupError checks that a second stage that cannot exec the program
// is reported as a setup fault, not as the program's exit; and, the file
// being no program (ENOEXEC), as a fault that is not the kernel's (an
// *envError, which earns no advice to turn the sandbox off).
func TestSetupError(t *testing.T) {
	needSandbox(t)
	notProgram := filepath.Join(t.TempDir(), "main")
	if err := os.WriteFile(notProgram, []byte("not a program"), 0o755); err != nil {
		t.Fatal(err)
	}
	res, err := execute(context.Background(), true, notProgram, []string{"main"}, nil, DefaultLimits)
	var ee *envError
	if err == nil || err.Error() != "sandbox setup failed: exec: exec format error" || !errors.As(err, &ee) {
		t.Errorf("err %v (%T), status %s; want the *envError sandbox setup failed: exec: exec format error", err, err, res.Status)
	}
}

// TestPlantedBinary checks that a program's own files cannot stand in for
// its binary.
func TestPlantedBinary(t *testing.T) {
	needSandbox(t)
	r, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Run(context.Background(), readProgram(t, "planted_binary.txtar"))
	if err != nil {
		t.Fatalf("infrastructure error: %v", err)
	}
	status(StatusCompileError)(t, res)
	outputHas("main.go:3:15: undefined: undefinedName")(t, res)
	outputLacks("planted", "benchpress-build")(t, res)
}

// TestAsmIncludes checks that an assembly file cannot make the assembler,
// which runs outside the sandbox, read a host file.
func TestAsmIncludes(t *testing.T) {
	main := File{Name: "main.go", Data: []byte("package main\nfunc main(){}\n")}
	bad := map[string]string{
		"x_amd64.s":  "#include \"/etc/passwd\"\n",
		"y.s":        "TEXT ·f(SB),0,$0\n\t#include \"../../../../home/me/.netrc\"\n",
		"z.s":        "#/* c */include \"/etc/passwd\"\n",
		"w.s":        "#define INC #include \"/etc/passwd\"\n",
		"textflag.h": "#include \"/root/.git-credentials\"\n",
	}
	for name, src := range bad {
		p := Program{ID: "x", Mode: ModeRun, Files: []File{main, {Name: name, Data: []byte(src)}}}
		if err := checkFiles(&p); err == nil {
			t.Errorf("%s with %q accepted", name, src)
		}
	}
	if p := readProgram(t, "asm_include.txtar"); checkFiles(&p) == nil {
		t.Error("asm_include.txtar accepted")
	}
	good := "#include \"textflag.h\"\n#include \"go_asm.h\" // offsets\n\nTEXT ·f(SB),NOSPLIT,$0\n\tRET\n"
	p := Program{ID: "x", Mode: ModeRun, Files: []File{main, {Name: "f_amd64.s", Data: []byte(good)}}}
	if err := checkFiles(&p); err != nil {
		t.Errorf("ordinary assembly refused: %v", err)
	}
}

func TestBench(t *testing.T) {
	needSandbox(t)
	src := `package main

import "testing"

func BenchmarkSum(b *testing.B) {
	for i := 0; i < b.N; i++ {
		s := 0
		for j := 0; j < 100; j++ {
			s += j
		}
		_ = s
	}
}
`
	r, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	p := Program{ID: "bench", Mode: ModeBench, Files: []File{
		{Name: "main.go", Data: []byte("package main\n\nfunc main() {}\n")},
		{Name: "sum_test.go", Data: []byte(src)},
	}, Bench: BenchOptions{Count: 2, Benchtime: "100x", CPU: []int{1, 2}}}
	res, err := r.Run(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	out := res.Stdout()
	if res.Status != StatusOK {
		t.Fatalf("status %s: %s %s", res.Status, out, res.Stderr())
	}
	if got := strings.Count(out, "BenchmarkSum "); got != 2 {
		t.Errorf("%d BenchmarkSum lines for count=2 cpu=1, want 2:\n%s", got, out)
	}
	if got := strings.Count(out, "BenchmarkSum-2 "); got != 2 {
		t.Errorf("%d BenchmarkSum-2 lines, want 2:\n%s", got, out)
	}
	for _, want := range []string{"pkg: snippet\n", "B/op", "allocs/op"} {
		if !strings.Contains(out, want) {
			t.Errorf("bench output lacks %q:\n%s", want, out)
		}
	}
	// Interleaved passes read as one run: the configuration once, PASS
	// once, at the end.
	for _, line := range []string{"goos: ", "pkg: ", "PASS"} {
		if got := strings.Count(out, "\n"+line) + map[bool]int{true: 1}[strings.HasPrefix(out, line)]; got != 1 {
			t.Errorf("%q starts %d lines, want 1:\n%s", line, got, out)
		}
	}
	if !strings.HasSuffix(out, "PASS\n") {
		t.Errorf("output does not end with PASS:\n%s", out)
	}
	if runtime.GOOS == "linux" && (res.Env.Load == nil || res.Env.Load.CPUs < 1) {
		t.Errorf("no load in the stamp on Linux: %+v", res.Env.Load)
	}
}

// TestBenchInterleaved checks that a block's benchmarks run in alternation,
// one pass of each at a time (A B A B A B), each pass a run of its own, so
// load drift falls on all alike.
func TestBenchInterleaved(t *testing.T) {
	needSandbox(t)
	src := `package main

import "testing"

func BenchmarkA(b *testing.B) { for i := 0; i < b.N; i++ {} }
func BenchmarkB(b *testing.B) { for i := 0; i < b.N; i++ {} }
`
	r, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	p := Program{ID: "bench", Mode: ModeBench, Files: []File{
		{Name: "main.go", Data: []byte("package main\n\nfunc main() {}\n")},
		{Name: "ab_test.go", Data: []byte(src)},
	}, Bench: BenchOptions{Count: 3, Benchtime: "10x"}}
	res, err := r.Run(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != StatusOK {
		t.Fatalf("status %s: %s %s", res.Status, res.Stdout(), res.Stderr())
	}
	var order []string
	for _, l := range strings.Split(res.Stdout(), "\n") {
		if f := strings.Fields(l); len(f) > 0 && strings.HasPrefix(f[0], "Benchmark") {
			order = append(order, strings.TrimPrefix(strings.SplitN(f[0], "-", 2)[0], "Benchmark"))
		}
	}
	if got := strings.Join(order, " "); got != "A B A B A B" {
		t.Errorf("benchmarks ran in the order %s, want A B A B A B:\n%s", got, res.Stdout())
	}
	if got := r.Execs(); got != 3 {
		t.Errorf("%d runs of the test binary for count=3, want 3 passes", got)
	}
	// Another round of extra runs is another run, not the stored result of
	// the first.
	p.Bench.Round = 1
	if a, b := r.inputs(&p).Key(), r.inputs(&Program{Mode: ModeBench, Files: p.Files, Bench: BenchOptions{Count: 3, Benchtime: "10x"}}).Key(); a == b {
		t.Errorf("Round does not change the key")
	}
}

// TestStore checks the results store: a second run of an unchanged program
// builds and runs nothing; an edit reruns only that program and says why;
// a corrupt entry is rerun; timeouts are never stored; --frozen executes
// nothing.
func TestStore(t *testing.T) {
	needSandbox(t)
	dir := t.TempDir()
	prog := func(id, msg string) Program {
		return Program{ID: id, Mode: ModeRun, Files: []File{{Name: "main.go", Data: []byte(fmt.Sprintf("package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(%q) }\n", msg))}}}
	}
	slow := Program{ID: "slow", Mode: ModeRun, Timeout: 500 * time.Millisecond, Files: []File{{Name: "main.go", Data: []byte("package main\n\nimport \"time\"\n\nfunc main() { time.Sleep(time.Minute) }\n")}}}
	progs := []Program{prog("a", "one"), prog("b", "two"), slow}

	r1, err := New(Config{Results: dir})
	if err != nil {
		t.Fatal(err)
	}
	// The progress function is not safe for concurrent use, as a terminal
	// line is not: RunAll must call it one goroutine at a time (-race).
	var seen []int
	res, errs := r1.RunAll(context.Background(), progs, func(p Progress) {
		seen = append(seen, p.Done)
	})
	for i, d := range seen {
		if d != i+1 {
			t.Errorf("progress counts %v, want 1, 2, 3", seen)
			break
		}
	}
	for i := range res {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if res[i].Cached {
			t.Errorf("%s: cached on the first run", progs[i].ID)
		}
	}
	if res[0].Reason != "new" {
		t.Errorf("first run reason %q, want new", res[0].Reason)
	}
	if res[2].Status != StatusTimeout {
		t.Errorf("slow: %s, want timeout", res[2].Status)
	}

	r2, _ := New(Config{Results: dir})
	res, _ = r2.RunAll(context.Background(), progs[:2], nil)
	if !res[0].Cached || !res[1].Cached || r2.Builds() != 0 {
		t.Errorf("second run: cached %v %v, %d builds; want both cached and no build", res[0].Cached, res[1].Cached, r2.Builds())
	}
	if res[0].Stdout() != "one\n" {
		t.Errorf("cached stdout %q", res[0].Stdout())
	}

	// Edit b: only b reruns, and the reason names the file.
	r3, _ := New(Config{Results: dir})
	res, _ = r3.RunAll(context.Background(), []Program{prog("a", "one"), prog("b", "TWO")}, nil)
	if !res[0].Cached || res[1].Cached {
		t.Errorf("after editing b: cached %v %v, want true false", res[0].Cached, res[1].Cached)
	}
	if res[1].Reason != "code changed (main.go)" {
		t.Errorf("reason %q, want code changed (main.go)", res[1].Reason)
	}

	// A timeout is not stored: the slow program reruns.
	r4, _ := New(Config{Results: dir})
	res, _ = r4.RunAll(context.Background(), []Program{slow}, nil)
	if res[0].Cached {
		t.Error("a timed-out result was stored")
	}

	// A corrupt entry is a miss, not a crash.
	a := prog("a", "one")
	key := r4.inputs(&a).Key()
	if err := os.WriteFile(filepath.Join(dir, key+".json"), []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	r5, _ := New(Config{Results: dir})
	res, errs = r5.RunAll(context.Background(), []Program{a}, nil)
	if errs[0] != nil || res[0].Cached || res[0].Stdout() != "one\n" {
		t.Errorf("corrupt entry: err %v cached %v stdout %q", errs[0], res[0].Cached, res[0].Stdout())
	}

	// Frozen: stored results only, no go command, misses are errors.
	r6, _ := New(Config{Results: dir, Frozen: true})
	res, errs = r6.RunAll(context.Background(), []Program{a, prog("c", "new")}, nil)
	if errs[0] != nil || !res[0].Cached {
		t.Errorf("frozen hit: err %v cached %v", errs[0], res[0].Cached)
	}
	if errs[1] == nil || !strings.Contains(errs[1].Error(), "--frozen (new)") {
		t.Errorf("frozen miss: err %v", errs[1])
	}
	if r6.Builds() != 0 {
		t.Errorf("frozen build ran %d go commands", r6.Builds())
	}

	// Prune removes what the last runner did not use.
	if n, err := r6.Prune(); err != nil || n == 0 {
		t.Errorf("prune: %d, %v", n, err)
	}
	if _, err := os.Stat(filepath.Join(dir, key+".json")); err != nil {
		t.Errorf("prune removed a used entry: %v", err)
	}
}

// TestCPULimit checks that a program killed for using more CPU time than
// it may is reported as that, with the limit, not as an anonymous kill.
func TestCPULimit(t *testing.T) {
	needSandbox(t)
	r, err := New(Config{Limits: Limits{Timeout: 30 * time.Second, CPU: time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Run(context.Background(), readProgram(t, "cpu_spin.go"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != StatusCPULimit || res.ExitCode != -1 {
		t.Errorf("status %s (exit %d), want %s; stdout %q", res.Status, res.ExitCode, StatusCPULimit, res.Stdout())
	}
	if res.Limits.CPUTime() != time.Second || res.Limits.Timeout != 30*time.Second {
		t.Errorf("result's limits: CPU time %v, timeout %v; want 1s and 30s", res.Limits.CPUTime(), res.Limits.Timeout)
	}
}

// TestResultLimits checks that a result carries the limits that applied to
// it: a benchmark's timeout is the program's own, else the larger of the
// runner's and BenchTimeout.
func TestResultLimits(t *testing.T) {
	needSandbox(t)
	bench := func(timeout time.Duration) Program {
		return Program{ID: "b", Mode: ModeBench, Timeout: timeout, Files: []File{
			{Name: "main.go", Data: []byte("package main\n\nfunc main() {}\n")},
			{Name: "x_test.go", Data: []byte("package main\n\nimport \"testing\"\n\nfunc BenchmarkX(b *testing.B) { undefinedName() }\n")},
		}}
	}
	for _, tc := range []struct {
		runner time.Duration
		progs  []Program
		want   []time.Duration
	}{
		{3 * time.Minute, []Program{bench(0), bench(5 * time.Second)}, []time.Duration{3 * time.Minute, 5 * time.Second}},
		{10 * time.Second, []Program{bench(0)}, []time.Duration{BenchTimeout}},
	} {
		r, err := New(Config{Limits: Limits{Timeout: tc.runner}})
		if err != nil {
			t.Fatal(err)
		}
		res, errs := r.RunAll(context.Background(), tc.progs, nil)
		for i := range tc.progs {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			if res[i].Status != StatusCompileError || res[i].Limits.Timeout != tc.want[i] {
				t.Errorf("runner timeout %v, program timeout %v: status %s, limit %v; want compile-error, %v",
					tc.runner, tc.progs[i].Timeout, res[i].Status, res[i].Limits.Timeout, tc.want[i])
			}
		}
	}
}
