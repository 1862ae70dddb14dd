package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/benchpress/benchpress/internal/testdeadline"
)

// chromiumPath finds Debian's chromium (CHROMIUM overrides).
func chromiumPath(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	need(t, "chromium not found")
	return ""
}

// startBrowser starts one headless Chromium for a test, with a fresh
// profile and every background connection turned off: the only requests
// it makes are the pages' own.
func startBrowser(t testing.TB) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true), // identical screenshots whatever the platform's scrollbars
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return ctx
}

// tab is one browser tab that records what must never happen on a page:
// console errors, uncaught exceptions, failed requests, HTTP errors and
// requests to anywhere but the test server.
type tab struct {
	t    testing.TB
	ctx  context.Context
	base string

	mu       sync.Mutex
	problems []string
	urls     map[network.RequestID]string
	allow404 string // the document URL expected to answer 404
}

func newTab(t testing.TB, browserCtx context.Context, base string) *tab {
	t.Helper()
	tb := &tab{t: t, base: base, urls: map[network.RequestID]string{}}
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithListener(tb.onEvent))
	t.Cleanup(cancel)
	tb.ctx = ctx
	// The first step opens the tab, whose message loop lives as long as
	// that step's context: the tab's own, with a timer for a deadline.
	stalled := time.AfterFunc(stepTimeout(), cancel)
	err := chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Call(ctx, network.Enable, network.EnableParams{})
			if err == nil {
				_, err = chromedp.Call(ctx, cdplog.Enable, struct{}{})
			}
			return err
		}),
		chromedp.EmulateViewport(1280, 900),
	)
	if !stalled.Stop() {
		t.Fatalf("opening a tab took more than %v", stepTimeout())
	}
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

// stepTimeout bounds each step a tab takes (a navigation, a script, an axe
// run, a poll), rather than a tab's whole life: a test that checks more
// pages takes more steps, and a slow machine takes longer over each, but
// a step that hangs still fails. Scaled to the machine's load.
func stepTimeout() time.Duration { return testdeadline.Scale(2 * time.Minute) }

// step returns the context for one step of the tab, with its deadline.
func (tb *tab) step() context.Context {
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout())
	tb.t.Cleanup(cancel)
	return ctx
}

// local reports whether a request stays on this machine: 127.0.0.1 (any
// port: the site, or a playground server a test starts), or no network at
// all (data:, blob:, about:).
func (tb *tab) local(u string) bool {
	pu, err := url.Parse(u)
	if err != nil {
		return false
	}
	switch pu.Scheme {
	case "data", "blob", "about":
		return true
	case "http", "https", "ws", "wss":
		return pu.Hostname() == "127.0.0.1"
	}
	return false
}

// onEvent runs in the tab's message loop: it must return fast.
func (tb *tab) onEvent(ev any) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	add := func(format string, args ...any) { tb.problems = append(tb.problems, fmt.Sprintf(format, args...)) }
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		tb.urls[ev.RequestID] = ev.Request.URL
		if !tb.local(ev.Request.URL) {
			add("request leaves 127.0.0.1: %s", ev.Request.URL)
		}
	case *network.EventResponseReceived:
		if ev.Response.Status >= 400 && !(ev.Type == network.ResourceTypeDocument && ev.Response.URL == tb.allow404) {
			add("HTTP %d for %s", ev.Response.Status, ev.Response.URL)
		}
	case *network.EventLoadingFailed:
		if !ev.Canceled {
			add("request failed: %s: %s %s", tb.urls[ev.RequestID], ev.ErrorText, ev.BlockedReason)
		}
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var args []string
			for _, a := range ev.Args {
				if a.Description != "" {
					args = append(args, a.Description)
				} else {
					args = append(args, string(a.Value))
				}
			}
			add("console.%s: %s", ev.Type, strings.Join(args, " "))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil {
			msg += " " + d.Exception.Description
		}
		add("uncaught exception at %s:%d: %s", d.URL, d.LineNumber+1, msg)
	case *cdplog.EventEntryAdded:
		e := ev.Entry
		if e.Level == cdplog.EntryLevelError && !(tb.allow404 != "" && e.URL == tb.allow404) {
			add("console error: %s (%s)", e.Text, e.URL)
		}
	}
}

// take returns and clears the problems seen so far.
func (tb *tab) take() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	p := tb.problems
	tb.problems = nil
	return p
}

func (tb *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.step(), steps...); err != nil {
		tb.t.Fatal(err)
	}
}

