package diagram

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

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
