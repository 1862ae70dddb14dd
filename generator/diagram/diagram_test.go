package diagram

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/benchpress/benchpress/internal/golden"
)

func skipShort(t *testing.T) {
	if testing.Short() && os.Getenv("CI") == "" {
		t.Skip("lays diagrams out with d2 (a fraction of a second each)")
	}
}

// TestGolden: a diagram renders to the same SVG every time, themed for
// light and dark, with no sketch rules pointing at missing patterns.
func TestGolden(t *testing.T) {
	skipShort(t)
	src := "client -> server: request\nserver -> db: query\ndb.shape: cylinder\n"
	a, err := Render(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Render(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Fatal("two renders of one diagram differ")
	}
	for _, want := range []string{"<svg", "prefers-color-scheme:dark", ">client<", ">db<"} {
		if !strings.Contains(a, want) {
			t.Errorf("the SVG lacks %q", want)
		}
	}
	if strings.Contains(a, "url(#streaks") || strings.HasPrefix(a, "<?xml") {
		t.Error("the SVG keeps sketch rules or an XML declaration")
	}
	golden.Check(t, "diagram.svg", []byte(a))
}

// TestErrors: a diagram that does not compile is an error at its line;
// one that imports a file reads nothing.
func TestErrors(t *testing.T) {
	skipShort(t)
	for _, tc := range []struct {
		src  string
		line int
		msg  string
	}{
		{"a -> b\nb -> {\n", 2, "connection missing destination"},
		{"a\nx: {shape: nope}\n", 2, `unknown shape "nope"`},
		{"...@/etc/passwd\n", 1, "imports are not supported: a diagram is the text of its fence"},
		{"x: @../../config.yaml\n", 1, "imports are not supported: a diagram is the text of its fence"},
	} {
		_, err := Render(context.Background(), tc.src)
		var e *Error
		if !errors.As(err, &e) || e.Line != tc.line || e.Msg != tc.msg {
			t.Errorf("%q: %#v, want line %d %q", tc.src, err, tc.line, tc.msg)
		}
	}
}

// TestTimeout: a diagram whose layout outlasts the limit is an error at
// the limit. d2 never interrupts its goja layout, so before Render ran it
// in a goroutine it returned only when the layout ended: about 10 s for
// this diagram (50 shapes, 100 connections), whatever the deadline.
func TestTimeout(t *testing.T) {
	skipShort(t)
	defer func(d time.Duration) { timeout = d }(timeout)
	timeout = 300 * time.Millisecond
	var b strings.Builder
	for i := range 50 {
		fmt.Fprintf(&b, "n%d -> n%d\nn%d -> n%d\n", i, (i*7+3)%50, i, (i*13+5)%50)
	}
	start := time.Now()
	_, err := Render(context.Background(), b.String())
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("Render returned after %v, with a limit of %v", took, timeout)
	}
	var e *Error
	if !errors.As(err, &e) || !strings.Contains(e.Msg, "took longer than") {
		t.Errorf("err = %v, want the layout's time limit", err)
	}
	// The same diagram again is refused at once: no second layout is left
	// running.
	start = time.Now()
	if _, err := Render(context.Background(), b.String()); !errors.As(err, &e) || !strings.Contains(e.Msg, "took longer than") || time.Since(start) > 100*time.Millisecond {
		t.Errorf("again: %v after %v, want the time limit's error at once", err, time.Since(start))
	}
	// A render after one given up on works (it does not wait for it).
	timeout = Timeout
	if _, err := Render(context.Background(), "a -> b\n"); err != nil {
		t.Error(err)
	}
}

