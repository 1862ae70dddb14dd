package browsertest

import (
	"context"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"golang.org/x/tools/txtar"

	"github.com/benchpress/benchpress/internal/testdeadline"
	"github.com/benchpress/benchpress/playground"
	"github.com/benchpress/benchpress/playground/server"
)

// TestEditAndRun builds the fixture site with playground.url pointing at a
// real playground server on another loopback port, then does what a
// reader does: Edit a live block (numbered lines), change it, Run it, and
// see the program's real new output right below the buttons, in view and
// focused; reload and find the edit kept; break it and see the compiler's
// message; Reset; rerun the benchmark block and get the report the build
// writes (the server's benchreport fragment). With the server down the
// block says so where the buttons were. With JavaScript off the page is the
// one the build wrote.
func TestEditAndRun(t *testing.T) {
	skipShort(t)
	if _, err := exec.LookPath("go"); err != nil {
		need(t, "no go command to build the reader's programs")
	}
	bctx := startBrowser(t)

	// The server's address goes into config.yaml, and the site's origin
	// into the server's CORS list: listen first, serve once both are known.
	pln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	pgURL := "http://" + pln.Addr().String()
	base := serve(t, buildWithPlayground(t, pgURL))
	// Unsandboxed: the programs are this test's own, and the sandbox has its
	// own suites (playground/, playground/server/).
	runner, err := playground.New(playground.Config{Sandbox: "none", Log: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	// Short benchmark runs, at the server's default count (6: enough for
	// intervals and a significant ratio).
	srv, err := server.New(server.Config{Runner: runner, Origins: []string{base}, Concurrency: 2,
		Bench: server.BenchCaps{Benchtime: 20 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, pln) }()
	t.Cleanup(func() { cancel(); <-served })

	tb := newTab(t, bctx, base)
	// Results are scrolled to; without motion the scroll is immediate, so
	// a click that follows lands where it aims.
	if _, err := chromedp.Call(tb.step(), emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}},
	}); err != nil {
		t.Fatal(err)
	}
	const post = "/posts/consistent-hashing/"
	tb.open(post)
	serverDown := false
	problems := func() {
		t.Helper()
		for _, p := range tb.take() {
			// The tab flags requests to any other address; the playground's
			// port is the one other address this page may call.
			if strings.Contains(p, "request leaves 127.0.0.1: "+pgURL+"/") {
				continue
			}
			// Once the server is stopped, its /health fails: the case the
			// page must handle.
			if serverDown && strings.Contains(p, pgURL+"/health") {
				continue
			}
			t.Error(p)
		}
	}
	poll := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(tb.step(), chromedp.Poll[string](js, chromedp.WithPollingTimeout(testdeadline.Scale(90*time.Second))))
		if err != nil {
			t.Fatalf("waiting for %.100q: %v", js, err)
		}
		return v
	}
	const ring = "#snippet-ring"
	authorOut := eval[string](tb, `document.querySelector("`+ring+` > .output").textContent`)
	if n := eval[int](tb, `document.querySelectorAll(".live[data-playground] .pg-bar").length`); n < 3 {
		t.Fatalf("%d live blocks have Edit and Run buttons, want every one (at least 3)", n)
	}

	// Edit: the complete program, hidden lines and package clause included,
	// replaces the highlighted source in place.
	tb.do(chromedp.Click(chromedp.CSS(ring + " .pg-edit")))
	src := eval[string](tb, `document.querySelector("`+ring+` .pg-editor").value`)
	if !strings.HasPrefix(src, "package main\n") || !strings.Contains(src, `fmt.Println("points:", len(r.points))`) {
		t.Fatalf("the editor holds %q, want the complete program", src)
	}
	if eval[bool](tb, `!document.querySelector("`+ring+` .code-block, `+ring+` pre.chroma").hidden`) {
		t.Error("the author's source is still shown while editing")
	}
	if got := eval[string](tb, `document.activeElement.className`); got != "pg-editor" {
		t.Errorf("focus is on %q after Edit, want the editor", got)
	}
	// Line numbers, one per line of the program, as compile errors cite.
	if got := eval[[]int](tb, `[document.querySelector("`+ring+` .pg-gutter").textContent.trim().split("\n").length, document.querySelector("`+ring+` .pg-editor").value.split("\n").length]`); got[0] != got[1] {
		t.Errorf("the editor's gutter numbers %d lines, the program has %d", got[0], got[1])
	}
	// Type a change: select the figure 3 and replace it, then Tab indents.
	eval[chromedp.Void](tb, `(function(){var e=document.querySelector("`+ring+` .pg-editor"), i=e.value.indexOf("20, 30}")+6;e.focus();e.setSelectionRange(i, i)})()`)
	tb.do(chromedp.SendKeys(chromedp.CSS(ring+" .pg-editor"), ", 40, 50"))
	eval[chromedp.Void](tb, `(function(){var e=document.querySelector("`+ring+` .pg-editor");e.setSelectionRange(e.value.length, e.value.length)})()`)
	tb.do(chromedp.SendKeys(chromedp.CSS(ring+" .pg-editor"), "\t// edited\n"))
	if src := eval[string](tb, `document.querySelector("`+ring+` .pg-editor").value`); !strings.Contains(src, "{10, 20, 30, 40, 50}") || !strings.HasSuffix(src, "}\n\t// edited\n") {
		t.Errorf("after typing, the editor holds %q", src)
	}

	// The edit is kept in the browser: a reload and Edit bring it back.
	if _, err := chromedp.Run(tb.step(), chromedp.Poll[bool](`!!localStorage.getItem("benchpress-edit:`+post+ring+`")`, chromedp.WithPollingTimeout(testdeadline.Scale(5*time.Second)))); err != nil {
		t.Errorf("the edit was not kept in localStorage: %v", err)
	}
	tb.open(post)
	tb.do(chromedp.WaitVisible(chromedp.CSS(ring + " .pg-edit")))
	tb.do(chromedp.Click(chromedp.CSS(ring + " .pg-edit")))
	if src := eval[string](tb, `document.querySelector("`+ring+` .pg-editor").value`); !strings.Contains(src, "{10, 20, 30, 40, 50}") {
		t.Errorf("after a reload, Edit shows %q, want the reader's kept edit", src)
	}

	tb.do(chromedp.Click(chromedp.CSS(ring + " .pg-run")))
	out := poll(`(function(){var o=document.querySelector("` + ring + ` [data-reader-run]");return o&&!document.querySelector("` + ring + `[aria-busy]")?o.textContent:null})()`)
	if !strings.Contains(out, "Your run (edited)") || !strings.Contains(out, "points: 5\nowner of key 15: 20\n") {
		t.Errorf("the reader's run shows %q, want its real output, points: 5, labelled as the reader's", out)
	}
	if got := eval[string](tb, `document.querySelector("`+ring+` > .output:not([data-reader-run])").textContent`); got != authorOut {
		t.Errorf("the author's output changed to %q", got)
	}
	inView(t, tb, ring, "the reader's run")

	screenshot(t, tb, ring, "edit-run")

	// A compile error shows the compiler's message with its line.
	eval[chromedp.Void](tb, `(function(){var e=document.querySelector("`+ring+` .pg-editor");e.value=e.value.replace("func main() {", "func main() {\n\tunused := 1")})()`)
	tb.do(chromedp.Click(chromedp.CSS(ring + " .pg-run")))
	out = poll(`(function(){var o=document.querySelector("` + ring + ` [data-reader-run].output-compile-error");return o&&!document.querySelector("` + ring + `[aria-busy]")?o.textContent:null})()`)
	if !strings.Contains(out, "did not compile") || !strings.Contains(out, "declared and not used: unused") || !strings.Contains(out, "prog.go:") {
		t.Errorf("compile error shows %q", out)
	}

	// Reset: the author's code and output, and nothing of the reader's.
	tb.do(chromedp.Click(chromedp.CSS(ring + " .pg-reset")))
	state := eval[[]any](tb, `[document.querySelectorAll("`+ring+` [data-reader-run], `+ring+` .pg-editor").length,
		document.querySelector("`+ring+` .code-block, `+ring+` pre.chroma").hidden,
		document.querySelector("`+ring+` > .output").textContent, document.querySelector("`+ring+` .pg-edit").hidden,
		localStorage.getItem("benchpress-edit:`+post+ring+`") === null]`)
	if state[0] != 0.0 || state[1] != false || state[2] != authorOut || state[3] != false || state[4] != true {
		t.Errorf("after Reset: %v reader elements, source hidden %v, output %q, Edit hidden %v, kept edit dropped %v", state[0], state[1], state[2], state[3], state[4])
	}

	// The benchmark block reruns, and its figures say where they come from
	// and read as the author's report does: the same columns, medians with
	// their interval (or range, when noisy) and units, and the ratio
	// against the author's baseline with its p-value.
	tb.do(chromedp.Click(chromedp.CSS("#snippet-lookup .pg-run")))
	out = poll(`(function(){var o=document.querySelector("#snippet-lookup [data-reader-run]");return o&&!document.querySelector("#snippet-lookup[aria-busy]")?o.textContent:null})()`)
	if !strings.Contains(out, "measured just now on a shared server") || !strings.Contains(out, "Rerun results: median of 6 runs ± 95% confidence interval; ratios against Scan") {
		t.Errorf("the benchmark rerun shows %q", out)
	}
	inView(t, tb, "#snippet-lookup", "the reader's rerun")
	rerun := `#snippet-lookup [data-reader-run] `
	// One layout: the rerun's report is built as the author's is, to the
	// class of every element (the figures differ, the structure does not).
	shape := func(sel string) string {
		// Cells and their kinds; what depends on the figures (noisy, better,
		// worse, the spans inside a cell) aside.
		return eval[string](tb, `(function(){var r=document.querySelector("`+sel+`");return [...r.querySelectorAll(".bench-table thead *, .bench-table tbody th, .bench-table tbody td, .bench-table caption, .bench-glossary")]
			.map(e => e.tagName + "." + e.className.replace(/\bbench-(better|worse|same)\b/g, "").trim()).join(" ")})()`)
	}
	if got, want := shape(rerun+".bench"), shape("#snippet-lookup > .bench:not([data-reader-run])"); got != want {
		t.Errorf("the rerun's report is shaped\n%s\nthe author's\n%s", got, want)
	}
	if eval[bool](tb, `document.querySelector("`+rerun+`details.bench-glossary").open || document.querySelector("#snippet-lookup > .bench details.bench-glossary").open`) {
		t.Error("a benchmark report's glossary is open: want it folded")
	}
	heads := eval[[]string](tb, `[...document.querySelectorAll("`+rerun+`thead th")].map(h => h.textContent)`)
	authorHeads := eval[[]string](tb, `[...document.querySelectorAll("#snippet-lookup > .bench:not([data-reader-run]) thead th")].map(h => h.textContent)`)
	if strings.Join(heads, "|") != strings.Join(authorHeads, "|") {
		t.Errorf("the rerun's columns are %q, the author's %q", heads, authorHeads)
	}
	rows := eval[[][]string](tb, `[...document.querySelectorAll("`+rerun+`tbody tr")].map(r => [...r.children].map(c => c.textContent))`)
	if len(rows) != 2 || rows[0][0] != "Scan" || rows[1][0] != "Lookup" {
		t.Fatalf("the rerun's rows are %q, want Scan (the baseline) and Lookup", rows)
	}
	value := regexp.MustCompile(`^\d[\d.]* [nµm]?s/op (±\d+%|\d[\d.]* [nµm]?s to \d[\d.]* [nµm]?s noisy, ±\d+%)$`)
	for _, r := range rows {
		if !value.MatchString(r[1]) {
			t.Errorf("%s's time reads %q, want a median with its unit and ± interval or range, as the author's report", r[0], r[1])
		}
	}
	if rows[0][2] != "baseline" {
		t.Errorf("Scan's ratio cell reads %q, want baseline", rows[0][2])
	}
	if !regexp.MustCompile(`^0\.\d+× p=0\.\d{3} n=6$`).MatchString(rows[1][2]) {
		t.Errorf("Lookup's ratio cell reads %q, want a ratio below 1× with its p-value, as the author's report", rows[1][2])
	}
	if got := eval[string](tb, `document.querySelector("`+rerun+`tbody tr:last-child .bench-ratio").className`); !strings.Contains(got, "bench-better") {
		t.Errorf("Lookup's ratio is styled %q, want bench-better", got)
	}
	if !strings.Contains(out, "0 B/op, 0 allocs/op") {
		t.Errorf("the rerun does not say that nothing was allocated, as the author's legend does: %q", out)
	}
	screenshot(t, tb, "#snippet-lookup [data-reader-run]", "bench-rerun")
	problems()

	// Accessibility of the controls and the reader's output, when axe is here.
	if axe, err := os.ReadFile(filepath.Join(repoRoot(t), ".cache/npm/node_modules/axe-core/axe.min.js")); err == nil {
		tb.do(chromedp.Click(chromedp.CSS(ring + " .pg-edit")))
		for _, theme := range []string{"light", "dark"} {
			violations := eval[[]string](tb, string(axe)+`;document.documentElement.dataset.theme = "`+theme+`";
				axe.run(document.querySelector("`+ring+`").parentNode, {resultTypes: ["violations"]}).then(r => r.violations.map(v =>
				v.id + ": " + v.help + " " + v.nodes.slice(0, 4).map(n => n.target.join(" ")).join(", ")))`)
			for _, v := range violations {
				t.Errorf("axe, %s theme, while editing: %s", theme, v)
			}
		}
	}

	// Narrow screens: the editor and the reader's output scroll inside
	// themselves, never the page; the result, and the rerun's report, are
	// where the reader is looking.
	tb.viewport(360, 740, true)
	tb.open(post)
	tb.do(chromedp.WaitVisible(chromedp.CSS(ring + " .pg-edit")))
	tb.do(chromedp.Click(chromedp.CSS(ring + " .pg-edit")))
	tb.do(chromedp.Click(chromedp.CSS(ring + " .pg-run")))
	poll(`(function(){return document.querySelector("` + ring + ` [data-reader-run]")&&!document.querySelector("` + ring + `[aria-busy]")?"done":null})()`)
	if w := eval[[]int](tb, `[document.documentElement.scrollWidth, window.innerWidth]`); w[0] > w[1] {
		t.Errorf("editing at 360 px, the page scrolls sideways: content is %d px wide", w[0])
	}
	inView(t, tb, ring, "the reader's run at 360 px")
	tb.do(chromedp.Click(chromedp.CSS("#snippet-lookup .pg-run")))
	poll(`(function(){return document.querySelector("#snippet-lookup [data-reader-run]")&&!document.querySelector("#snippet-lookup[aria-busy]")?"done":null})()`)
	inView(t, tb, "#snippet-lookup", "the reader's rerun at 360 px")
	tb.viewport(1280, 900, false)

	// The server down: no buttons that cannot work, and the block says
	// why, where the buttons were.
	cancel()
	<-served
	served <- nil // for the cleanup's receive
	serverDown = true
	tb.take()
	tb.do(chromedp.Navigate(base + post))
	tb.settle()
	msg := poll(`(function(){var b=document.querySelector("` + ring + ` .pg-bar[data-down] .pg-status");return b?b.textContent:null})()`)
	if !strings.Contains(msg, "unavailable") || !strings.Contains(msg, pln.Addr().String()) || !strings.Contains(msg, "author's") {
		t.Errorf("with the server down the block says %q, want that Edit and Run are unavailable, the server, and whose output is shown", msg)
	}
	if n := eval[int](tb, `document.querySelectorAll(".pg-bar .pg-run:not([hidden]), .pg-bar .pg-edit:not([hidden])").length`); n != 0 {
		t.Errorf("with the server down %d Run or Edit buttons are offered", n)
	}
	problems()

	// JavaScript off: the page the build wrote, no buttons.
	if _, err := chromedp.Call(tb.step(), emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	tb.open(post)
	html, err := chromedp.Run(tb.step(), chromedp.OuterHTML(chromedp.CSS(ring)))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(html, "pg-bar") || strings.Contains(html, "pg-editor") {
		t.Error("with JavaScript off the block has Edit and Run controls")
	}
	problems()
}

