// Package search writes the offline search index of a site: one JSON
// entry per page (title, URL, subtitle, date, tags, headings and the
// page's most frequent distinct words), which the theme's script loads
// and scans in the reader's browser. No server, no third party.
package search

import (
	"encoding/json"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// Doc is what the index is told of a page.
type Doc struct {
	Title, URL, Subtitle string // URL as the site links it (with its base path)
	Date                 time.Time
	Tags, Headings       []string
	Text                 string // the page's prose as plain text
}

// NewEntry makes a page's entry: its fields, and the distinct words of
// its text not already in them.
func NewEntry(d Doc) Entry {
	e := Entry{Title: d.Title, URL: d.URL, Subtitle: d.Subtitle, Tags: d.Tags, Headings: d.Headings}
	if !d.Date.IsZero() {
		e.Date = d.Date.Format("2006-01-02")
	}
	e.Words = distinctWords(d.Text, maxWords, d.Title, d.Subtitle, strings.Join(d.Tags, " "), strings.Join(d.Headings, " "))
	return e
}

// Index is the index file (search.json) of entries, in their order.
func Index(entries []Entry) []byte {
	b, _ := json.Marshal(entries)
	return b
}

// Entry is one page of the index. Keys are one letter to keep the file
// small: the index of a 1,000-post site is about 1 MB, fetched once, on
// the first search.
type Entry struct {
	Title    string   `json:"t"`
	URL      string   `json:"u"`
	Subtitle string   `json:"s,omitempty"`
	Date     string   `json:"d,omitempty"`
	Tags     []string `json:"g,omitempty"`
	Headings []string `json:"h,omitempty"`
	Words    string   `json:"w,omitempty"` // distinct words of the text, see distinctWords
}

// maxWords bounds the words indexed per post: about 1 KB of index per
// post, so a 1,000-post site's index stays near 1 MB (a few hundred KB
// compressed) and a query scans it in a few milliseconds.
const maxWords = 120

// distinctWords returns the distinct lower-case words of text, most frequent
// first (ties in order of appearance), at most max of them, space-separated.
// It leaves out words shorter than three letters, common English words, and
// words already in the other fields (skip), which the index holds anyway.
// Queries match substrings, so "hash" finds "hashing". It runs for every
// post of every build, so words are substrings of one lower-cased copy of
// the text and the maps are reused: no allocation per word.
func distinctWords(text string, max int, skip ...string) string {
	sc := wordScratchPool.Get().(*wordScratch)
	defer func() {
		clear(sc.skipped)
		clear(sc.pos)
		sc.words, sc.counts, sc.order = sc.words[:0], sc.counts[:0], sc.order[:0]
		wordScratchPool.Put(sc)
	}()
	for _, f := range skip {
		eachWord(lowerWords(f), func(w string) { sc.skipped[w] = true })
	}
	eachWord(lowerWords(text), func(w string) {
		// Words repeat: one lookup answers every occurrence after the
		// first, including the words left out (-1).
		if i, ok := sc.pos[w]; ok {
			if i >= 0 {
				sc.counts[i]++
			}
			return
		}
		if len(w) < 3 || sc.skipped[w] || stopWords[w] {
			sc.pos[w] = -1
			return
		}
		sc.pos[w] = len(sc.words)
		sc.words = append(sc.words, w)
		sc.counts = append(sc.counts, 1)
	})
	for i := range sc.words {
		sc.order = append(sc.order, i)
	}
	order, counts := sc.order, sc.counts
	sort.SliceStable(order, func(i, j int) bool { return counts[order[i]] > counts[order[j]] })
	if len(order) > max {
		order = order[:max]
	}
	var b strings.Builder
	for i, o := range order {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(sc.words[o])
	}
	return b.String()
}

// wordScratch is distinctWords' reusable state.
type wordScratch struct {
	skipped map[string]bool
	pos     map[string]int // word -> index in words and counts, or -1: left out
	words   []string
	counts  []int
	order   []int
}

var wordScratchPool = sync.Pool{New: func() any {
	return &wordScratch{skipped: map[string]bool{}, pos: map[string]int{}}
}}

// lowerWords returns s with its words (letters, digits and '_') in lower
// case and every other character replaced by a space.
func lowerWords(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '_':
				b.WriteByte(c)
			case 'A' <= c && c <= 'Z':
				b.WriteByte(c + 'a' - 'A')
			default:
				b.WriteByte(' ')
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		} else {
			b.WriteByte(' ')
		}
		i += size
	}
	return b.String()
}

// eachWord calls f with each space-separated word of s (see lowerWords).
func eachWord(s string, f func(string)) {
	for len(s) > 0 {
		i := strings.IndexByte(s, ' ')
		if i < 0 {
			f(s)
			return
		}
		if i > 0 {
			f(s[:i])
		}
		s = s[i+1:]
	}
}

var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`the and for are but not you all any can had her was one our out has him his how its may new now old see two way who did get let put say she too use that with have this will your from they know want been good much some time very when come here just like long make many more only over such take than them well were what which their there these those then into also each other about would could should because while where after before does done being most every same both under between through only`) {
		m[w] = true
	}
	return m
}()
