package generator

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/benchpress/benchpress/generator/config"
	"github.com/benchpress/benchpress/generator/diag"
	"github.com/benchpress/benchpress/generator/snippet"
	"github.com/benchpress/benchpress/playground"
)

// argsRunner answers every program with what a program that prints its
// arguments would print, so a test sees which flags each combination got;
// answer, when set, may give a program another result.
type argsRunner struct {
	mu     sync.Mutex
	progs  []playground.Program
	answer func(p playground.Program) (playground.Result, bool)
}

func (a *argsRunner) RunAll(ctx context.Context, ps []playground.Program, progress func(playground.Progress)) ([]playground.Result, []error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	res := make([]playground.Result, len(ps))
	for i, p := range ps {
		a.progs = append(a.progs, p)
		if a.answer != nil {
			if r, ok := a.answer(p); ok {
				res[i] = r
				continue
			}
		}
		res[i] = okResult(fmt.Sprintf("args %q\n", p.Args), "")
	}
	return res, make([]error, len(ps))
}

const gridFence = "```go run name=grid params=\"vnodes=1,10,100; mode=fast,safe\" default=\"vnodes=10; mode=safe\" args=\"x y\"\nfmt.Println(os.Args)\n```\n"

// TestExplorableGrid builds a post with a two-parameter grid: every
// combination runs once with its flags first, and every run's real output
// is on the page, the default's outside any template (it reads without
// JavaScript) and the others in templates the script swaps in.
func TestExplorableGrid(t *testing.T) {
	r := &argsRunner{}
	root := writeArchive(t, txtar.Parse([]byte(postWith(gridFence))))
	out, st, err := buildSite(t, root, r)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range r.progs {
		ids = append(ids, p.ID+" "+strings.Join(p.Args, " "))
	}
	want := []string{
		"content/posts/a.md#grid?vnodes=1;mode=fast -vnodes=1 -mode=fast x y",
		"content/posts/a.md#grid?vnodes=1;mode=safe -vnodes=1 -mode=safe x y",
		"content/posts/a.md#grid?vnodes=10;mode=fast -vnodes=10 -mode=fast x y",
		"content/posts/a.md#grid?vnodes=10;mode=safe -vnodes=10 -mode=safe x y",
		"content/posts/a.md#grid?vnodes=100;mode=fast -vnodes=100 -mode=fast x y",
		"content/posts/a.md#grid?vnodes=100;mode=safe -vnodes=100 -mode=safe x y",
	}
	if !slices.Equal(ids, want) {
		t.Errorf("programs run:\n%s\nwant:\n%s", strings.Join(ids, "\n"), strings.Join(want, "\n"))
	}
	if st.Snippets != 6 || st.SnippetsRun != 6 {
		t.Errorf("stats: %d snippets, %d run; want 6 and 6", st.Snippets, st.SnippetsRun)
	}
	b, _ := os.ReadFile(filepath.Join(out, "posts/a/index.html"))
	page := string(b)
	for _, want := range []string{
		`<script src="/js/explore.js" defer></script>`,
		`<div class="explore" data-explore data-default="vnodes=10;mode=safe">`,
		`<div class="explore-controls" role="group" aria-label="Parameters of snippet grid" hidden>`,
		`<label for="snippet-grid-param-1">vnodes</label><input type="range" id="snippet-grid-param-1" min="0" max="2" step="1" value="1" data-param="vnodes" data-values="1,10,100" aria-valuetext="10">`,
		`<label for="snippet-grid-param-2">mode</label><select id="snippet-grid-param-2" data-param="mode"><option value="fast">fast</option><option value="safe" selected>safe</option></select>`,
		`<p class="explore-shown" aria-live="polite">Run with vnodes=10, mode=safe (1 of 6 runs made when the site was built)</p>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	shown := regexp.MustCompile(`(?s)<div class="explore-state" data-state="([^"]*)">(.*?)</div>\n</div>\n`).FindStringSubmatch(page)
	if shown == nil || shown[1] != "vnodes=10;mode=safe" || !strings.Contains(html.UnescapeString(shown[2]), `args ["-vnodes=10" "-mode=safe" "x" "y"]`) {
		t.Fatalf("the state shown without JavaScript is %q, want the default run's output", shown)
	}
	states := map[string]string{}
	for _, m := range regexp.MustCompile(`(?s)<template data-state="([^"]*)">(.*?)</template>`).FindAllStringSubmatch(page, -1) {
		states[m[1]] = html.UnescapeString(m[2])
	}
	if len(states) != 5 {
		t.Errorf("%d states in templates, want the 5 besides the default", len(states))
	}
	for _, v := range []string{"1", "10", "100"} {
		for _, m := range []string{"fast", "safe"} {
			key := "vnodes=" + v + ";mode=" + m
			if key == "vnodes=10;mode=safe" {
				continue
			}
			if want := fmt.Sprintf(`args ["-vnodes=%s" "-mode=%s" "x" "y"]`, v, m); !strings.Contains(states[key], want) {
				t.Errorf("state %s shows %q, want its own run's output %s", key, states[key], want)
			}
			if !strings.Contains(states[key], `<span class="output-status">exit 0 · 12 ms</span>`) {
				t.Errorf("state %s carries no status of its own: %q", key, states[key])
			}
		}
	}
	if _, err := os.Stat(filepath.Join(out, "posts/a/snippet-grid.json")); err == nil {
		t.Error("a small grid also wrote its states to a file")
	}
	// The feeds carry the run shown and its caption, not what only the
	// script uses: the controls and the other states.
	for _, feed := range []string{"index.xml", "atom.xml"} {
		b, err := os.ReadFile(filepath.Join(out, feed))
		if err != nil {
			t.Fatal(err)
		}
		text := html.UnescapeString(string(b))
		if !strings.Contains(text, `args [&#34;-vnodes=10&#34; &#34;-mode=safe&#34; &#34;x&#34; &#34;y&#34;]`) || !strings.Contains(text, "Run with vnodes=10, mode=safe") {
			t.Errorf("%s lacks the default run or its caption", feed)
		}
		for _, no := range []string{"<template data-state", "explore-controls", `-vnodes=1&#34;`, "<select", `type="range"`} {
			if strings.Contains(text, no) {
				t.Errorf("%s carries %s, which only the page's script uses", feed, no)
			}
		}
	}
}

