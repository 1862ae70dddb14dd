package devserver

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/benchpress/benchpress/generator/diag"
	"github.com/benchpress/benchpress/internal/testdeadline"
)

// script is how a dev build's pages load the reload script.
const script = `<script src="/_benchpress/reload.js"></script>`

var site = map[string][]byte{
	"index.html":         []byte("<p>home</p>" + script),
	"posts/x/index.html": []byte("<p>x</p>" + script),
	"404.html":           []byte("<p>not found</p>" + script),
	"css/style.css":      []byte("body{}"),
	"index.xml":          []byte("<rss/>"),
	"search.json":        []byte("[]"),
	"posts/x/raw.txt":    []byte("raw"),
	// Slugs keep their letters: the file is named in UTF-8, the request
	// percent-encodes it, in either case of hex digit.
	"posts/ünï-çødé/index.html": []byte("<p>ü</p>" + script),
}

func TestServeFiles(t *testing.T) {
	s := New("/")
	s.Publish(site, nil)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	srv := httptest.NewServer(s)
	defer srv.Close()
	tests := []struct {
		path, ctype, body, location string
		code                        int
	}{
		{"/", "text/html; charset=utf-8", "<p>home</p>" + script, "", 200},
		{"/posts/x/", "text/html; charset=utf-8", "<p>x</p>" + script, "", 200},
		{"/posts/x", "", "", "/posts/x/", 301},
		{"/posts/x/../x/", "text/html; charset=utf-8", "<p>x</p>" + script, "", 200},
		{"/css/style.css", "text/css; charset=utf-8", "body{}", "", 200},
		{"/index.xml", "text/xml; charset=utf-8", "<rss/>", "", 200},
		{"/search.json", "application/json", "[]", "", 200},
		{"/posts/x/raw.txt", "text/plain; charset=utf-8", "raw", "", 200},
		{"/posts/%C3%BCn%C3%AF-%C3%A7%C3%B8d%C3%A9/", "text/html; charset=utf-8", "<p>ü</p>" + script, "", 200},
		{"/posts/%c3%bcn%c3%af-%c3%a7%c3%b8d%c3%a9/", "text/html; charset=utf-8", "<p>ü</p>" + script, "", 200},
		{"/posts/ünï-çødé/", "text/html; charset=utf-8", "<p>ü</p>" + script, "", 200},
		{"/posts/ünï-çødé", "", "", "/posts/%c3%bcn%c3%af-%c3%a7%c3%b8d%c3%a9/", 301}, // net/http escapes the Location
		{"/nope", "text/html; charset=utf-8", "<p>not found</p>" + script, "", 404},
		{"/nope/", "text/html; charset=utf-8", "<p>not found</p>" + script, "", 404},
	}
	for _, tt := range tests {
		resp, err := noRedirect.Get(srv.URL + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.code {
			t.Errorf("%s: status %d, want %d", tt.path, resp.StatusCode, tt.code)
		}
		if tt.location != "" && resp.Header.Get("Location") != tt.location {
			t.Errorf("%s: Location %q, want %q", tt.path, resp.Header.Get("Location"), tt.location)
		}
		if tt.ctype != "" && resp.Header.Get("Content-Type") != tt.ctype {
			t.Errorf("%s: Content-Type %q, want %q", tt.path, resp.Header.Get("Content-Type"), tt.ctype)
		}
		if tt.body != "" && string(body) != tt.body {
			t.Errorf("%s: body %q, want %q", tt.path, body, tt.body)
		}
		if resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q", tt.path, resp.Header.Get("Cache-Control"))
		}
	}
	resp, _ := http.Post(srv.URL+"/", "text/plain", nil)
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", resp.StatusCode)
	}
}

func TestServeUnderBasePath(t *testing.T) {
	s := New("/blog/")
	s.Publish(site, nil)
	srv := httptest.NewServer(s)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/") // redirected to /blog/
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.Request.URL.Path != "/blog/" || string(body) != "<p>home</p>"+script {
		t.Errorf("GET / ended at %s with %q", resp.Request.URL.Path, body)
	}
	resp, _ = http.Get(srv.URL + "/blog/_benchpress/reload.js")
	if resp.StatusCode != 200 {
		t.Errorf("reload.js under the base path: %d", resp.StatusCode)
	}
}

func TestServeBeforeFirstBuild(t *testing.T) {
	s := New("/")
	srv := httptest.NewServer(s)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/anything/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), `<script src="/_benchpress/reload.js">`) {
		t.Errorf("before the first build: %d %s", resp.StatusCode, body)
	}
}

type stream struct {
	events chan string // "name data"
}

func openStream(t *testing.T, url string) *stream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", url+"/_benchpress/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	st := &stream{events: make(chan string, 32)}
	go func() {
		defer close(st.events)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		var name string
		for sc.Scan() {
			line := sc.Text()
			if n, ok := strings.CutPrefix(line, "event: "); ok {
				name = n
			} else if d, ok := strings.CutPrefix(line, "data: "); ok {
				st.events <- name + " " + d
			}
		}
	}()
	return st
}

func (st *stream) next(t *testing.T) string {
	t.Helper()
	select {
	case ev, ok := <-st.events:
		if !ok {
			return "(closed)"
		}
		return ev
	case <-time.After(testdeadline.Scale(5 * time.Second)):
		t.Fatal("no event within 5s")
		return ""
	}
}

