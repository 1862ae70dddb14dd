package playground

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/benchpress/benchpress/internal/testdeadline"
)

// TestPrestartedSandboxEnds checks that a sandbox started while its
// program builds, and waiting for the binary, is killed and reaped when
// the program fails to compile, when the toolchain fails, and when the run
// is cancelled during the build: no process, temp file or descriptor is
// left. The go command is a script that blocks until the test has seen the
// waiting sandbox, then prints what the case says and fails.
func TestPrestartedSandboxEnds(t *testing.T) {
	needSandbox(t)
	tests := []struct {
		name   string
		say    string // the go command's output before it fails
		cancel bool   // cancel the run instead of letting the go command go on
		status Status
		err    string
	}{
		{name: "compile error", say: "p0/main.go:3:5: undefined: boom", status: StatusCompileError},
		// Nothing a program could be blamed for.
		{name: "toolchain fails", err: "go build failed: exit status 1"},
		{name: "cancelled", cancel: true, err: context.Canceled.Error()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			gate := filepath.Join(dir, "gate")
			if err := syscall.Mkfifo(gate, 0o600); err != nil {
				t.Fatal(err)
			}
			goBin := filepath.Join(dir, "go")
			script := "#!/bin/sh\nread line < '" + gate + "'\n[ -n \"$line\" ] && echo \"$line\" >&2\nexit 1\n"
			if err := os.WriteFile(goBin, []byte(script), 0o755); err != nil {
				t.Fatal(err)
			}
			cacheDir := t.TempDir()
			buildTmp := t.TempDir()
			t.Setenv("TMPDIR", buildTmp)
			r, err := New(Config{Parallelism: 1, CacheDir: cacheDir})
			if err != nil {
				t.Fatal(err)
			}
			r.tcOnce.Do(func() {
				r.tc = &toolchain{goBin: goBin, version: runtime.Version(), cacheDir: cacheDir,
					timeout: time.Minute, memory: compileMemory, fileSize: compileFileSize}
			})
			fdsBefore := openFDs(t)

			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			type ran struct {
				res Result
				err error
			}
			done := make(chan ran, 1)
			go func() {
				res, errs := r.RunAll(ctx, []Program{helloProgram(0, tc.name)}, nil)
				done <- ran{res[0], errs[0]}
			}()
			// The sandbox's init and second stage exist while the go
			// command waits at the gate.
			deadline := time.Now().Add(testdeadline.Scale(time.Minute))
			for countNamed(descendants(t), "(exe)") < 2 || countNamed(descendants(t), "(go)") < 1 {
				if time.Now().After(deadline) {
					t.Fatalf("no sandbox waiting beside the build: %v", descendants(t))
				}
				time.Sleep(10 * time.Millisecond)
			}
			if tc.cancel {
				cancel()
			} else {
				f, err := os.OpenFile(gate, os.O_WRONLY, 0)
				if err != nil {
					t.Fatal(err)
				}
				f.WriteString(tc.say + "\n")
				f.Close()
			}
			got := <-done
			switch {
			case tc.err != "" && (got.err == nil || !strings.Contains(got.err.Error(), tc.err)):
				t.Errorf("error %v, want one saying %q", got.err, tc.err)
			case tc.err == "" && got.err != nil:
				t.Errorf("infrastructure error: %v", got.err)
			case tc.err == "" && got.res.Status != tc.status:
				t.Errorf("status %s, want %s", got.res.Status, tc.status)
			}
			if tc.cancel && !errors.Is(got.err, context.Canceled) {
				t.Errorf("error %v, want context.Canceled", got.err)
			}
			if r.Execs() != 0 {
				t.Errorf("%d programs ran", r.Execs())
			}
			// RunAll reaped the sandbox before returning; the polling is
			// for the kernel's bookkeeping of /proc.
			deadline = time.Now().Add(testdeadline.Scale(5 * time.Second))
			for len(descendants(t)) > 0 && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if d := descendants(t); len(d) > 0 {
				t.Errorf("processes outlived the run: %v", d)
			}
			if left, _ := os.ReadDir(buildTmp); len(left) > 0 {
				t.Errorf("left behind in TMPDIR: %s", left[0].Name())
			}
			if n := openFDs(t); n != fdsBefore {
				t.Errorf("%d open descriptors after the run, %d before", n, fdsBefore)
			}
		})
	}
}

// countNamed counts the processes of a descendants list whose name
// (pid(name)) ends in suffix.
func countNamed(procs []string, suffix string) int {
	n := 0
	for _, p := range procs {
		if strings.HasSuffix(p, suffix) {
			n++
		}
	}
	return n
}

// openFDs counts this process's open descriptors.
func openFDs(t *testing.T) int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(ents) - 1 // the directory ReadDir had open
}