// TestExplorableLargeGrid: states past the page's budget go to one JSON
// file beside the page, which holds every run's output; the page keeps the
// default run and names the file.
func TestExplorableLargeGrid(t *testing.T) {
	big := strings.Repeat("0123456789abcdef", 256) // 4 KiB a run: 16 runs are past the budget
	r := &argsRunner{answer: func(p playground.Program) (playground.Result, bool) {
		return okResult(fmt.Sprintf("args %q\n%s\n", p.Args, big), ""), true
	}}
	fence := "```go run name=big params=\"a=1,2,3,4; b=p,q,r,s\" default=\"a=3\"\nfmt.Println(os.Args)\n```\n"
	root := writeArchive(t, txtar.Parse([]byte(postWith(fence))))
	out, _, err := buildSite(t, root, r)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(out, "posts/a/index.html"))
	page := string(b)
	if !strings.Contains(page, `<div class="explore" data-explore data-default="a=3;b=p" data-states="snippet-big.json">`) {
		t.Error("the page does not name its states file")
	}
	if strings.Contains(page, "<template data-state") {
		t.Error("a large grid still carries its states in the page")
	}
	if !strings.Contains(page, html.EscapeString(`args ["-a=3" "-b=p"]`)) {
		t.Error("the default run's output is not in the page")
	}
	data, err := os.ReadFile(filepath.Join(out, "posts/a/snippet-big.json"))
	if err != nil {
		t.Fatal(err)
	}
	var file struct{ States map[string]string }
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	if len(file.States) != 16 {
		t.Errorf("the file holds %d states, want 16", len(file.States))
	}
	for k, h := range file.States {
		a, bv, _ := strings.Cut(k, ";")
		want := fmt.Sprintf(`args ["-%s" "-%s"]`, a, bv)
		if !strings.Contains(html.UnescapeString(h), want) {
			t.Errorf("state %s in the file lacks its output %s", k, want)
		}
	}
}

