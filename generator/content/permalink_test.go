package content

import (
	"strings"
	"testing"
	"time"
)

// TestSlugifyAndPermalink checks slugify's answers, Unicode letters kept,
// and the allocation-light expandPermalink against the strings.Replacer
// version it replaced.
func TestSlugifyAndPermalink(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"Go", "go"},
		{"Consistent Hashing", "consistent-hashing"},
		{"  --a--b--  ", "a-b"},
		{"C++ & Go!", "c-go"},
		{"MiXeD_case 42", "mixed-case-42"},
		{"already-a-slug", "already-a-slug"},
		{"a\tb\nc", "a-b-c"},
		{"x\x7fy", "x-y"},
		{"---", ""},
		{"Ünïcode wörds", "ünïcode-wörds"},
		{"ünï-çødé", "ünï-çødé"},
		{"u\u0308n\u0131\u0308-c\u0327\u00f8de\u0301", "ünı̈-çødé"}, // decomposed (NFD): composed where Unicode can
		{"naïve", "naïve"},
		{"Zürich 2026", "zürich-2026"},
		{"ÀB", "àb"},
		{"日本語", "日本語"},
		{"a日b", "a日b"},
		{"Ελληνικά Κείμενα", "ελληνικά-κείμενα"},
		{"Русский текст", "русский-текст"},
		{"हिन्दी", "हिन्दी"}, // vowel signs and the virama are marks: kept
		{"\u0301abc", "abc"}, // a mark with no letter before it
		{"°C ™ 5€", "c-5"},   // symbols separate words
		{"Straße", "straße"},
		{"\u212a", "k"}, // the Kelvin sign lower-cases to k
		{"bad\xffutf8", "bad-utf8"},
		{"٣ digits ٤", "٣-digits-٤"},
		{"x²", "x"},
	} {
		if got := Slugify(tt.in); got != tt.want {
			t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := Slugify(tt.want); got != tt.want {
			t.Errorf("Slugify(%q) = %q: a slug must be its own slug", tt.want, got)
		}
	}
	oldExpand := func(pattern, slug string, date time.Time) string {
		return strings.NewReplacer(":slug", slug, ":year", date.Format("2006"), ":month", date.Format("01"), ":day", date.Format("02")).Replace(pattern)
	}
	date := time.Date(2026, 3, 7, 9, 0, 0, 0, time.UTC)
	for _, pat := range []string{"/posts/:slug/", "/:slug/", "/tags/:slug/", "/:year/:month/:day/:slug/", "/:yearly/:slugs/", "/a:b/", "/:", "/::slug", "/no/colon/", "/:daydream/:monthly"} {
		for _, d := range []time.Time{date, {}} {
			if got, want := ExpandPermalink(pat, "x-y", d), oldExpand(pat, "x-y", d); got != want {
				t.Errorf("ExpandPermalink(%q) = %q, want %q", pat, got, want)
			}
		}
	}
}
