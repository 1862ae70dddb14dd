package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/benchpress/benchpress/generator"
	"github.com/benchpress/benchpress/internal/benchfloor"
	"github.com/benchpress/benchpress/playground"
)

// Issue 34's figures: what an author waits for after a code edit, as a
// ratio to the floor, the compiler's own time: `go build` of the same
// program in a module, then running it. Each figure alternates its
// measurement with the floor's (ABBA), reps times, and reports the medians
// and the median of the paired ratios: the machine's load hits both alike.
// `make bench` prints them; nothing is asserted.

// editReps is how many paired measurements each figure takes.
const editReps = 9

// BenchmarkEditToPage measures serve's code-edit path: the time from
// saving a post whose `go run` block changed to the served page holding
// the new program's output (the reload event, then a GET of the page),
// against the floor for the same edited program. "small" is a one-post
// site with two blocks (the edit changes one); "example" edits the order
// block of the example site's unique-ids post, which no other block
// uses (an edit of a block a benchmark uses= reruns the benchmark too).
// serve --trace prints the same path step by step.
func BenchmarkEditToPage(b *testing.B) {
	needSandbox(b)
	b.Run("small", func(b *testing.B) {
		root := b.TempDir()
		os.MkdirAll(filepath.Join(root, "content", "posts"), 0o755)
		os.WriteFile(filepath.Join(root, "config.yaml"), []byte("title: Edit\nbaseURL: http://localhost/\nplayground:\n  results: .benchpress/results\n"), 0o644)
		write := func(root, nonce string) {
			post := filepath.Join(root, "content", "posts", "p.md")
			src := "---\ntitle: P\ndate: 2026-01-01\n---\nSome prose.\n\n```go run\nfmt.Println(\"edited\", \"" + nonce + "\")\n```\n\nMore prose.\n\n```go run\nfmt.Println(\"the other block\")\n```\n"
			if err := os.WriteFile(post, []byte(src), 0o644); err != nil {
				b.Fatal(err)
			}
		}
		benchEdit(b, root, "posts/p/", write, func(nonce string) string { return "edited " + nonce })
	})
	b.Run("example", func(b *testing.B) {
		if _, err := os.Stat("content/posts/unique-ids.md"); err != nil {
			b.Skip("no example site in content/")
		}
		root := copySite(b, ".", "config.yaml", "content", "static", "layouts", "themes", ".benchpress")
		post := filepath.Join(root, "content", "posts", "unique-ids.md")
		orig, err := os.ReadFile(post)
		if err != nil {
			b.Fatal(err)
		}
		const fence = "```go run name=order\n"
		if !bytes.Contains(orig, []byte(fence)) {
			b.Skip("the example post has no order block")
		}
		write := func(root, nonce string) {
			post := filepath.Join(root, "content", "posts", "unique-ids.md")
			// A new constant changes the program (it compiles and runs
			// again) and shows in the page's highlighted source.
			src := bytes.Replace(orig, []byte(fence), []byte(fence+"const editNonce = \""+nonce+"\"\n\n"), 1)
			if err := os.WriteFile(post, src, 0o644); err != nil {
				b.Fatal(err)
			}
		}
		benchEdit(b, root, "posts/unique-ids/", write, func(nonce string) string { return nonce })
	})
}