// TestExplorableErrors: every mistake in params= and default= is an error
// at the fence's line, before anything runs, and says what to do.
func TestExplorableErrors(t *testing.T) {
	code := "fmt.Println(1)\n```\n"
	tests := []struct{ name, config, fence, want string }{
		{"oversized grid", "", "```go run name=p params=\"a=1,2,3,4,5,6,7,8; b=1,2,3,4,5,6,7,8,9\"\n",
			"content/posts/a.md:6: go run: params=a=1,2,3,4,5,6,7,8; b=1,2,3,4,5,6,7,8,9: 8 × 9 values make more than 64 combinations (the cap, playground.maxCombinations in config.yaml): drop values, or raise the cap"},
		{"over the site's cap", "playground:\n  maxCombinations: 4\n", "```go run name=p params=\"a=1,2,3; b=1,2\"\n",
			"content/posts/a.md:6: go run: params=a=1,2,3; b=1,2: 3 × 2 values make more than 4 combinations (the cap, playground.maxCombinations in config.yaml): drop values, or raise the cap"},
		{"huge grid", "", "```go run name=p params=\"a=" + seq(1000) + "; b=" + seq(1000) + "; c=" + seq(1000) + "\"\n",
			"make more than 64 combinations"},
		{"parameter twice", "", "```go run name=p params=\"a=1,2; a=3\"\n",
			"content/posts/a.md:6: go run: params=a=1,2; a=3: a is given twice: list all its values once (a=A,B,C)"},
		{"value twice", "", "```go run name=p params=\"a=1,2,1\"\n",
			"content/posts/a.md:6: go run: params=a=1,2,1: a lists the value 1 twice"},
		{"no values", "", "```go run name=p params=\"a\"\n",
			`content/posts/a.md:6: go run: params=a: "a" has no values: write NAME=V1,V2,... (e.g. params="vnodes=1,10,100; nodes=3,5")`},
		{"empty value", "", "```go run name=p params=\"a=1,,2\"\n",
			"content/posts/a.md:6: go run: params=a=1,,2: a has an empty value: write NAME=V1,V2 without a trailing or doubled comma"},
		{"space in a value", "", "```go run name=p params=\"a=1,x -y\"\n",
			"content/posts/a.md:6: go run: params=a=1,x -y: a=x -y: a value is one word of letters, digits and . _ + - : / % (at most 64 bytes), passed as -a=VALUE"},
		{"= in a value", "", "```go run name=p params=\"a=1,b=2\"\n",
			"content/posts/a.md:6: go run: params=a=1,b=2: a=b=2: a value is one word of letters, digits and . _ + - : / % (at most 64 bytes), passed as -a=VALUE"},
		{"shell in a value", "", "```go run name=p params=\"a=1,$(rm)\"\n",
			"content/posts/a.md:6: go run: params=a=1,$(rm): a=$(rm): a value is one word"},
		{"flag as a name", "", "```go run name=p params=\"-x=1,2\"\n",
			`content/posts/a.md:6: go run: params=-x=1,2: "-x" is not a flag name: start with a letter, then letters, digits, _ or - (at most 32)`},
		{"help flag", "", "```go run name=p params=\"h=1,2\"\n",
			"content/posts/a.md:6: go run: params=h=1,2: -h is the flag package's request for help, not a parameter: choose another name"},
		{"invisible character", "", "```go run name=p params=\"a=1,2\u200b\"\n",
			"content/posts/a.md:6: go run: params=a=1,2\u200b: a=2\u200b: a value is one word"},
		{"default not in the grid", "", "```go run name=p params=\"vnodes=1,10\" default=\"vnodes=7\"\n",
			"content/posts/a.md:6: go run: default=vnodes=7: vnodes=7 is not in the grid: pick one of 1, 10"},
		{"default of no parameter", "", "```go run name=p params=\"vnodes=1,10\" default=\"nodes=7\"\n",
			"content/posts/a.md:6: go run: default=nodes=7: nodes is not a parameter of params= (vnodes)"},
		{"default malformed", "", "```go run name=p params=\"vnodes=1,10\" default=\"vnodes\"\n",
			`content/posts/a.md:6: go run: default=vnodes: "vnodes": write NAME=VALUE for each parameter to set (e.g. default="vnodes=10; nodes=5")`},
		{"default without params", "", "```go run name=p default=\"vnodes=1\"\n",
			`content/posts/a.md:6: go run: default= picks the combination of params= shown first: add params="NAME=V1,V2,..."`},
		{"axes without a plot", "", "```go run name=p params=\"a=1,2\" axes=free\n",
			"content/posts/a.md:6: go run: axes= is an option of explorable plots: add plot= or drop axes="},
		{"expect=compile-error", "", "```go run name=p params=\"a=1,2\" expect=compile-error\n",
			"content/posts/a.md:6: go run: params= with expect=compile-error: every combination would show the same compiler error"},
		{"bench block", "", "```go bench name=p params=\"a=1,2\"\n",
			`content/posts/a.md:6: go bench: unknown option "params" for go bench`},
		{"cap out of bounds", "playground:\n  maxCombinations: 5000\n", "```go run name=p\n",
			"config.yaml:4: playground.maxCombinations must be between 1 and 1024, got 5000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &argsRunner{}
			root := writeArchive(t, txtar.Parse([]byte(okConfig+tt.config+strings.TrimPrefix(postWith(tt.fence+code), okConfig))))
			_, _, err := buildSite(t, root, r)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error:\n got: %v\nwant: %s", err, tt.want)
			}
			if len(r.progs) > 0 {
				t.Errorf("%d programs ran before the error", len(r.progs))
			}
		})
	}
}

