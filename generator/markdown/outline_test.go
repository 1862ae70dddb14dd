package markdown

import (
	"strings"
	"testing"
)

func TestCollapseSpace(t *testing.T) {
	for _, s := range []string{"", " ", "a", "  a  b\t\nc ", "x\u00a0y\u2003 z", "é  ü\n", "\xff  bad utf8 \xfe", "a\u0085b"} {
		if got, want := collapseSpace(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("collapseSpace(%q) = %q, want %q", s, got, want)
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