// open loads a site path and fails the test for every problem the load
// caused.
func (tb *tab) open(path string) {
	tb.t.Helper()
	tb.take()
	tb.do(chromedp.Navigate(tb.base + path))
	tb.settle()
	for _, p := range tb.take() {
		tb.t.Errorf("%s: %s", path, p)
	}
}

// settle lets late events (deferred scripts, log entries) arrive.
func (tb *tab) settle() {
	tb.do(chromedp.Sleep(150 * time.Millisecond))
}

// eval evaluates JavaScript, awaiting a promise result, into T.
func eval[T any](tb *tab, js string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.step(), chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("evaluating %.80q: %v", js, err)
	}
	return v
}

func (tb *tab) colorScheme(scheme string) {
	tb.t.Helper()
	if _, err := chromedp.Call(tb.step(), emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
	}); err != nil {
		tb.t.Fatal(err)
	}
}

func (tb *tab) viewport(w, h int64, mobile bool) {
	tb.t.Helper()
	if mobile {
		tb.do(chromedp.EmulateViewport(w, h, chromedp.EmulateMobile))
	} else {
		tb.do(chromedp.EmulateViewport(w, h))
	}
}

// pagesOf picks the pages the detailed checks use: the richest post (TOC,
// live output, code), a tag page.
type sitePages struct {
	post, tag string
	all       []string
}

func pickPages(t *testing.T, dir string) sitePages {
	t.Helper()
	sp := sitePages{all: htmlPages(t, dir)}
	best := -1
	for _, p := range sp.all {
		b, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p), "index.html"))
		s := string(b)
		switch {
		case strings.Contains(s, `class="kind-post"`):
			score := strings.Count(s, `class="toc"`)*1000 + strings.Count(s, `class="live live-bench`)*50 +
				strings.Count(s, `output-compile-error`)*50 + strings.Count(s, `class="live `)*10 + strings.Count(s, `<pre class="chroma`)
			if score > best {
				best, sp.post = score, p
			}
		case strings.Contains(s, `class="kind-tag"`) && sp.tag == "":
			sp.tag = p
		}
	}
	if sp.post == "" || sp.tag == "" {
		t.Fatalf("site has no post or no tag page: %v", sp.all)
	}
	return sp
}