func seq(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprint(&b, i)
	}
	return b.String()
}

// TestExplorableHostileValues: what looks like a flag, unicode and
// negative numbers reach the program as one argument each, -NAME=VALUE,
// never as flags or words of their own.
func TestExplorableHostileValues(t *testing.T) {
	r := &argsRunner{}
	fence := "```go run name=p params=\"v=-x,--help,Ωμέγα,-1.5e3\"\nfmt.Println(os.Args)\n```\n"
	root := writeArchive(t, txtar.Parse([]byte(postWith(fence))))
	if _, _, err := buildSite(t, root, r); err != nil {
		t.Fatal(err)
	}
	var got [][]string
	for _, p := range r.progs {
		got = append(got, p.Args)
	}
	want := [][]string{{"-v=-x"}, {"-v=--help"}, {"-v=Ωμέγα"}, {"-v=-1.5e3"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("arguments %q, want %q", got, want)
	}
}

// TestExplorableChecksEveryCombination: expect-match= holds for every
// combination; the one that breaks it fails the build at the fence's line,
// named. A combination that exits non-zero is named too.
func TestExplorableChecksEveryCombination(t *testing.T) {
	fence := "```go run name=p params=\"n=1,2,3\" expect-match=\"^ok\"\nfmt.Println(os.Args)\n```\n"
	r := &argsRunner{answer: func(p playground.Program) (playground.Result, bool) {
		switch p.Args[0] {
		case "-n=2":
			return okResult("not ok\n", ""), true
		case "-n=3":
			return playground.Result{Status: playground.StatusExit, ExitCode: 1, Events: []playground.Event{{Stream: playground.Stderr, Data: "boom\n"}}}, true
		}
		return okResult("ok\n", ""), true
	}}
	root := writeArchive(t, txtar.Parse([]byte(postWith(fence))))
	_, _, err := buildSite(t, root, r)
	want := "content/posts/a.md:6: snippet p with n=2: output no longer matches expect-match=\"^ok\": the output is \"not ok\\n\"\n" +
		"content/posts/a.md:6: snippet p with n=3 exited with status 1 (add expect=fail to the fence if that is intended): boom\n(2 errors)"
	if err == nil || err.Error() != want {
		t.Errorf("error:\n got: %v\nwant: %s", err, want)
	}
}

// TestExplorableHonestStates: each state shows how its own run ended: a
// failure its exit status, a run that printed nothing says so.
func TestExplorableHonestStates(t *testing.T) {
	fence := "```go run name=p params=\"n=1,2\" expect=fail\nos.Exit(1)\n```\n"
	r := &argsRunner{answer: func(p playground.Program) (playground.Result, bool) {
		if p.Args[0] == "-n=2" {
			return playground.Result{Status: playground.StatusExit, ExitCode: 3, Duration: time.Millisecond}, true
		}
		return playground.Result{Status: playground.StatusExit, ExitCode: 1, Duration: time.Millisecond, Events: []playground.Event{{Stream: playground.Stderr, Data: "one\n"}}}, true
	}}
	root := writeArchive(t, txtar.Parse([]byte(postWith(fence))))
	out, _, err := buildSite(t, root, r)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(out, "posts/a/index.html"))
	page := string(b)
	for _, want := range []string{
		`<div class="output output-failed" data-output data-status="exit" data-exit="1"`,
		`<span class="stderr">one` + "\n</span>",
		`<template data-state="n=2">` + "\n" + `<div class="output output-failed" data-output data-status="exit" data-exit="3"`,
		`<span class="output-status">exit 3 · 1 ms</span>`,
		`<span class="no-output">(no output)</span>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
}

// TestExplorablePlotAxes: the states of a plot share one axis range, so a
// reader sees the data change rather than the axes; axes=free gives each
// its own.
func TestExplorablePlotAxes(t *testing.T) {
	answer := func(p playground.Program) (playground.Result, bool) {
		if p.Args[0] == "-n=1" {
			return okResult("x,y\n1,1\n2,2\n", ""), true
		}
		return okResult("x,y\n1,100\n2,400\n", ""), true
	}
	ticks := regexp.MustCompile(`(?s)<g class="plot-ticks plot-y-ticks".*?</g>`)
	for _, tt := range []struct {
		axes string
		same bool
	}{{"", true}, {" axes=free", false}} {
		fence := "```go run name=p params=\"n=1,2\" plot=line x=x y=y" + tt.axes + "\nfmt.Println(os.Args)\n```\n"
		root := writeArchive(t, txtar.Parse([]byte(postWith(fence))))
		out, _, err := buildSite(t, root, &argsRunner{answer: answer})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(filepath.Join(out, "posts/a/index.html"))
		all := ticks.FindAllString(string(b), -1)
		if len(all) != 2 {
			t.Fatalf("%d plots on the page, want 2 (the default and the other state)", len(all))
		}
		if (all[0] == all[1]) != tt.same {
			t.Errorf("axes%s: the states' y ticks are\n%s\nand\n%s", tt.axes, all[0], all[1])
		}
		if !strings.Contains(all[0], ">400<") && !strings.Contains(all[0], ">500<") && tt.same {
			t.Errorf("the default state's axis does not reach the other state's data: %s", all[0])
		}
		csv, err := os.ReadFile(filepath.Join(out, "posts/a/snippet-p.csv"))
		if err != nil || string(csv) != "x,y\r\n1,1\r\n2,2\r\n" {
			t.Errorf("snippet-p.csv = %q, %v; want the default state's data", csv, err)
		}
	}
}

