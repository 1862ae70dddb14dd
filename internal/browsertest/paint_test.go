package browsertest

import (
	"compress/gzip"
	"mime"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/benchpress/benchpress/internal/testdeadline"
)

// checkRenderBlocking checks what first paint of the loaded page waits
// for: at most one render-blocking stylesheet, and the highlighting CSS
// (inlined) only on pages that show highlighted code. It reports whether
// the page shows code. TestBrowser runs it on every page, in the load its
// layout checks use; the time itself is measured by TestFirstPaint (make
// firstpaint), never asserted.
func checkRenderBlocking(t *testing.T, tb *tab, p string) (withCode bool) {
	t.Helper()
	got := eval[[]float64](tb, `(function(){
		var blocking = Array.from(document.querySelectorAll("link[rel=stylesheet]")).filter(function(l){ return !l.media || matchMedia(l.media).matches; }).length;
		var syntax = Array.from(document.querySelectorAll("head style")).filter(function(s){ return s.textContent.indexOf(".chroma") >= 0; }).length;
		return [blocking, syntax, document.querySelectorAll("pre.chroma").length];
	})()`)
	if got[0] > 1 {
		t.Errorf("%s: %.0f render-blocking stylesheets, want at most 1", p, got[0])
	}
	if got[2] > 0 && got[1] != 1 || got[2] == 0 && got[1] != 0 {
		t.Errorf("%s: %.0f inlined highlighting stylesheets for %.0f code blocks: want one with code, none without", p, got[1], got[2])
	}
	return got[2] > 0
}

// emulateNetworkConditions is the DevTools command Network.emulateNetworkConditions
// (deprecated in the protocol, which cdproto no longer generates, but what
// DevTools' throttling presets use).
var emulateNetworkConditions = cdp.Command[struct {
	Offline            bool    `json:"offline"`
	Latency            float64 `json:"latency"`
	DownloadThroughput float64 `json:"downloadThroughput"`
	UploadThroughput   float64 `json:"uploadThroughput"`
}, cdp.Empty]{Method: "Network.emulateNetworkConditions"}

// TestFirstPaint prints each page's first contentful paint on a phone
// under DevTools' Slow 3G profile (400 ms latency, about 50 KB/s down) and
// 4x CPU throttling, from a cold cache, served from 127.0.0.1 twice: as is
// (uncompressed, the worst case) and gzipped, as static hosts serve it. A
// measurement, not a check: it runs only when BENCHPRESS_FIRSTPAINT is set
// (make firstpaint).
func TestFirstPaint(t *testing.T) {
	if os.Getenv("BENCHPRESS_FIRSTPAINT") == "" {
		t.Skip("set BENCHPRESS_FIRSTPAINT=1 (make firstpaint) to measure")
	}
	bctx := startBrowser(t)
	dir, name := siteUnderTest(t)
	base := serve(t, dir)
	sp := pickPages(t, dir)
	t.Logf("first contentful paint of the %s, Slow 3G + 4x CPU, 360 px:", name)
	tb := newTab(t, bctx, base)
	tb.viewport(360, 740, true)
	call := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := chromedp.Call(tb.step(), network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true})
	call(err)
	_, err = chromedp.Call(tb.step(), emulateNetworkConditions, struct {
		Offline            bool    `json:"offline"`
		Latency            float64 `json:"latency"`
		DownloadThroughput float64 `json:"downloadThroughput"`
		UploadThroughput   float64 `json:"uploadThroughput"`
	}{false, 400, 50 * 1024, 50 * 1024})
	call(err)
	_, err = chromedp.Call(tb.step(), emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: 4})
	call(err)
	worst := 0.0
	for _, srv := range []struct{ name, base string }{{"uncompressed", base}, {"gzip", serveGzip(t, dir)}} {
		for _, p := range sp.all {
			if p == "/404.html" {
				continue
			}
			tb.do(chromedp.Navigate(srv.base + p))
			fcp, err := chromedp.Run(tb.step(), chromedp.Poll[float64](`(function(){var e=performance.getEntriesByName("first-contentful-paint")[0];return e?e.startTime:null})()`,
				chromedp.WithPollingTimeout(testdeadline.Scale(time.Minute))))
			call(err)
			b, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p), "index.html"))
			t.Logf("%6.0f ms  %7d B  %-12s %s", fcp, len(b), srv.name, p)
			worst = max(worst, fcp)
		}
	}
	t.Logf("slowest first paint: %.0f ms (target 2500 ms)", worst)
}

// serveGzip serves dir gzipped, as a static host does for a browser that
// accepts it.
func serveGzip(t *testing.T, dir string) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := filepath.Join(dir, filepath.FromSlash(filepath.Clean("/"+r.URL.Path)))
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			p = filepath.Join(p, "index.html")
		}
		b, err := os.ReadFile(p)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", mime.TypeByExtension(filepath.Ext(p)))
		w.Header().Set("Content-Encoding", "gzip")
		gz := gzip.NewWriter(w)
		gz.Write(b)
		gz.Close()
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}