// TestHandoffRefusals checks that the sandbox's second stage execs nothing
// but one regular file handed over as one descriptor: a directory's
// descriptor would become a Landlock rule opening all beneath it. Each
// case sends its own message on the handoff socket and must end in a
// setup error, not a run.
func TestHandoffRefusals(t *testing.T) {
	needSandbox(t)
	dir, file, fifo, link := notPrograms(t)
	open := func(path string) int {
		fd, err := unix.Open(path, unix.O_PATH|unix.O_CLOEXEC, 0)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { unix.Close(fd) })
		return fd
	}
	tests := []struct {
		name string
		send func(sock int) error // nil: close the socket without sending
		want string
	}{
		{"nothing", nil, "no program to run: the host closed the handoff socket"},
		{"a directory", func(s int) error {
			return unix.Sendmsg(s, []byte{1}, unix.UnixRights(open(dir)), nil, 0)
		}, "the program handed over is not a regular file"},
		{"two descriptors", func(s int) error {
			return unix.Sendmsg(s, []byte{1}, unix.UnixRights(open(file), open(dir)), nil, 0)
		}, "the program was not handed over as one descriptor"},
		{"no descriptor", func(s int) error {
			return unix.Sendmsg(s, []byte{1}, nil, nil, 0)
		}, "the program was not handed over as one descriptor"},
		// What the host never sends, even by mistake (it refuses them
		// itself): each would be a file other than the one built.
		{"a FIFO", func(s int) error {
			return unix.Sendmsg(s, []byte{1}, unix.UnixRights(open(fifo)), nil, 0)
		}, "the program handed over is not a regular file"},
		{"a device", func(s int) error {
			return unix.Sendmsg(s, []byte{1}, unix.UnixRights(open("/dev/null")), nil, 0)
		}, "the program handed over is not a regular file"},
		{"a symbolic link", func(s int) error {
			fd, err := unix.Open(link, unix.O_PATH|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
			if err != nil {
				return err
			}
			defer unix.Close(fd)
			return unix.Sendmsg(s, []byte{1}, unix.UnixRights(fd), nil, 0)
		}, "the program handed over is not a regular file"},
		{"a socket", func(s int) error {
			return unix.Sendmsg(s, []byte{1}, unix.UnixRights(s), nil, 0)
		}, "the program handed over is not a regular file"},
		{"a longer message", func(s int) error {
			return unix.Sendmsg(s, []byte("12"), unix.UnixRights(open(file)), nil, 0)
		}, "the program was not handed over as one descriptor"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pp, err := startSandbox([]string{"main"}, programEnv("/tmp"), DefaultLimits, nil, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			p := pp.(*sandboxProc)
			if tc.send != nil {
				if err := tc.send(p.handoff); err != nil {
					t.Fatal(err)
				}
			}
			p.closeHandoff()
			status, err := p.wait()
			if err == nil || err.Error() != "sandbox setup failed: "+tc.want {
				t.Errorf("status %q, error %v; want a setup error saying %q", status, err, tc.want)
			}
		})
	}
}

// TestHandoffHostRefusals checks that the host hands over nothing but the
// regular file at the binary's path, and that a binary that is missing or
// is something else is the host's error, not a sandbox that cannot set
// itself up (whose advice is to turn the sandbox off). A symbolic link is
// refused, not followed: the file a link names is not the one the build
// wrote.
func TestHandoffHostRefusals(t *testing.T) {
	needSandbox(t)
	dir, _, fifo, link := notPrograms(t)
	missing := filepath.Join(dir, "missing")
	unexecutable := filepath.Join(dir, "rw")
	if err := os.WriteFile(unexecutable, []byte("not a program"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, bin, want string
	}{
		{"missing", missing, "opening the program's binary " + missing + ": no such file or directory"},
		{"not executable", unexecutable, "the program's binary " + unexecutable + " is not executable (mode 0644)"},
		{"a directory", dir, "the program's binary " + dir + " is not a regular file (mode 040000)"},
		{"a symbolic link", link, "the program's binary " + link + " is not a regular file (mode 0120000)"},
		{"a FIFO", fifo, "the program's binary " + fifo + " is not a regular file (mode 010000)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fdsBefore := openFDs(t)
			res, err := execute(context.Background(), true, tc.bin, []string{"main"}, nil, DefaultLimits)
			var se *setupError
			switch {
			case err == nil:
				t.Fatalf("ran (status %s), want an error saying %q", res.Status, tc.want)
			case errors.As(err, &se):
				t.Errorf("sandbox setup error %q, want the host's saying %q", err, tc.want)
			case err.Error() != tc.want:
				t.Errorf("error %q, want %q", err, tc.want)
			}
			if d := descendants(t); len(d) > 0 {
				t.Errorf("processes outlived the run: %v", d)
			}
			if n := openFDs(t); n != fdsBefore {
				t.Errorf("%d open descriptors after the run, %d before", n, fdsBefore)
			}
		})
	}
}