// TestNoRawHTML: with NoRawHTML a diagram cannot bring markup into the
// page (a site with markup.unsafeHTML: false); without it, as before,
// the same sources render.
func TestNoRawHTML(t *testing.T) {
	skipShort(t)
	if raceEnabled {
		// Render hands each source to its layout goroutine and back the
		// same way, whatever the options: TestGolden and TestTimeout race
		// that. These twelve layouts took 36 of the race run's 45 s.
		t.Skip("no goroutine of its own: the plain run checks it")
	}
	for _, src := range []string{
		"x: |md <script>alert(1)</script> |\n",
		"x: hi\nx.link: \"javascript:alert(1)\"\n",
		"x: hi\nx.link: \"JavaScript:alert(1)\"\n",
		"x -> y: {link: \"javascript:alert(1)\"}\n",
		"x: hi\nx.icon: \"data:image/svg+xml,<svg onload=alert(1)>\"\n",
		"layers: {l: {x: |md <img src=\"x\" onerror=\"alert(1)\"/> |}}\n",
	} {
		_, err := RenderWith(context.Background(), src, Options{NoRawHTML: true})
		var e *Error
		if !errors.As(err, &e) || !strings.Contains(e.Msg, "unsafeHTML: false") {
			t.Errorf("%q: err = %v, want it refused", src, err)
		}
		svg, err := Render(context.Background(), src)
		if err != nil || !strings.HasPrefix(svg, "<svg") {
			t.Errorf("%q without NoRawHTML: %v", src, err)
		}
	}
	for _, src := range []string{
		"x: hi\nx.link: https://go.dev/\n",
		"x: hi\nx.link: /posts/a/\n",
		"x: hi\nx.icon: https://icons.terrastruct.com/essentials/004-picture.svg\n",
		"x: |go fmt.Println(\"<b>\") |\n",
	} {
		if _, err := RenderWith(context.Background(), src, Options{NoRawHTML: true}); err != nil {
			t.Errorf("%q: %v", src, err)
		}
	}
}

// TestTooLarge: a diagram past MaxElements (its boards' together) or
// MaxSource is refused before any layout starts, so it costs no time and
// leaves nothing running; one at the bound renders.
func TestTooLarge(t *testing.T) {
	skipShort(t)
	chain := func(n int) string { // n shapes and n-1 connections
		var b strings.Builder
		for i := 1; i < n; i++ {
			fmt.Fprintf(&b, "s%d -> s%d\n", i-1, i)
		}
		return b.String()
	}
	if _, err := Render(context.Background(), chain(75)); err != nil {
		t.Errorf("a chain of 75 shapes: %v", err)
	}
	for _, tc := range []struct {
		name, src, msg string
	}{
		{"one board", chain(80), "the diagram has more than 150 shapes and connections (159 so far), which the layout would take minutes over: split the diagram"},
		{"two layers", "layers: {\n a: {\n" + chain(40) + "}\n b: {\n" + chain(40) + "}\n}\n", "the diagram has more than 150 shapes and connections (158 so far), which the layout would take minutes over: split the diagram"},
		{"source", "x: |md\n" + strings.Repeat("text ", 14000) + "\n|\n", "the diagram is 70010 bytes; benchpress lays out diagrams of at most 65536: split the diagram"},
	} {
		start := time.Now()
		_, err := Render(context.Background(), tc.src)
		var e *Error
		if !errors.As(err, &e) || e.Msg != tc.msg {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.msg)
		}
		if took := time.Since(start); took > 10*time.Second {
			t.Errorf("%s: refused after %v: the layout ran", tc.name, took)
		}
	}
}

// TestFollowToggle: d2's dark block is written under the system's dark
// setting unless the page is set to light, and again for a page set to
// dark; a stylesheet of another shape is left as it is.
func TestFollowToggle(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{
			`<style>.a{x:1}@media screen and (prefers-color-scheme:dark){` + "\n\t\t" + `.d2-1 .f, .d2-1 .g{fill:#000;}.m{c:d}}</style>`,
			`<style>.a{x:1}@media screen and (prefers-color-scheme:dark){:root:not([data-theme=light]) .d2-1 .f,:root:not([data-theme=light]) .d2-1 .g{fill:#000;}:root:not([data-theme=light]) .m{c:d}}` +
				`@media screen{:root[data-theme=dark] .d2-1 .f,:root[data-theme=dark] .d2-1 .g{fill:#000;}:root[data-theme=dark] .m{c:d}}</style>`,
		},
		{"<svg>no dark theme</svg>", "<svg>no dark theme</svg>"},
		{`@media screen and (prefers-color-scheme:dark){.a{@x{}}}`, `@media screen and (prefers-color-scheme:dark){.a{@x{}}}`},
		{`@media screen and (prefers-color-scheme:dark){.a{x:1}`, `@media screen and (prefers-color-scheme:dark){.a{x:1}`},
	} {
		if got := followToggle(tc.in); got != tc.want {
			t.Errorf("followToggle(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}
