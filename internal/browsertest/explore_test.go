package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"golang.org/x/tools/txtar"

	"github.com/benchpress/benchpress/internal/testdeadline"
	"github.com/benchpress/benchpress/playground"
)

// exploreSite is a post with two explorable blocks: a small grid whose
// states are in the page (a slider and a select), and a plot grid large
// enough that its states are in a JSON file beside the page.
const exploreSite = `-- config.yaml --
title: Explore
baseURL: http://127.0.0.1/
-- content/posts/ring.md --
---
title: Rings
date: 2026-01-01
---

Move the controls.

` + "```go run name=grid params=\"vnodes=1,10,100; mode=fast,safe\" default=\"vnodes=10; mode=safe\"" + `
vnodes := flag.Int("vnodes", 1, "")
mode := flag.String("mode", "", "")
flag.Parse()
fmt.Println(*vnodes, *mode)
` + "```" + `

And the plot:

` + "```go run name=lumps params=\"vnodes=1,4,16,64; nodes=5,10,20,40\" default=\"vnodes=4; nodes=10\" plot=bar x=node y=load ylabel=\"keys / fair share\"" + `
fmt.Println("node,load")
` + "```" + `
`

// exploreRunner answers each combination with output that names it: the
// grid block prints its flags, the plot block one bar per node whose
// length depends on vnodes.
type exploreRunner struct{}

func (exploreRunner) RunAll(ctx context.Context, ps []playground.Program, progress func(playground.Progress)) ([]playground.Result, []error) {
	res := make([]playground.Result, len(ps))
	for i, p := range ps {
		var out strings.Builder
		if strings.Contains(p.ID, "#lumps") {
			var v, n int
			fmt.Sscanf(p.Args[0], "-vnodes=%d", &v)
			fmt.Sscanf(p.Args[1], "-nodes=%d", &n)
			out.WriteString("node,load\n")
			for k := range n {
				fmt.Fprintf(&out, "cache-%02d,%.2f\n", k, 1+float64((k*7)%5-2)/float64(2*v))
			}
			fmt.Fprintf(&out, "# %d points on the ring\n", v*n)
		} else {
			fmt.Fprintf(&out, "ran with %s\n", strings.Join(p.Args, " "))
		}
		res[i] = playground.Result{Status: playground.StatusOK, Duration: 3 * time.Millisecond,
			Events: []playground.Event{{Stream: playground.Stdout, Data: out.String()}}}
	}
	return res, make([]error, len(ps))
}

