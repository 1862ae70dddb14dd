package search

import (
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// TestDistinctWordsUnchanged checks distinctWords against the version before
// it kept words as substrings of one lower-cased copy.
func TestDistinctWordsUnchanged(t *testing.T) {
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
			if got, want := distinctWords(text, max, skip...), old(text, max, skip...); got != want {
				t.Fatalf("distinctWords(%.40q, %d) =\n%q\nwant\n%q", text, max, got, want)
			}
		}
	}
}

func TestNewEntryAndIndex(t *testing.T) {
	e := NewEntry(Doc{Title: "Consistent hashing", URL: "/blog/posts/ring/", Date: time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC),
		Tags: []string{"distributed"}, Headings: []string{"Virtual nodes"},
		Text: "The ring maps keys to nodes. Virtual nodes smooth the ring; hashing keys twice is not needed. Keys keys."})
	got := string(Index([]Entry{e, NewEntry(Doc{Title: "About", URL: "/blog/about/"})}))
	want := `[{"t":"Consistent hashing","u":"/blog/posts/ring/","d":"2026-03-04","g":["distributed"],"h":["Virtual nodes"],"w":"keys ring maps smooth twice needed"},{"t":"About","u":"/blog/about/"}]`
	if got != want {
		t.Errorf("index\n got %s\nwant %s", got, want)
	}
}