func TestEvents(t *testing.T) {
	s := New("/")
	s.Publish(site, nil)
	srv := httptest.NewServer(s)
	defer srv.Close()
	a, b := openStream(t, srv.URL), openStream(t, srv.URL)
	build1 := s.currentBuild()
	for _, st := range []*stream{a, b} {
		if got := st.next(t); got != `hello {"build":"`+build1+`"}` {
			t.Fatalf("hello = %s", got)
		}
	}

	// A failure reaches every tab, with positions.
	err := diag.List{{File: "content/posts/x.md", Line: 4, Msg: `unknown front matter key "tilte"`}}
	s.Fail(err)
	for _, st := range []*stream{a, b} {
		got := st.next(t)
		if !strings.HasPrefix(got, `failed {"errors":[{"file":"content/posts/x.md","line":4,"msg":"unknown front matter key \"tilte\""}]`) {
			t.Errorf("failed event = %s", got)
		}
	}
	// The fix with no output change clears the overlay in every tab.
	s.Publish(site, nil)
	for _, st := range []*stream{a, b} {
		if got := st.next(t); got != `ok {"build":"`+build1+`"}` {
			t.Errorf("after the fix: %s", got)
		}
	}
	// A CSS-only change, then a page change.
	s.Publish(site, []string{"css/style.css"})
	if got := a.next(t); !strings.HasPrefix(got, `css {"build":"`) || !strings.Contains(got, `"paths":["css/style.css"]`) {
		t.Errorf("css change: %s", got)
	}
	s.Publish(site, []string{"css/style.css", "posts/x/index.html"})
	if got := a.next(t); !strings.HasPrefix(got, `reload {"build":"`) {
		t.Errorf("page change: %s", got)
	}
	// Plain errors become one message.
	s.Fail(errors.New("disk full"))
	if got := a.next(t); got != `failed {"errors":[{"msg":"disk full"}],"text":"disk full"}` {
		t.Errorf("plain error: %s", got)
	}
	// Close ends the streams (for a graceful shutdown).
	s.Close()
	if got := a.next(t); got != "(closed)" {
		t.Errorf("after Close: %s", got)
	}
}

func TestNewBuildIDAfterRestart(t *testing.T) {
	a, b := New("/"), New("/")
	a.Publish(site, nil)
	b.Publish(site, nil)
	if a.currentBuild() == b.currentBuild() {
		t.Errorf("two server starts share build id %s: pages would not reload after a restart", a.currentBuild())
	}
}

func TestScriptAddedWhenThemeLacksIt(t *testing.T) {
	s := New("/blog/")
	s.Publish(map[string][]byte{
		"index.html":     []byte("<html><body><p>no script</p></body></html>"),
		"own/index.html": []byte(`<body><script src="/blog/_benchpress/reload.js"></script></body>`),
		"data.json":      []byte(`{"x":"</body>"}`),
	}, nil)
	srv := httptest.NewServer(s)
	defer srv.Close()
	for path, want := range map[string]string{
		"/blog/":          `<html><body><p>no script</p><script src="/blog/_benchpress/reload.js"></script>` + "\n</body></html>",
		"/blog/own/":      `<body><script src="/blog/_benchpress/reload.js"></script></body>`,
		"/blog/data.json": `{"x":"</body>"}`,
	} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(body) != want {
			t.Errorf("%s: %q, want %q", path, body, want)
		}
	}
}

// TestServeGzip: text of a kilobyte or more is gzipped for a browser that
// takes it, as static hosts do; a small file, an image, or a client that
// refuses gzip get the bytes as they are.
func TestServeGzip(t *testing.T) {
	big := "<p>" + strings.Repeat("words of a long post ", 200) + "</p>"
	s := New("/")
	s.Publish(map[string][]byte{
		"index.html":       []byte(big),
		"small/index.html": []byte("<p>small</p>"),
		"card.png":         append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 4096)...),
		"css/style.css":    []byte(strings.Repeat("p { margin: 0 } ", 200)),
	}, nil)
	srv := httptest.NewServer(s)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	for _, tc := range []struct {
		path, accept string
		gzipped      bool
	}{
		{"/", "gzip, deflate, br", true},
		{"/css/style.css", "gzip", true},
		{"/", "br;q=1.0, gzip;q=0.8", true},
		{"/", "", false},
		{"/", "gzip;q=0", false},
		{"/", "gzip; q=0.000", false},
		{"/", "gzip;q=0.5", true},
		{"/", "deflate", false},
		{"/small/", "gzip", false},
		{"/card.png", "gzip", false},
	} {
		req, _ := http.NewRequest("GET", srv.URL+tc.path, nil)
		if tc.accept != "" {
			req.Header.Set("Accept-Encoding", tc.accept)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if got := resp.Header.Get("Content-Encoding") == "gzip"; got != tc.gzipped {
			t.Errorf("%s with Accept-Encoding %q: gzipped %v, want %v", tc.path, tc.accept, got, tc.gzipped)
			continue
		}
		if !tc.gzipped {
			continue
		}
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		plain, _ := io.ReadAll(zr)
		if tc.path == "/" && (!strings.HasPrefix(string(plain), big) || !strings.Contains(string(plain), script)) {
			t.Errorf("%s: the gzipped body is not the page with its reload script", tc.path)
		}
		if resp.Header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("%s: Vary %q, want Accept-Encoding", tc.path, resp.Header.Get("Vary"))
		}
		if resp.Header.Get("Content-Length") != fmt.Sprint(len(body)) {
			t.Errorf("%s: Content-Length %q for %d bytes", tc.path, resp.Header.Get("Content-Length"), len(body))
		}
	}
}