// inView checks that the reader's result in the live block sel is where
// the reader is looking: its top inside the window, right below the
// block's buttons, and focused when the reader pressed the button.
func inView(t *testing.T, tb *tab, sel, what string) {
	t.Helper()
	// Let a smooth scroll finish: wait until two frames apart the page no
	// longer moves.
	if _, err := chromedp.Run(tb.step(), chromedp.Poll[bool](`new Promise(r => { var y = scrollY; requestAnimationFrame(() => requestAnimationFrame(() => r(scrollY === y))); })`,
		chromedp.WithPollingTimeout(testdeadline.Scale(10*time.Second)))); err != nil {
		t.Fatalf("the page never stopped scrolling: %v", err)
	}
	r := eval[[]any](tb, `(function(){var o=document.querySelector("`+sel+` [data-reader-run]"), b=document.querySelector("`+sel+` .pg-bar"), top=o.getBoundingClientRect().top;
		return [top, innerHeight, b.nextElementSibling === o, document.activeElement === o];})()`)
	top, h := r[0].(float64), r[1].(float64)
	if top < 0 || top > h*0.7 {
		t.Errorf("%s starts at %.0f px in a %.0f px window: want it in view", what, top, h)
	}
	if r[2] != true {
		t.Errorf("%s is not right below the block's buttons", what)
	}
	if r[3] != true {
		t.Errorf("%s does not have the focus after the reader pressed the button", what)
	}
}