// TestExplorableSecondBuildRunsNothing builds a grid through the real
// playground twice: the second build takes every combination from the
// store.
func TestExplorableSecondBuildRunsNothing(t *testing.T) {
	fence := "```go run name=p params=\"n=1,2; m=a,b\"\n" +
		"n := flag.Int(\"n\", 0, \"\")\nm := flag.String(\"m\", \"\", \"\")\nflag.Parse()\nfmt.Println(*n * 10, *m)\n```\n"
	root := writeArchive(t, txtar.Parse([]byte(postWith(fence))))
	r := realRunner(t, root)
	out, st, err := buildSite(t, root, r)
	if err != nil {
		t.Fatal(err)
	}
	if st.SnippetsRun != 4 || st.SnippetsCached != 0 {
		t.Errorf("first build: %d run, %d cached; want 4 run", st.SnippetsRun, st.SnippetsCached)
	}
	b, _ := os.ReadFile(filepath.Join(out, "posts/a/index.html"))
	for _, want := range []string{"10 a\n", "10 b\n", "20 a\n", "20 b\n"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("page lacks the real output %q", want)
		}
	}
	execs := r.Execs()
	_, st, err = buildSite(t, root, r)
	if err != nil {
		t.Fatal(err)
	}
	if st.SnippetsRun != 0 || st.SnippetsCached != 4 || r.Execs() != execs {
		t.Errorf("second build: %d run, %d cached, %d programs started; want 0 run, 4 cached, none started", st.SnippetsRun, st.SnippetsCached, r.Execs()-execs)
	}
}