// TestBrowser loads the built site in headless Chromium and checks what a
// reader sees and does. One browser serves every subtest.
func TestBrowser(t *testing.T) {
	skipShort(t)
	bctx := startBrowser(t)
	dir, name := siteUnderTest(t)
	t.Logf("testing the %s", name)
	base := serve(t, dir)
	sp := pickPages(t, dir)

	t.Run("every page", func(t *testing.T) {
		tb := newTab(t, bctx, base)
		withCode := 0
		for _, p := range sp.all {
			if p == "/404.html" {
				continue
			}
			tb.colorScheme("light")
			tb.viewport(1280, 900, false)
			tb.open(p)
			if checkRenderBlocking(t, tb, p) {
				withCode++
			}
			checkLayout(t, tb, p)
		}
		if withCode == 0 {
			t.Error("no page shows code: the check of the inlined highlighting stylesheet did not run")
		}
		tb.colorScheme("light")
		tb.allow404 = base + "/no/such/page/"
		tb.viewport(1280, 900, false)
		tb.open("/no/such/page/")
		if h := eval[string](tb, `document.querySelector("h1").textContent`); !strings.Contains(h, "not found") {
			t.Errorf("missing page shows %q, want the 404 page", h)
		}
		checkLayout(t, tb, "/no/such/page/")
		tb.viewport(1280, 900, false)
		tb.colorScheme("light")
	})

	t.Run("no flash of the wrong theme", func(t *testing.T) {
		// The stored theme is applied by an inline script in <head>, before
		// any stylesheet, so the first paint already has it.
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(sp.post), "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		script, css := strings.Index(s, `localStorage.getItem("theme")`), strings.Index(s, `rel="stylesheet"`)
		if script < 0 || css < 0 || script > css || script > strings.Index(s, "</head>") {
			t.Errorf("the inline theme script must come before the first stylesheet in <head> (script at %d, stylesheet at %d)", script, css)
		}
	})

	t.Run("theme toggle", func(t *testing.T) {
		tb := newTab(t, bctx, base)
		tb.colorScheme("light")
		tb.open(sp.post)
		eval[chromedp.Void](tb, `localStorage.clear()`)
		tb.open(sp.post)
		bg := func() string { return eval[string](tb, `getComputedStyle(document.body).backgroundColor`) }
		light := bg()
		tb.do(chromedp.Click(chromedp.CSS(".theme-toggle")))
		if got := eval[string](tb, `document.documentElement.dataset.theme + " " + localStorage.getItem("theme")`); got != "dark dark" {
			t.Errorf("after one click: data-theme and stored theme = %q, want dark dark", got)
		}
		dark := bg()
		if dark == light {
			t.Errorf("the toggle did not change the background (%s)", light)
		}
		tb.open(sp.post)
		if got := bg(); got != dark {
			t.Errorf("after reload the background is %s, want the dark %s", got, dark)
		}
		if got := eval[string](tb, `document.querySelector(".theme-toggle").getAttribute("aria-pressed")`); got != "true" {
			t.Errorf("aria-pressed = %q in the dark theme, want true", got)
		}
		// A stored choice wins over the system's; without one the system rules.
		tb.do(chromedp.Click(chromedp.CSS(".theme-toggle")))
		tb.colorScheme("dark")
		tb.open(sp.post)
		if got := bg(); got != light {
			t.Errorf("stored light under a dark system: background %s, want %s", got, light)
		}
		eval[chromedp.Void](tb, `localStorage.clear()`)
		tb.open(sp.post)
		if got := bg(); got != dark {
			t.Errorf("no stored choice under a dark system: background %s, want %s", got, dark)
		}
		tb.colorScheme("light")
	})

	t.Run("copy button", func(t *testing.T) {
		tb := newTab(t, bctx, base)
		origin := base
		for _, name := range []string{"clipboard-read", "clipboard-write"} {
			if _, err := chromedp.CallBrowser(tb.step(), browser.SetPermission, browser.SetPermissionParams{
				Permission: &browser.PermissionDescriptor{Name: name, AllowWithoutSanitization: true},
				Setting:    browser.PermissionSettingGranted, Origin: origin,
			}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := chromedp.Call(tb.step(), emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
			t.Fatal(err)
		}
		tb.open(sp.post)
		// copy clicks the button of the block sel names and returns what
		// the clipboard then holds.
		copy := func(sel string) string {
			t.Helper()
			btn := sel + " .copy-button"
			tb.do(chromedp.Click(chromedp.CSS(btn)))
			label, err := chromedp.Run(tb.step(), chromedp.Poll[string](`(function(){var b=document.querySelector("`+btn+`");return b.hasAttribute("data-copied")?b.textContent:null})()`, chromedp.WithPollingTimeout(testdeadline.Scale(5*time.Second))))
			if err != nil {
				t.Fatalf("the copy button of %s never showed it copied: %v", sel, err)
			}
			if label != "Copied" {
				t.Errorf("copy button says %q after a copy, want Copied", label)
			}
			return eval[string](tb, `navigator.clipboard.readText()`)
		}
		// A code block of the prose: its code, as shown.
		if eval[bool](tb, `!!document.querySelector(".prose > .code-block")`) {
			want := eval[string](tb, `document.querySelector(".prose > .code-block pre code").textContent`)
			if got := copy(".prose > .code-block"); strings.TrimRight(got, "\n") != strings.TrimRight(want, "\n") || got == "" {
				t.Errorf("clipboard holds %q, want the block's code %q", got, want)
			}
		}
		// A live block: the complete program the build ran, which compiles
		// as it is (package clause, imports and hidden setup included).
		live := eval[string](tb, `(function(){var b=document.querySelector(".live .code-block");return b?"#"+b.closest(".live").id:""})()`)
		if live == "" {
			t.Fatalf("%s has no live block with a copy button", sp.post)
		}
		if label := eval[string](tb, `document.querySelector("`+live+` .copy-button").textContent`); label != "Copy program" {
			t.Errorf("a live block's copy button says %q, want Copy program", label)
		}
		// The page carries the program's other lines; the shown ones go
		// back in where the template says.
		want := eval[string](tb, `window.benchpressProgram(document.querySelector("`+live+`"))`)
		rest := eval[string](tb, `document.querySelector("`+live+` > template.live-program").content.textContent`)
		shown := strings.TrimSuffix(eval[string](tb, `document.querySelector("`+live+` pre code").textContent`), "\n")
		got := copy(live)
		if got != want || !strings.HasPrefix(got, "package ") || !strings.Contains(got, shown) || len(got) <= len(shown) || len(got) < len(rest) {
			t.Errorf("copying live block %s put %q on the clipboard, want its complete program %q (shown lines %q)", live, got, want, shown)
		}
		for _, p := range tb.take() {
			t.Error(p)
		}
	})

	t.Run("print", func(t *testing.T) {
		// Every post printed from a system in dark mode, with and without
		// the dark theme chosen: black on white, charts whole, headings
		// with what follows, margins.
		tb := newTab(t, bctx, base)
		for _, p := range postPages(sp.all) {
			tb.viewport(1280, 900, false)
			tb.open(p)
			checkPrint(t, tb, p)
		}
	})

	t.Run("wide figures", func(t *testing.T) {
		// On a wide screen figures and live blocks may take more than the
		// text column; never more than the window.
		tb := newTab(t, bctx, base)
		for _, w := range []int64{1280, 1920} {
			tb.viewport(w, 900, false)
			tb.open(sp.post)
			r := eval[[]any](tb, wideJS)
			if r[0].(float64) == 0 {
				t.Errorf("%s at %d px: no figure or live block is wider than the text column", sp.post, w)
			}
			if r[1].(string) != "" {
				t.Errorf("%s at %d px: blocks reach past the window: %s", sp.post, w, r[1])
			}
		}
		tb.viewport(1280, 900, false)
	})

	t.Run("table of contents", func(t *testing.T) {
		tb := newTab(t, bctx, base)
		tb.open(sp.post)
		ids := eval[[]string](tb, `Array.from(document.querySelectorAll(".toc a")).map(a => a.getAttribute("href").slice(1))`)
		if len(ids) == 0 {
			t.Fatalf("%s has no TOC links", sp.post)
		}
		for _, id := range ids {
			tb.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`.toc a[href="#%s"]`, id))))
			// Two frames: the jump, then the TOC's scroll handler.
			eval[chromedp.Void](tb, `new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))`)
			// The heading is at the top, or the page is scrolled to its end
			// with the heading in view.
			pos := eval[[]float64](tb, fmt.Sprintf(`(function(){
				var h = document.getElementById(%q), r = h.getBoundingClientRect();
				var end = Math.ceil(window.scrollY + window.innerHeight) >= document.documentElement.scrollHeight - 1;
				var cur = document.querySelector(".toc a[aria-current]");
				return [r.top, end ? 1 : 0, window.innerHeight, location.hash === "#" + h.id ? 1 : 0,
					cur && cur.getAttribute("href") === "#" + h.id ? 1 : 0];
			})()`, id))
			top, atEnd, height, hash, current := pos[0], pos[1] == 1, pos[2], pos[3] == 1, pos[4] == 1
			if !hash || top < -1 || (top > 64 && !(atEnd && top < height-20)) {
				t.Errorf("TOC link #%s: heading at %.0f px (page end: %v, hash set: %v), want it at the top", id, top, atEnd, hash)
			}
			if top <= 64 && !atEnd && !current {
				t.Errorf("TOC link #%s: its heading is at the top but the TOC does not mark it as the current section", id)
			}
		}
		// Wide: the TOC stays in view while the reader scrolls.
		top := eval[float64](tb, `window.scrollTo(0, document.documentElement.scrollHeight / 2), document.querySelector(".toc").getBoundingClientRect().top`)
		if top < 0 {
			t.Errorf("the TOC scrolled out of view on a wide screen (top %.0f px): want it sticky", top)
		}
		// Narrow: the TOC starts collapsed.
		tb.viewport(360, 740, true)
		tb.open(sp.post)
		if open := eval[bool](tb, `document.querySelector(".toc details").open`); open {
			t.Error("the TOC is expanded at 360 px: want it collapsed")
		}
	})

	t.Run("search", func(t *testing.T) {
		tb := newTab(t, bctx, base)
		tb.open("/")
		var index [][4]string // title, URL, date, subtitle
		b, err := os.ReadFile(filepath.Join(dir, "search", "d0.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &index); err != nil || len(index) == 0 {
			t.Fatalf("search/d0.json: %v (%d entries)", err, len(index))
		}
		// Search for the longest word of the first post's title.
		query := ""
		for _, w := range strings.Fields(strings.ToLower(index[0][0])) {
			w = strings.Trim(w, ",.:;!?\"'()")
			if len(w) > len(query) {
				query = w
			}
		}
		tb.do(chromedp.SendKeys(chromedp.ID("search-input"), query))
		hrefs, err := chromedp.Run(tb.step(), chromedp.Poll[[]string](`(function(){var l=document.querySelectorAll("#search-results a");return l.length?Array.from(l).map(a=>a.getAttribute("href")):null})()`, chromedp.WithPollingTimeout(testdeadline.Scale(5*time.Second))))
		if err != nil {
			t.Fatalf("searching %q showed no results: %v", query, err)
		}
		found := false
		for _, h := range hrefs {
			found = found || h == index[0][1]
		}
		if !found {
			t.Errorf("searching %q: results %v, want %s among them", query, hrefs, index[0][1])
		}
		// The arrow keys walk from the box into the results and back.
		tb.do(chromedp.KeyEvent(kb.ArrowDown))
		if got := eval[string](tb, `document.activeElement.getAttribute("href") || document.activeElement.id`); got != hrefs[0] {
			t.Errorf("ArrowDown in the search box focused %q, want the first result %s", got, hrefs[0])
		}
		tb.do(chromedp.KeyEvent(kb.ArrowUp))
		if got := eval[string](tb, `document.activeElement.id`); got != "search-input" {
			t.Errorf("ArrowUp on the first result focused %q, want the search box", got)
		}
		// Enter opens the archive page with the results (also the no-JS path).
		if _, err := chromedp.Run(tb.step(), chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.SendKeys(chromedp.ID("search-input"), "\r"))); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(tb.step(), chromedp.Poll[bool](`location.pathname.endsWith("/archive/") && document.querySelectorAll("#search-page a").length > 0`,
			chromedp.WithPollingTimeout(testdeadline.Scale(5*time.Second)))); err != nil {
			t.Errorf("the archive page shows no results for ?q=%s: %v", query, err)
		}
		for _, p := range tb.take() {
			t.Error(p)
		}
	})

	t.Run("without JavaScript", func(t *testing.T) {
		tb := newTab(t, bctx, base)
		if _, err := chromedp.Call(tb.step(), emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatal(err)
		}
		tb.viewport(360, 740, true)
		tb.open(sp.post)
		// The page reads as is: TOC open, no controls that need a script.
		state := eval[[]any](tb, `[document.querySelector(".toc details") ? document.querySelector(".toc details").open : true,
			getComputedStyle(document.querySelector(".theme-toggle")).display === "none", document.querySelectorAll(".copy-button").length,
			document.documentElement.scrollWidth <= window.innerWidth, document.querySelector(".post-body").innerText.length]`)
		if state[0] != true || state[1] != true || state[2] != float64(0) || state[3] != true || state[4].(float64) < 100 {
			t.Errorf("with JavaScript off: [TOC open, toggle hidden, copy buttons, fits 360 px, text length] = %v, want [true true 0 true >100]", state)
		}
	})

	t.Run("axe", func(t *testing.T) {
		axe, err := os.ReadFile(npmFile(t, "axe-core/axe.min.js"))
		if err != nil {
			t.Fatal(err)
		}
		tb := newTab(t, bctx, base)
		tb.allow404 = base + "/no/such/page/"
		pages := append([]string{"/no/such/page/"}, sp.all...)
		for _, p := range pages {
			if p == "/404.html" {
				continue
			}
			tb.viewport(1280, 900, false)
			tb.open(p)
			eval[chromedp.Void](tb, string(axe))
			// Light at 1280 px, dark at 360 px: both themes and both
			// layouts (a table that scrolls only on a phone must be
			// reachable by keyboard), at the cost of one run per theme.
			for _, theme := range []string{"light", "dark"} {
				if theme == "dark" {
					tb.viewport(360, 740, true)
				}
				violations := eval[[]string](tb, `document.documentElement.dataset.theme = "`+theme+`";
					axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v =>
					v.id + " (" + v.impact + "): " + v.help + "\n\t" + v.nodes.slice(0, 6).map(n => n.target.join(" ") + ": " + n.failureSummary.replace(/\n/g, " ")).join("\n\t")))`)
				for _, v := range violations {
					t.Errorf("axe, %s, %s theme: %s", p, theme, v)
				}
			}
		}
		tb.viewport(1280, 900, false)
		eval[chromedp.Void](tb, `localStorage.clear()`)
	})

	t.Run("plots", func(t *testing.T) {
		// Every page with a plot, its data tables open (closed, axe and the
		// layout checks would skip them): at every width and in both
		// themes nothing overflows and the plot checks hold, axe finds
		// nothing at 1280 px (light) and 360 px (dark), the table holds
		// every row, and the CSV download is served.
		axe, err := os.ReadFile(npmFile(t, "axe-core/axe.min.js"))
		if err != nil {
			t.Fatal(err)
		}
		var pages []string
		for _, p := range sp.all {
			b, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p), "index.html"))
			if strings.Contains(string(b), `class="plot"`) {
				pages = append(pages, p)
			}
		}
		if len(pages) == 0 {
			t.Fatal("no page of the site has a plot")
		}
		tb := newTab(t, bctx, base)
		const openData = `document.querySelectorAll("details.plot-data").forEach(d => d.open = true), document.querySelectorAll(".plot").length`
		for _, p := range pages {
			tb.colorScheme("light")
			tb.viewport(1280, 900, false)
			tb.open(p)
			eval[float64](tb, openData)
			checkLayout(t, tb, p+" (data tables open)")
			problems := eval[[]string](tb, `Promise.all(Array.from(document.querySelectorAll(".plot")).map(function(pl){
				var rows = pl.querySelectorAll(".plot-table tbody tr").length, said = pl.querySelector(".plot-rows").textContent;
				var out = [];
				if (said !== "(" + rows + (rows === 1 ? " row)" : " rows)")) out.push(pl.parentElement.id + ": the summary says " + said + " but the table has " + rows + " rows");
				var a = pl.querySelector(".plot-download a");
				if (!a) return out.concat([pl.parentElement.id + ": no download link"]);
				var head = Array.from(pl.querySelectorAll(".plot-table thead th")).length;
				return fetch(a.href).then(function(r){ return r.text().then(function(body){
					if (r.status !== 200) out.push(a.href + ": HTTP " + r.status);
					var lines = body.split("\r\n").filter(function(l){ return l !== ""; });
					if (lines.length !== rows + 1) out.push(a.href + ": " + lines.length + " lines, want the header and " + rows + " rows");
					if (lines.length && lines[0].split(",").length < head) out.push(a.href + ": header " + JSON.stringify(lines[0]) + " has fewer than the table's " + head + " columns");
					return out;
				}); });
			})).then(function(all){ return [].concat.apply([], all); })`)
			for _, pr := range problems {
				t.Errorf("%s: %s", p, pr)
			}
			tb.viewport(1280, 900, false)
			tb.open(p)
			eval[float64](tb, openData)
			eval[chromedp.Void](tb, string(axe))
			for _, theme := range []string{"light", "dark"} {
				if theme == "dark" {
					tb.viewport(360, 740, true)
				}
				violations := eval[[]string](tb, `document.documentElement.dataset.theme = "`+theme+`";
					axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v =>
					v.id + " (" + v.impact + "): " + v.help + "\n\t" + v.nodes.slice(0, 6).map(n => n.target.join(" ") + ": " + n.failureSummary.replace(/\n/g, " ")).join("\n\t")))`)
				for _, v := range violations {
					t.Errorf("axe, %s with its data tables open, %s theme: %s", p, theme, v)
				}
			}
		}
		tb.viewport(1280, 900, false)
		tb.colorScheme("light")
	})

	t.Run("screenshots", func(t *testing.T) {
		out := os.Getenv("BENCHPRESS_SCREENSHOTS")
		if out == "" {
			out = filepath.Join(repoRoot(t), "screenshots")
		}
		if err := os.MkdirAll(out, 0o755); err != nil {
			t.Fatal(err)
		}
		tb := newTab(t, bctx, base)
		shoot := func(name, path, theme string, w, h int64, mobile bool) {
			tb.viewport(w, h, mobile)
			tb.colorScheme(theme)
			tb.open(path)
			img, err := chromedp.Run(tb.step(), chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(out, name+".png"), img, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		for _, pg := range []struct{ name, path string }{{"home", "/"}, {"post", sp.post}} {
			shoot(pg.name+"-light", pg.path, "light", 1280, 900, false)
			shoot(pg.name+"-dark", pg.path, "dark", 1280, 900, false)
			shoot(pg.name+"-mobile", pg.path, "light", 360, 740, true)
			shoot(pg.name+"-mobile-dark", pg.path, "dark", 360, 740, true)
		}
		// A benchmark report as a phone shows it: the cards, the chart.
		for _, theme := range []string{"light", "dark"} {
			tb.viewport(360, 740, true)
			tb.colorScheme(theme)
			tb.open(sp.post)
			img, err := chromedp.Run(tb.step(), chromedp.Screenshot(chromedp.CSS(".live-bench")))
			if err != nil {
				t.Fatalf("%s has no benchmark report to screenshot: %v", sp.post, err)
			}
			if err := os.WriteFile(filepath.Join(out, "bench-mobile-"+theme+".png"), img, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		tb.colorScheme("light")
		t.Logf("screenshots in %s", out)
	})
}
