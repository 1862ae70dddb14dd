package generator

import (
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"
)

// TestSlugifyAndPermalink checks the allocation-light slugify and
// expandPermalink against the regexp and strings.Replacer versions they
// replaced.
func TestSlugifyAndPermalink(t *testing.T) {
	nonSlug := regexp.MustCompile(`[^a-z0-9]+`)
	oldSlugify := func(s string) string {
		s = strings.Map(func(r rune) rune {
			if r < unicode.MaxASCII {
				return unicode.ToLower(r)
			}
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return unicode.ToLower(r)
			}
			return '-'
		}, s)
		var b strings.Builder
		for _, r := range s {
			if r < unicode.MaxASCII {
				b.WriteRune(r)
			} else {
				b.WriteByte('-')
			}
		}
		return strings.Trim(nonSlug.ReplaceAllString(b.String(), "-"), "-")
	}
	for _, s := range []string{"", "Go", "Consistent Hashing", "  --a--b--  ", "C++ & Go!", "Ünïcode wörds", "naïve", "x\x7fy", "bad\xffutf8",
		"already-a-slug", "MiXeD_case 42", "日本語", "a日b", "---", "a\tb\nc", "Zürich 2026", "tab\t", "ÀB"} {
		if got, want := slugify(s), oldSlugify(s); got != want {
			t.Errorf("slugify(%q) = %q, want %q", s, got, want)
		}
	}
	oldExpand := func(pattern, slug string, date time.Time) string {
		return strings.NewReplacer(":slug", slug, ":year", date.Format("2006"), ":month", date.Format("01"), ":day", date.Format("02")).Replace(pattern)
	}
	date := time.Date(2026, 3, 7, 9, 0, 0, 0, time.UTC)
	for _, pat := range []string{"/posts/:slug/", "/:slug/", "/tags/:slug/", "/:year/:month/:day/:slug/", "/:yearly/:slugs/", "/a:b/", "/:", "/::slug", "/no/colon/", "/:daydream/:monthly"} {
		for _, d := range []time.Time{date, {}} {
			if got, want := expandPermalink(pat, "x-y", d), oldExpand(pat, "x-y", d); got != want {
				t.Errorf("expandPermalink(%q) = %q, want %q", pat, got, want)
			}
		}
	}
}