// otherShardRunner leaves the programs whose first argument is other to
// another shard and answers the rest as argsRunner does.
type otherShardRunner struct {
	argsRunner
	other string
}

func (s *otherShardRunner) RunAll(ctx context.Context, ps []playground.Program, progress func(playground.Progress)) ([]playground.Result, []error) {
	res, errs := s.argsRunner.RunAll(ctx, ps, progress)
	for i, p := range ps {
		if p.Args[0] == s.other {
			res[i], errs[i] = playground.Result{}, &playground.OtherShardError{Shard: playground.Shard{Index: 2, Count: 2}}
		}
	}
	return res, errs
}

// TestExplorableSharded: in a sharded build, the combinations run here
// are checked here (a failing one fails this shard, named), and those left
// to another shard are counted as such.
func TestExplorableSharded(t *testing.T) {
	fence := "```go run name=p params=\"n=1,2,3\" expect-match=\"^ok\"\nfmt.Println(os.Args)\n```\n"
	r := &otherShardRunner{other: "-n=3", argsRunner: argsRunner{answer: func(p playground.Program) (playground.Result, bool) {
		if p.Args[0] == "-n=2" {
			return okResult("not ok\n", ""), true
		}
		return okResult("ok\n", ""), true
	}}}
	root := writeArchive(t, txtar.Parse([]byte(postWith(fence))))
	_, _, err := buildSite(t, root, r)
	want := `content/posts/a.md:6: snippet p with n=2: output no longer matches expect-match="^ok": the output is "not ok\n"`
	if err == nil || err.Error() != want {
		t.Errorf("error:\n got: %v\nwant: %s", err, want)
	}
	// The default combination (n=1) ran on another shard: the ones run
	// here are checked all the same.
	r.other = "-n=1"
	if _, _, err = buildSite(t, root, r); err == nil || err.Error() != want {
		t.Errorf("default run elsewhere: error:\n got: %v\nwant: %s", err, want)
	}
	r.other = "-n=3"
	r.answer = func(p playground.Program) (playground.Result, bool) { return okResult("ok\n", ""), true }
	// The combinations run here pass; the one left to the other shard is
	// counted, and the shard renders nothing.
	_, _, err = buildSite(t, root, r)
	if err == nil || !strings.Contains(err.Error(), "1 snippets ran on other shards") {
		t.Fatalf("error %v, want the shard's refusal to render, counting 1 run elsewhere", err)
	}
}