// benchEdit runs serve on root and, editReps times, saves an edit (write
// with a new nonce), waits for the reload event and GETs page until it
// contains want(nonce), paired with the floor of the edited program.
func benchEdit(b *testing.B, root, page string, write func(root, nonce string), want func(nonce string) string) {
	write(root, "first")
	for i := 0; i < b.N; i++ {
		log := &syncBuffer{}
		ctx, cancel := context.WithCancel(context.Background())
		ready := make(chan string, 1)
		done := make(chan error, 1)
		go func() {
			done <- serve(ctx, buildFlags{root: root, drafts: true, future: true, trace: true}, "127.0.0.1:0", log, func(u string) { ready <- u })
		}()
		var url string
		select {
		case url = <-ready:
		case err := <-done:
			cancel()
			b.Fatalf("serve: %v\n%s", err, log)
		}
		d := &devServer{t: b, root: root, url: url, log: log}
		events := d.events()
		if ev := <-events; ev.name != "hello" || ev.data["errors"] != nil {
			cancel()
			b.Fatalf("the site does not build: %v\n%s", ev, log)
		}
		nonces := make([]string, editReps)
		progs := make([]playground.Program, editReps)
		for r := range nonces {
			nonces[r] = strconv.FormatInt(time.Now().UnixNano(), 36) + strconv.Itoa(r)
			progs[r] = editedProgram(b, root, write, nonces[r])
		}
		pairs := benchfloor.Paired(editReps, func(r int) time.Duration {
			nonce := nonces[r]
			t0 := time.Now()
			write(root, nonce)
			for ev := range events {
				if ev.name == "reload" {
					break
				}
				if ev.name == "failed" {
					b.Fatalf("rebuild failed: %v\n%s", ev, log)
				}
			}
			resp, err := http.Get(url + page)
			if err != nil {
				b.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			took := time.Since(t0)
			if !strings.Contains(string(body), want(nonce)) {
				b.Fatalf("the page after the reload does not show %q\n%s", want(nonce), log)
			}
			return took
		}, func(r int) time.Duration { return benchfloor.Floor(b, progs[r]) })
		cancel()
		<-done
		b.ReportMetric(benchfloor.Ms(benchfloor.Median(pairs.Measured)), "edit-to-page-ms")
		b.ReportMetric(benchfloor.Ms(benchfloor.Median(pairs.Floors)), "floor-ms")
		b.ReportMetric(benchfloor.Median(pairs.Ratios), "edit/floor")
		b.ReportMetric(benchfloor.LoadAvg(), "load-avg")
		if testing.Verbose() {
			b.Logf("traces:\n%s", grepLines(log.String(), " trace: "))
		}
	}
}

// editedProgram returns the program of the block that write(nonce) puts
// in the site, exactly as the build completes it (imports, func main), by
// loading the site with a runner that only records what it is given.
func editedProgram(b *testing.B, root string, write func(root, nonce string), nonce string) playground.Program {
	// A copy is edited and loaded: serve must not see the edit before
	// its turn.
	dir := copySite(b, root, "config.yaml", "content", "static", "layouts", "themes")
	defer os.RemoveAll(dir)
	write(dir, nonce)
	setup, err := newSiteSetup(buildFlags{root: dir, drafts: true, future: true}, true, newConsole(io.Discard, dir, true))
	if err != nil {
		b.Fatal(err)
	}
	rec := &recordingRunner{}
	setup.opts.Runner = rec
	generator.Load(context.Background(), setup.opts)
	for _, p := range rec.progs {
		for _, f := range p.Files {
			if bytes.Contains(f.Data, []byte(nonce)) {
				return p
			}
		}
	}
	b.Fatalf("no program holds %q", nonce)
	return playground.Program{}
}

// recordingRunner is a generator.SnippetRunner that runs nothing and
// keeps the programs it was given.
type recordingRunner struct{ progs []playground.Program }

func (r *recordingRunner) RunAll(ctx context.Context, progs []playground.Program, progress func(playground.Progress)) ([]playground.Result, []error) {
	r.progs = append(r.progs, progs...)
	errs := make([]error, len(progs))
	for i := range errs {
		errs[i] = errors.New("not run: recording only")
	}
	return make([]playground.Result, len(progs)), errs
}

// needSandbox skips where the Linux sandbox cannot run programs.
func needSandbox(b *testing.B) {
	if testing.Short() {
		b.Skip("compiles and runs real programs")
	}
	if _, err := exec.LookPath("go"); err != nil {
		b.Skip("no go command")
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// BenchmarkRunCommand measures `benchpress run prog.go` of an edited
// three-line program (the CLI started afresh, as an author runs it)
// against the floor for the same program. Issue 34's target: within 1.15x.
func BenchmarkRunCommand(b *testing.B) {
	needSandbox(b)
	bin := filepath.Join(b.TempDir(), "benchpress")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	dir := b.TempDir()
	for i := 0; i < b.N; i++ {
		nonces := make([]string, editReps)
		for r := range nonces {
			nonces[r] = strconv.FormatInt(time.Now().UnixNano(), 36) + strconv.Itoa(r)
		}
		source := func(r int) string {
			return "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"edited\", \"" + nonces[r] + "\")\n}\n"
		}
		pairs := benchfloor.Paired(editReps, func(r int) time.Duration {
			file := filepath.Join(dir, "prog.go")
			if err := os.WriteFile(file, []byte(source(r)), 0o644); err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			out, err := exec.Command(bin, "run", file).CombinedOutput()
			took := time.Since(start)
			if err != nil || !strings.Contains(string(out), nonces[r]) {
				b.Fatalf("benchpress run: %v\n%s", err, out)
			}
			return took
		}, func(r int) time.Duration {
			return benchfloor.Floor(b, playground.Program{Files: []playground.File{{Name: "prog.go", Data: []byte(source(r))}}})
		})
		b.ReportMetric(benchfloor.Ms(benchfloor.Median(pairs.Measured)), "run-ms")
		b.ReportMetric(benchfloor.Ms(benchfloor.Median(pairs.Floors)), "floor-ms")
		b.ReportMetric(benchfloor.Median(pairs.Ratios), "run/floor")
		b.ReportMetric(benchfloor.LoadAvg(), "load-avg")
	}
}
