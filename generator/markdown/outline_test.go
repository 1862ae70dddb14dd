package markdown

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestSpaceCollapser: text written in pieces comes out as
// strings.Fields would join it, and its words are counted once each
// however it is cut.
func TestSpaceCollapser(t *testing.T) {
	for _, s := range []string{"", " ", "a", "  a  b\t\nc ", "x\u00a0y\u2003 z", "é  ü\n", "\xff  bad utf8 \xfe", "a\u0085b"} {
		want := strings.Fields(s)
		for cut := range len(s) + 1 {
			if cut < len(s) && !utf8.RuneStart(s[cut]) {
				continue // goldmark cuts text between runes
			}
			var c spaceCollapser
			n1, in := c.write([]byte(s[:cut]), false)
			n2, _ := c.write([]byte(s[cut:]), in)
			if got := string(c.b); got != strings.Join(want, " ") || n1+n2 != len(want) {
				t.Errorf("%q cut at %d: %q and %d words, want %q and %d", s, cut, got, n1+n2, strings.Join(want, " "), len(want))
			}
		}
	}
}

// TestParsePanicIsAnError: goldmark panics on a heading whose id attribute
// is a number; the file gets an error, the build does not crash.
func TestParsePanicIsAnError(t *testing.T) {
	m := New(Options{})
	doc, errs := m.Parse([]byte("# Title\n\n## Numeric {id=5}\n\ntext\n"), "content/posts/x.md", nil)
	if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), "content/posts/x.md: the markdown parser failed on this file (") {
		t.Fatalf("errors %v", errs)
	}
	var b strings.Builder
	if err := doc.Render(&b); err != nil || b.Len() != 0 {
		t.Errorf("the failed document renders %q, %v", b.String(), err)
	}
	if _, errs := m.Parse([]byte("## Text id {id=\"five\"}\n"), "x.md", nil); len(errs) != 0 {
		t.Errorf("a text id: %v", errs)
	}
}

// TestOutlineWords: words are counted as a reader sees them, once each,
// however goldmark splits the text around markup and punctuation.
func TestOutlineWords(t *testing.T) {
	m := New(Options{})
	for _, tc := range []struct {
		src  string
		want int
	}{
		{"Intro.", 1},
		{"Hello *world*.", 2},
		{"Hello *world* again.", 3},
		{"a*b* c", 2},
		{"one\ntwo\nthree", 3},
		{"line one  \nline two", 4},
		{"x `code span` y.", 4},
		{"# Head\n\npara graph", 3},
		{"Don't \"quote\" -- me...", 3},
		{"see https://example.org/x.y now", 3},
		{"text\n\n```go\nignored code\n```\n\n    indented ignored\n", 1},
		{"- item one\n- item two", 4},
		{"| a | b |\n|---|---|\n| c d | e |", 5},
	} {
		doc, errs := m.Parse([]byte(tc.src), "p.md", nil)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		if got := doc.Outline().Words; got != tc.want {
			t.Errorf("%q: %d words, want %d", tc.src, got, tc.want)
		}
	}
}