// TestExplorableFlagMistakes: a run the flag package stopped is explained
// in one line at the fence (a flag the program does not declare, a value
// its type refuses), not by the usage text's last line.
func TestExplorableFlagMistakes(t *testing.T) {
	usage := "Usage of /tmp/x/main:\n  -n int\n    \tcount\n"
	tests := []struct{ stderr, want string }{
		{"flag provided but not defined: -vnodes\n" + usage,
			`content/posts/a.md:6: snippet p with vnodes=1: the program does not declare the flag -vnodes: declare it (e.g. flag.Int("vnodes", 1, "...")) and call flag.Parse(), or rename the parameter`},
		{"invalid value \"x1\" for flag -vnodes: parse error\n" + usage,
			`content/posts/a.md:6: snippet p with vnodes=1: -vnodes=x1 is not a value its flag takes (parse error): change the value in params= or the flag's type`},
	}
	for _, tt := range tests {
		r := &argsRunner{answer: func(p playground.Program) (playground.Result, bool) {
			if p.Args[0] == "-vnodes=1" {
				return playground.Result{Status: playground.StatusExit, ExitCode: 2, Events: []playground.Event{{Stream: playground.Stderr, Data: tt.stderr}}}, true
			}
			return okResult(strings.Join(p.Args, " ")+"\n", ""), true
		}}
		root := writeArchive(t, txtar.Parse([]byte(postWith("```go run name=p params=\"vnodes=1,2\"\nfmt.Println(1)\n```\n"))))
		_, _, err := buildSite(t, root, r)
		if err == nil || err.Error() != tt.want {
			t.Errorf("error:\n got: %v\nwant: %s", err, tt.want)
		}
	}
}

// TestExplorableSameOutputs: a grid whose every run printed the same
// thing (the program never read its flags) is warned about at the fence.
func TestExplorableSameOutputs(t *testing.T) {
	r := &argsRunner{answer: func(p playground.Program) (playground.Result, bool) { return okResult("same\n", ""), true }}
	root := writeArchive(t, txtar.Parse([]byte(postWith("```go run name=p params=\"vnodes=1,2\"\nfmt.Println(1)\n```\n"))))
	var got []diag.Warning
	_, err := Build(context.Background(), Options{Root: root, Out: filepath.Join(t.TempDir(), "public"), Theme: testTheme, Runner: r, Now: testNow,
		Warn: func(w diag.Warning) { got = append(got, w) }})
	if err != nil {
		t.Fatal(err)
	}
	want := []diag.Warning{{File: "content/posts/a.md", Line: 6, Msg: "every combination of params= printed the same output: does the program read its flags (flag.Int(...), then flag.Parse())?"}}
	if !slices.Equal(got, want) {
		t.Errorf("warnings %v, want %v", got, want)
	}
}

// TestExplorableDocumented: the README documents the options and the
// config key of explorable blocks, with the cap's real default.
func TestExplorableDocumented(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, want := range []string{
		"### Explorable blocks", "| `params=\"vnodes=1,10,100; nodes=3,5\"` |", "| `default=\"vnodes=10; nodes=5\"` |", "| `axes=free` |",
		fmt.Sprintf("| `playground.maxCombinations` | `%d` | the most runs one explorable block (`params=`) may make; 1 to %d |", config.DefaultMaxCombinations, config.MaxCombinationsLimit),
		fmt.Sprintf("at most %d KiB of HTML", snippet.InlineStatesBudget>>10),
	} {
		if !strings.Contains(readme, want) {
			t.Errorf("README lacks %q", want)
		}
	}
}
