package devserver

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/benchpress/benchpress/generator/diag"
	"github.com/benchpress/benchpress/internal/testdeadline"
	"github.com/chromedp/chromedp"
)

// browserSite is a page tall enough to scroll, with a stylesheet and the
// reload script, as a dev build's pages are.
func browserSite(text, css string) map[string][]byte {
	page := `<!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title>
<link rel="stylesheet" href="/css/style.css"></head>
<body><p id="text">` + text + `</p><div style="height:5000px"></div>
<script src="/_benchpress/reload.js"></script></body></html>`
	return map[string][]byte{"index.html": []byte(page), "css/style.css": []byte(css), "404.html": []byte("nope")}
}

// swappable lets the test restart the dev server behind one address.
type swappable struct{ s atomic.Pointer[Server] }

func (h *swappable) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.s.Load().ServeHTTP(w, r) }

func chromium(t *testing.T) string {
	if testing.Short() && os.Getenv("CI") == "" {
		t.Skip("browser test skipped under -short")
	}
	for _, name := range []string{os.Getenv("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium not found (run `make deps`)")
	}
	t.Skip("chromium not found (run `make deps`)")
	return ""
}

// TestReloadScriptInBrowser drives reload.js in headless Chromium: CSS
// swapped without a reload, the error overlay shown and cleared, a reload
// that keeps the scroll position, and a reload after a server restart.
func TestReloadScriptInBrowser(t *testing.T) {
	exe := chromium(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h := &swappable{}
	s := New("/")
	s.Publish(browserSite("version 1", "body{color:rgb(1, 2, 3)}"), nil)
	h.s.Store(s)
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	defer srv.Close()
	url := "http://" + ln.Addr().String() + "/"

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(800, 600))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, testdeadline.Scale(90*time.Second))
	defer cancelTimeout()

	// str evaluates JavaScript to a string.
	str := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	// waitFor polls a JavaScript condition.
	waitFor := func(what, js string) {
		t.Helper()
		deadline := time.Now().Add(testdeadline.Scale(20 * time.Second))
		for {
			if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js)); err == nil && ok {
				return
			}
			if time.Now().After(deadline) {
				body, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML.slice(0, 2000)`))
				t.Fatalf("timed out waiting for %s (%s)\n%s", what, js, body)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	connected := func(s *Server) {
		t.Helper()
		deadline := time.Now().Add(testdeadline.Scale(20 * time.Second))
		for {
			s.mu.Lock()
			n := len(s.clients)
			s.mu.Unlock()
			if n > 0 {
				return
			}
			if time.Now().After(deadline) {
				t.Fatal("the page never opened the event stream")
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	connected(s)
	str(`window.marker = "same page"; window.scrollTo(0, 1500); String(window.scrollY)`)

	// A stylesheet-only change: new CSS, same page.
	s.Publish(browserSite("version 1", "body{color:rgb(4, 5, 6)}"), []string{"css/style.css"})
	waitFor("the new stylesheet", `getComputedStyle(document.body).color === "rgb(4, 5, 6)"`)
	if marker := str(`String(window.marker)`); marker != "same page" {
		t.Errorf("a CSS-only change reloaded the page")
	}
	if links := str(`String(document.querySelectorAll('link[rel=stylesheet]').length)`); links != "1" {
		t.Errorf("%s stylesheets after the swap, want 1", links)
	}

	// A failed build: the overlay, with file:line.
	s.Fail(diag.List{{File: "content/posts/x.md", Line: 4, Msg: `unknown front matter key "tilte"`}})
	waitFor("the error overlay", `!!document.getElementById("benchpress-error-overlay")`)
	if overlay := str(`document.getElementById("benchpress-error-overlay").innerText`); !strings.Contains(overlay, `content/posts/x.md:4: unknown front matter key "tilte"`) {
		t.Errorf("overlay reads %q", overlay)
	}

	// The fix changes the page: it reloads, at the same scroll position,
	// without the overlay.
	s.Publish(browserSite("version 2", "body{color:rgb(4, 5, 6)}"), []string{"index.html"})
	waitFor("the reloaded page", `document.getElementById("text") && document.getElementById("text").textContent === "version 2"`)
	waitFor("the scroll position restored", `Math.abs(window.scrollY - 1500) < 5`)
	if marker := str(`String(window.marker)`); marker != "undefined" {
		t.Errorf("the page did not reload")
	}
	if str(`String(!!document.getElementById("benchpress-error-overlay"))`) != "false" {
		t.Errorf("the overlay is still shown after the fix")
	}

	// A failure fixed with no output change clears the overlay in place.
	connected(s)
	str(`window.marker = "kept"`)
	s.Fail(diag.List{{File: "layouts/post.html", Line: 2, Msg: "unexpected EOF"}})
	waitFor("the error overlay", `!!document.getElementById("benchpress-error-overlay")`)
	s.Publish(browserSite("version 2", "body{color:rgb(4, 5, 6)}"), nil)
	waitFor("the overlay cleared", `!document.getElementById("benchpress-error-overlay") && window.marker === "kept"`)

	// Restart: a new server (new build id) behind the same address. The
	// page reconnects by itself and reloads.
	s2 := New("/")
	s2.Publish(browserSite("after restart", "body{}"), nil)
	h.s.Store(s2)
	s.Close() // ends the old event stream, as a dying process does
	waitFor("the reload after the restart", `document.getElementById("text") && document.getElementById("text").textContent === "after restart"`)
}