// TestWaitingSandboxEndsWithItsHost checks that a sandbox waiting for its
// binary does not outlive a benchpress that dies (SIGKILL: nothing of it
// runs to clean up): the init has a parent-death signal, and its pid
// namespace takes the second stage along. The dying host is this test
// binary run again, which starts a sandbox, says the init's pid and waits.
func TestWaitingSandboxEndsWithItsHost(t *testing.T) {
	needSandbox(t)
	if os.Getenv("BENCHPRESS_TEST_DYING_HOST") == "1" {
		p, err := startSandbox([]string{"main"}, programEnv("/tmp"), DefaultLimits, nil, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		os.Stdout.WriteString(strconv.Itoa(p.(*sandboxProc).cmd.Process.Pid) + "\n")
		select {}
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestWaitingSandboxEndsWithItsHost$", "-test.timeout=5m")
	cmd.Env = append(os.Environ(), "BENCHPRESS_TEST_DYING_HOST=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the dying host said no pid: %v", err)
	}
	initPid, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil {
		t.Fatalf("the dying host said %q", line)
	}
	// The second stage exists, waiting for its binary, before the host dies.
	deadline := time.Now().Add(testdeadline.Scale(time.Minute))
	var stage int
	for stage == 0 {
		if stage = childOf(t, initPid); stage == 0 && time.Now().After(deadline) {
			t.Fatalf("no second stage under the sandbox's init %d", initPid)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cmd.Process.Kill()
	cmd.Wait()
	deadline = time.Now().Add(testdeadline.Scale(10 * time.Second))
	for alive(initPid) || alive(stage) {
		if time.Now().After(deadline) {
			t.Fatalf("the sandbox outlived its host: init %d alive %v, second stage %d alive %v",
				initPid, alive(initPid), stage, alive(stage))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// childOf returns a child of process pid, or 0.
func childOf(t *testing.T, pid int) int {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...
		f := strings.Fields(string(b)[strings.LastIndexByte(string(b), ')')+1:])
		if len(f) > 1 && f[1] == strconv.Itoa(pid) {
			n, _ := strconv.Atoi(e.Name())
			return n
		}
	}
	return 0
}

// alive says whether process pid exists and is not a zombie (a zombie runs
// nothing; reaping it is its new parent's business).
func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	f := strings.Fields(string(b)[strings.LastIndexByte(string(b), ')')+1:])
	return len(f) > 0 && f[0] != "Z"
}

// TestPrestartStopsWhenCancelled checks that a run cancelled while its
// programs build starts no more sandboxes for them: each would only be
// killed, and RunAll waited for them all to start first (about 20 ms
// apiece, as many as run at once). The go command blocks until the test
// has cancelled.
func TestPrestartStopsWhenCancelled(t *testing.T) {
	needSandbox(t)
	dir := t.TempDir()
	goBin := filepath.Join(dir, "go")
	if err := os.WriteFile(goBin, []byte("#!/bin/sh\nread line < '"+filepath.Join(dir, "gate")+"'\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "gate"), 0o600); err != nil {
		t.Fatal(err)
	}
	cacheDir := t.TempDir()
	r, err := New(Config{Parallelism: 1, CacheDir: cacheDir})
	if err != nil {
		t.Fatal(err)
	}
	r.tcOnce.Do(func() {
		r.tc = &toolchain{goBin: goBin, version: runtime.Version(), cacheDir: cacheDir,
			timeout: time.Minute, memory: compileMemory, fileSize: compileFileSize}
	})
	const n = 16
	r.prestartN = n
	progs := make([]Program, n)
	for i := range progs {
		progs[i] = helloProgram(i, "prestart stops")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan []error, 1)
	go func() {
		_, errs := r.RunAll(ctx, progs, nil)
		done <- errs
	}()
	started := func() int {
		r.mu.Lock()
		defer r.mu.Unlock()
		return r.prestarts
	}
	deadline := time.Now().Add(testdeadline.Scale(time.Minute))
	for started() == 0 {
		if time.Now().After(deadline) {
			cancel()
			<-done
			t.Fatal("no sandbox started while the programs built")
		}
		time.Sleep(time.Millisecond)
	}
	// prestart counts a sandbox under r.mu before it starts it, and
	// looks at the context there: none can begin after this.
	r.mu.Lock()
	atCancel := r.prestarts
	cancel()
	r.mu.Unlock()
	errs := <-done
	if !errors.Is(errs[0], context.Canceled) {
		t.Errorf("error %v, want context.Canceled", errs[0])
	}
	if got := started(); got != atCancel {
		t.Errorf("%d sandboxes started, %d of them after the run was cancelled", got, got-atCancel)
	}
	if atCancel == n {
		t.Logf("all %d sandboxes started before the cancel: this run could not tell", n)
	}
	if d := descendants(t); len(d) > 0 {
		t.Errorf("processes outlived the run: %v", d)
	}
}

// notPrograms makes, in a new directory, what the handoff must refuse or
// must not be given: a regular file that is no program, a FIFO and a
// symbolic link to the file.
func notPrograms(t *testing.T) (dir, file, fifo, link string) {
	t.Helper()
	dir = t.TempDir()
	file = filepath.Join(dir, "f")
	if err := os.WriteFile(file, []byte("not a program"), 0o755); err != nil {
		t.Fatal(err)
	}
	fifo = filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o700); err != nil {
		t.Fatal(err)
	}
	link = filepath.Join(dir, "link")
	if err := os.Symlink(file, link); err != nil {
		t.Fatal(err)
	}
	return dir, file, fifo, link
}
