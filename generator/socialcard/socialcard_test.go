package socialcard

import (
	"bytes"
	"image/png"
	"strings"
	"testing"

	"github.com/benchpress/benchpress/internal/golden"
)

// TestGolden: a card's bytes are exactly the golden PNG's (drawing is
// deterministic), twice in a row, and it is a 1200x630 PNG.
func TestGolden(t *testing.T) {
	c := Card{Title: "Consistent hashing, measured: what a ring of virtual nodes costs", Site: "Systems, Measured", Host: "example.org"}
	a, err := Render(c)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Render(c)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("two renders of one card differ")
	}
	img, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	if r := img.Bounds(); r.Dx() != Width || r.Dy() != Height {
		t.Errorf("card is %v", r)
	}
	golden.Check(t, "card.png", a)
}

// TestHostileTitles: titles too long for the card, words wider than a
// line, control characters and scripts Go's fonts lack still draw.
func TestHostileTitles(t *testing.T) {
	for _, title := range []string{
		"", strings.Repeat("word ", 200), strings.Repeat("x", 500), "tab\tnew\nline\x00nul\u202eRTL",
		"日本語のタイトル", "😀 emoji",
	} {
		b, err := Render(Card{Title: title, Site: strings.Repeat("S", 300), Host: "h"})
		if err != nil {
			t.Errorf("%q: %v", title, err)
			continue
		}
		if _, err := png.Decode(bytes.NewReader(b)); err != nil {
			t.Errorf("%q: %v", title, err)
		}
	}
}

func TestKey(t *testing.T) {
	a := Card{Title: "a", Site: "bc"}.Key()
	if b := (Card{Title: "ab", Site: "c"}).Key(); a == b {
		t.Error("the key does not separate its fields")
	}
	if x, y := (Card{Title: "a\x00b", Site: "c"}).Key(), (Card{Title: "a", Site: "b\x00c"}).Key(); x == y {
		t.Error("a NUL in a title moves the boundary between fields: two cards share a key")
	}
	if b := (Card{Title: "a", Site: "bc"}).Key(); a != b {
		t.Error("the key is not a function of the card")
	}
}

func BenchmarkRender(b *testing.B) {
	c := Card{Title: "Consistent hashing, measured", Site: "Systems, Measured", Host: "example.org"}
	for b.Loop() {
		if _, err := Render(c); err != nil {
			b.Fatal(err)
		}
	}
}