// TestExplore moves an explorable block's controls by keyboard and checks
// that the output shown is the run of the combination picked, at 360 and
// 1280 px in the light and the dark theme, with nothing wider than the
// window and axe clean; without JavaScript the default run is shown, named.
func TestExplore(t *testing.T) {
	skipShort(t)
	root := t.TempDir()
	writeTxtar(t, root, exploreSite)
	dir := buildDir(t, root, exploreRunner{})
	if _, err := os.Stat(filepath.Join(dir, "posts/ring/snippet-lumps.json")); err != nil {
		t.Fatalf("the plot grid's states are not in a file beside the page: %v", err)
	}
	axe, err := os.ReadFile(npmFile(t, "axe-core/axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	base := serve(t, dir)
	bctx := startBrowser(t)
	const post = "/posts/ring/"

	poll := func(t *testing.T, tb *tab, js string) string {
		t.Helper()
		v, err := chromedp.Run(tb.step(), chromedp.Poll[string](js, chromedp.WithPollingTimeout(testdeadline.Scale(30*time.Second))))
		if err != nil {
			t.Fatalf("waiting for %.120q: %v", js, err)
		}
		return v
	}
	// shown is the state on show in a block once it is key, and its text.
	shown := func(t *testing.T, tb *tab, block, key string) string {
		t.Helper()
		return poll(t, tb, `(function(){var s=document.querySelector("#`+block+` .explore-state");
			return s.getAttribute("data-state")===`+jsString(key)+` ? s.innerText : null})()`)
	}
	caption := func(tb *tab, block string) string {
		return eval[string](tb, `document.querySelector("#`+block+` .explore-shown").textContent`)
	}

	for _, scheme := range []string{"light", "dark"} {
		for _, lw := range []struct {
			w, h   int64
			mobile bool
		}{{360, 740, true}, {1280, 900, false}} {
			t.Run(fmt.Sprintf("%s %dpx", scheme, lw.w), func(t *testing.T) {
				tb := newTab(t, bctx, base)
				tb.viewport(lw.w, lw.h, lw.mobile)
				tb.colorScheme(scheme)
				tb.open(post)
				eval[chromedp.Void](tb, `document.documentElement.dataset.theme = "`+scheme+`"`)
				if eval[bool](tb, `document.querySelector("#snippet-grid .explore-controls").hidden`) {
					t.Fatal("the controls are still hidden with JavaScript on")
				}
				if got := shown(t, tb, "snippet-grid", "vnodes=10;mode=safe"); !strings.Contains(got, "ran with -vnodes=10 -mode=safe\n") {
					t.Errorf("the default state shows %q", got)
				}

				// The slider: one step right is vnodes=100, the real run's output.
				tb.do(chromedp.Focus(chromedp.CSS("#snippet-grid-param-1")))
				tb.do(chromedp.KeyEvent(kb.ArrowRight))
				if got := shown(t, tb, "snippet-grid", "vnodes=100;mode=safe"); !strings.Contains(got, "ran with -vnodes=100 -mode=safe\n") || !strings.Contains(got, "exit 0") {
					t.Errorf("after ArrowRight on the slider the block shows %q, want the run with -vnodes=100 -mode=safe and its status", got)
				}
				if c := caption(tb, "snippet-grid"); !strings.HasPrefix(c, "Run with vnodes=100, mode=safe (1 of 6 runs") {
					t.Errorf("the live region says %q", c)
				}
				if v := eval[string](tb, `document.querySelector("#snippet-grid-param-1").getAttribute("aria-valuetext")`); v != "100" {
					t.Errorf("the slider's aria-valuetext is %q, want 100", v)
				}
				// The select: Home picks its first value.
				tb.do(chromedp.Focus(chromedp.CSS("#snippet-grid-param-2")))
				tb.do(chromedp.KeyEvent(kb.Home))
				if got := shown(t, tb, "snippet-grid", "vnodes=100;mode=fast"); !strings.Contains(got, "ran with -vnodes=100 -mode=fast\n") {
					t.Errorf("after Home on the select the block shows %q", got)
				}

				// The plot grid, from its file: two steps left is vnodes=1.
				before := eval[string](tb, `document.querySelector("#snippet-lumps .plot-y-ticks, #snippet-lumps .plot-ticks").outerHTML`)
				tb.do(chromedp.Focus(chromedp.CSS("#snippet-lumps-param-1")))
				tb.do(chromedp.KeyEvent(kb.ArrowLeft))
				got := shown(t, tb, "snippet-lumps", "vnodes=1;nodes=10")
				if !strings.Contains(got, "10 points on the ring") {
					t.Errorf("after ArrowLeft on the plot's slider it shows %q, want the run with vnodes=1 (10 points)", got)
				}
				rows := eval[float64](tb, `document.querySelectorAll("#snippet-lumps .explore-state .plot-data tbody tr").length`)
				if rows != 10 {
					t.Errorf("the plot's table has %v rows, want the run's 10 nodes", rows)
				}
				after := eval[string](tb, `document.querySelector("#snippet-lumps .plot-y-ticks, #snippet-lumps .plot-ticks").outerHTML`)
				if before != after {
					t.Errorf("the plot's axis changed between states:\n%s\n%s", before, after)
				}

				m := eval[[]any](tb, fmt.Sprintf(overflowJS, lw.w))
				if sw, w := m[0].(float64), m[1].(float64); sw > w || w > float64(lw.w) {
					t.Errorf("the page is %.0f px wide in a %d px window: %v", sw, lw.w, m[2:])
				}
				for _, p := range eval[[]string](tb, chartJS) {
					t.Error(p)
				}
				eval[chromedp.Void](tb, string(axe))
				violations := eval[[]string](tb, `axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v =>
					v.id + " (" + v.impact + "): " + v.help + "\n\t" + v.nodes.slice(0, 6).map(n => n.target.join(" ") + ": " + n.failureSummary.replace(/\n/g, " ")).join("\n\t")))`)
				for _, v := range violations {
					t.Errorf("axe: %s", v)
				}
				for _, p := range tb.take() {
					t.Error(p)
				}
				if scheme == "light" {
					screenshot(t, tb, "#snippet-grid", fmt.Sprintf("explore-%d", lw.w))
				}
			})
		}
	}

	t.Run("without JavaScript", func(t *testing.T) {
		tb := newTab(t, bctx, base)
		if _, err := chromedp.Call(tb.step(), emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatal(err)
		}
		tb.open(post)
		state := eval[[]any](tb, `[document.querySelector("#snippet-grid .explore-controls").offsetParent === null,
			document.querySelector("#snippet-grid .explore-state").innerText, document.querySelector("#snippet-grid .explore-shown").innerText]`)
		if state[0] != true || !strings.Contains(state[1].(string), "ran with -vnodes=10 -mode=safe") || !strings.HasPrefix(state[2].(string), "Run with vnodes=10, mode=safe") {
			t.Errorf("without JavaScript: [controls hidden, output, caption] = %q", state)
		}
	})
}

func jsString(s string) string { return fmt.Sprintf("%q", s) }

// writeTxtar writes a txtar archive's files under root.
func writeTxtar(t *testing.T, root, archive string) {
	t.Helper()
	for _, f := range txtar.Parse([]byte(archive)).Files {
		p := filepath.Join(root, f.Name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