// buildWithPlayground builds testdata/site.txtar with playground.url set.
func buildWithPlayground(t *testing.T, url string) string {
	t.Helper()
	ar, err := txtar.ParseFile("testdata/site.txtar")
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	for _, f := range ar.Files {
		data := f.Data
		if f.Name == "config.yaml" {
			// A new slice: f.Data shares the archive's bytes with the next file.
			data = []byte(string(f.Data) + "playground:\n  url: " + url + "\n")
		}
		p := filepath.Join(root, f.Name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return buildDir(t, root, fakeRunner{})
}

// screenshot writes the viewport, scrolled to sel, in the light and the
// dark theme, next to the theme suite's screenshots.
func screenshot(t *testing.T, tb *tab, sel, name string) {
	t.Helper()
	out := os.Getenv("BENCHPRESS_SCREENSHOTS")
	if out == "" {
		out = filepath.Join(repoRoot(t), "screenshots")
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, theme := range []string{"light", "dark"} {
		eval[chromedp.Void](tb, `document.documentElement.dataset.theme = "`+theme+`"; document.querySelector("`+strings.ReplaceAll(sel, `"`, `\"`)+`").scrollIntoView({block: "center"})`)
		img, err := chromedp.Run(tb.step(), chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, name+"-"+theme+".png"), img, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	eval[chromedp.Void](tb, `delete document.documentElement.dataset.theme`)
}
