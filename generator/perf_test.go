package generator

import (
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
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

// TestSearchWordsUnchanged checks searchWords against the version before
// it kept words as substrings of one lower-cased copy.
func TestSearchWordsUnchanged(t *testing.T) {
	oldEachWord := func(s string, f func([]byte)) {
		var w []byte
		flush := func() {
			if len(w) > 0 {
				f(w)
				w = w[:0]
			}
		}
		for _, r := range s {
			switch {
			case r < utf8.RuneSelf && ('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '_'):
				w = append(w, byte(r))
			case 'A' <= r && r <= 'Z':
				w = append(w, byte(r)+'a'-'A')
			case r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
				w = utf8.AppendRune(w, unicode.ToLower(r))
			default:
				flush()
			}
		}
		flush()
	}
	old := func(text string, max int, skip ...string) string {
		skipped := map[string]bool{}
		for _, f := range skip {
			oldEachWord(f, func(w []byte) { skipped[string(w)] = true })
		}
		pos := map[string]int{}
		var words []string
		var counts []int
		oldEachWord(text, func(w []byte) {
			if len(w) < 3 || skipped[string(w)] || stopWords[string(w)] {
				return
			}
			if i, ok := pos[string(w)]; ok {
				counts[i]++
				return
			}
			pos[string(w)] = len(words)
			words = append(words, string(w))
			counts = append(counts, 1)
		})
		order := make([]int, len(words))
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(i, j int) bool { return counts[order[i]] > counts[order[j]] })
		if len(order) > max {
			order = order[:max]
		}
		out := make([]string, len(order))
		for i, o := range order {
			out[i] = words[o]
		}
		return strings.Join(out, " ")
	}
	texts := []string{
		"", "the a an", "Hashing hashing HASHING ring Ring rings, ring; ring_buffer x_y 42 4242 Ünïcode ÜNÏCODE naïve café CAFÉ bad\xffbytes",
		"Consistent hashing maps keys to nodes. When a node joins, only a fraction of keys move. The ring, the ring, the virtual nodes.",
		"日本語のテキスト 日本語 Zürich zürich ZÜRICH straße STRASSE ǅemal",
	}
	for i := 0; i < 50; i++ {
		var b strings.Builder
		for j := 0; j < 300; j++ {
			b.WriteString([]string{"alpha", "Beta", "gamma", "delta", "ÉPSILON", "zeta_eta", "the", "of", "x1", "ring", "Ring.", "(hash)", "naïve", "\t", "\n"}[(i*7+j*13+j*j)%15])
			b.WriteByte(" ,.;"[j%4])
		}
		texts = append(texts, b.String())
	}
	for _, text := range texts {
		for _, max := range []int{0, 3, 120} {
			skip := []string{"Ring Theory", "", "hash-maps alpha"}
			if got, want := searchWords(text, max, skip...), old(text, max, skip...); got != want {
				t.Fatalf("searchWords(%.40q, %d) =\n%q\nwant\n%q", text, max, got, want)
			}
		}
	}
}
