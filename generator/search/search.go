// Package search writes the offline search index of a site: every word of
// every page's prose, split into small JSON files under search/ so that a
// reader's browser downloads only what a query needs (the idea behind
// Pagefind). No server, no third party.
//
// The files, all under search/ in the output:
//
//   - index.json, the manifest: {"v": VERSION, "chunks": [SEP...],
//     "docs": N, "per": P}. The index's terms, sorted (in UTF-16 code unit
//     order, as JavaScript compares strings), are cut into chunks of about
//     ChunkBytes; SEP i is the shortest prefix of chunk i's first term that
//     sorts after chunk i-1's last term ("" for chunk 0), so the chunk
//     holding a term, or the chunks holding every term that starts with a
//     prefix, are found from the manifest alone.
//   - t<i>.json, chunk i: {TERM: [[DOC, FIELDS, POS...], ...], ...}, DOC
//     the page's number, FIELDS a bit set (1 title, 2 heading, 4 subtitle
//     or tag, 8 text), POS the term's first MaxPositions word positions in
//     the page's text, the first one absolute and the rest as gaps (for
//     phrases: "thundering herd" is two terms at neighbouring positions).
//   - d<j>.json, pages j*P to j*P+P-1: [[TITLE, URL, DATE, SUBTITLE], ...].
//
// A term is a run of letters, marks, decimal digits and '_', in lower case
// (Unicode simple case folding, after NFC normalisation), at most MaxRunes
// runes; each Han, Hiragana or Katakana character is a term of its own,
// since those scripts do not separate words. Tokens is the tokenizer; the
// theme's site.js has the same one for queries. File names are numbers:
// nothing of a page's text reaches a path. The output is a function of the
// entries alone, byte for byte.
package search

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

const (
	// MaxRunes bounds a term: a longer word (a hash, a base64 blob) is
	// indexed by its first MaxRunes runes, which a query, cut the same
	// way, still finds.
	MaxRunes = 64
	// MaxPositions bounds the positions kept per term and page: enough to
	// find a phrase of common words, and a huge page's index stays in
	// proportion to its distinct words rather than its length.
	MaxPositions = 32
	// ChunkBytes is the least size a chunk of terms is cut at (a chunk
	// holds at least one term, whatever its size); see chunkBytes.
	ChunkBytes = 4 << 10
	// DocsPerFile is the number of pages per metadata file.
	DocsPerFile = 100
)

// Field bits of a posting.
const (
	InTitle   = 1
	InHeading = 2
	InMeta    = 4 // the subtitle or a tag
	InText    = 8
)

// Doc is what the index is told of a page.
type Doc struct {
	Title, URL, Subtitle string // URL as the site links it (with its base path)
	Date                 time.Time
	Tags, Headings       []string
	Text                 string // the page's prose as plain text
}

// Entry is a page analysed for the index: its metadata and its terms.
// serve's Builder keeps it with an unchanged post.
type Entry struct {
	meta  [4]string // title, URL, date, subtitle
	terms []posting // sorted by term
}

// posting is one term of one page.
type posting struct {
	term   string
	fields int
	pos    []int // at most MaxPositions
}

// NewEntry analyses a page.
func NewEntry(d Doc) Entry {
	e := Entry{meta: [4]string{d.Title, d.URL, "", d.Subtitle}}
	if !d.Date.IsZero() {
		e.meta[2] = d.Date.Format("2006-01-02")
	}
	// Each distinct term gets a number; the text is read once into the
	// numbers of its words, whose positions are then gathered per term in
	// one array: a map operation a word and a few allocations a page.
	ids := make(map[string]int32, min(len(d.Text)/6, 1<<14)+16)
	var terms []posting
	id := func(t []byte) int32 {
		n, ok := ids[string(t)] // no copy of t for a term seen before
		if !ok {
			n = int32(len(terms))
			terms = append(terms, posting{term: string(t)})
			ids[terms[n].term] = n
		}
		return n
	}
	var buf []byte
	add := func(s string, field int) {
		buf = eachToken(s, buf, func(t []byte) { terms[id(t)].fields |= field })
	}
	add(d.Title, InTitle)
	for _, h := range d.Headings {
		add(h, InHeading)
	}
	add(d.Subtitle, InMeta)
	for _, t := range d.Tags {
		add(t, InMeta)
	}
	var words []int32
	eachToken(d.Text, buf, func(t []byte) { words = append(words, id(t)) })
	count := make([]int32, len(terms))
	for _, w := range words {
		if count[w] < MaxPositions {
			count[w]++
		}
	}
	arena := make([]int, 0, len(words))
	for i := range terms {
		if count[i] > 0 {
			terms[i].fields |= InText
			terms[i].pos = arena[len(arena) : len(arena) : len(arena)+int(count[i])]
			arena = arena[:len(arena)+int(count[i])]
		}
	}
	for i, w := range words {
		if p := &terms[w]; len(p.pos) < cap(p.pos) {
			p.pos = append(p.pos, i)
		}
	}
	slices.SortFunc(terms, func(a, b posting) int { return CompareUTF16(a.term, b.term) })
	e.terms = terms
	return e
}

// Tokens returns the terms of s in order (see the package comment).
func Tokens(s string) []string {
	var out []string
	eachToken(s, nil, func(t []byte) { out = append(out, string(t)) })
	return out
}

// eachToken calls f with each term of s in order, in a buffer (buf's
// storage, returned for reuse) that f must not keep.
func eachToken(s string, buf []byte, f func(t []byte)) []byte {
	if !isASCII(s) {
		// Invalid bytes become U+FFFD first (a separator, as a browser
		// decodes them): NFC leaves the text after one unnormalized, and
		// a term would then not read back as itself.
		s = norm.NFC.String(strings.ToValidUTF8(s, "\uFFFD"))
	}
	b := buf[:0]
	n := 0 // runes in b
	flush := func() {
		if len(b) > 0 {
			f(b)
			b, n = b[:0], 0
		}
	}
	for i := 0; i < len(s); {
		// ASCII, nearly all of most pages, without the Unicode tables.
		if c := s[i]; c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '_':
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			default:
				flush()
				continue
			}
			if n < MaxRunes {
				b = append(b, c)
				n++
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError:
			flush()
		case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana):
			flush()
			b = utf8.AppendRune(b, unicode.ToLower(r))
			f(b)
			b = b[:0]
		case unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r):
			if n < MaxRunes {
				b = utf8.AppendRune(b, unicode.ToLower(r))
				n++
			}
		default:
			flush()
		}
	}
	flush()
	return b
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// CompareUTF16 compares strings as JavaScript does: by UTF-16 code units
// (a rune above U+FFFF sorts between U+D7FF and U+E000).
func CompareUTF16(a, b string) int {
	// Past the common prefix, the first differing bytes decide unless one
	// of them belongs to a rune at or above U+E000 (lead byte 0xEE and
	// up), where UTF-8's order and UTF-16's part.
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	if i == len(a) || i == len(b) {
		return len(a) - len(b)
	}
	d := i // the first byte that differs
	for i > 0 && !utf8.RuneStart(a[i]) {
		i-- // back to the start of the rune that differs
	}
	if a[i] < 0xEE && b[i] < 0xEE {
		return int(a[d]) - int(b[d])
	}
	a, b = a[i:], b[i:]
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			return utf16Key(ra) - utf16Key(rb)
		}
		a, b = a[na:], b[nb:]
	}
	return len(a) - len(b)
}

func utf16Key(r rune) int {
	switch {
	case r < 0xD800:
		return int(r)
	case r >= 0x10000:
		return 0xD800 + int(r) // after the BMP's low half, before U+E000
	default:
		return 0x200000 + int(r)
	}
}

// File is one file of the index.
type File struct {
	Name string // slash path below the output root: search/index.json
	Data []byte
}

// Index returns the index files of entries (page numbers are their
// positions), the manifest first.
func Index(entries []Entry) []File {
	// Merge the pages' sorted terms into one sorted list.
	type hit struct {
		doc int
		p   *posting
	}
	n := 0
	for i := range entries {
		n = max(n, len(entries[i].terms))
	}
	byTerm := make(map[string][]hit, 2*n)
	for i := range entries {
		for j := range entries[i].terms {
			p := &entries[i].terms[j]
			byTerm[p.term] = append(byTerm[p.term], hit{i, p})
		}
	}
	terms := make([]string, 0, len(byTerm))
	for t := range byTerm {
		terms = append(terms, t)
	}
	slices.SortFunc(terms, CompareUTF16)

	size := 0
	for i := range entries {
		for j := range entries[i].terms {
			size += len(entries[i].terms[j].term) + 8 + 3*len(entries[i].terms[j].pos)
		}
	}
	limit := chunkBytes(size)

	var files []File
	var seps []string
	var chunk []byte
	var last string
	var entry []byte
	flush := func() {
		if chunk != nil {
			chunk = append(chunk, '}')
			files = append(files, File{Name: "search/t" + strconv.Itoa(len(files)) + ".json", Data: chunk})
			chunk = nil
		}
	}
	for _, t := range terms {
		// A term is letters, marks, digits and _: nothing JSON escapes.
		entry = append(entry[:0], '"')
		entry = append(entry, t...)
		entry = append(entry, '"', ':', '[')
		for k, h := range byTerm[t] {
			if k > 0 {
				entry = append(entry, ',')
			}
			entry = append(entry, '[')
			entry = strconv.AppendInt(entry, int64(h.doc), 10)
			entry = append(entry, ',')
			entry = strconv.AppendInt(entry, int64(h.p.fields), 10)
			prev := 0
			for _, p := range h.p.pos {
				entry = append(entry, ',')
				entry = strconv.AppendInt(entry, int64(p-prev), 10)
				prev = p
			}
			entry = append(entry, ']')
		}
		entry = append(entry, ']')
		if chunk != nil && len(chunk)+len(entry) > limit {
			flush()
		}
		if chunk == nil {
			seps = append(seps, separator(last, t, len(seps) == 0))
			chunk = append(chunk, '{')
		} else {
			chunk = append(chunk, ',')
		}
		chunk = append(chunk, entry...)
		last = t
	}
	flush()
	for j := 0; j*DocsPerFile < len(entries); j++ {
		var metas [][4]string
		for i := j * DocsPerFile; i < len(entries) && i < (j+1)*DocsPerFile; i++ {
			metas = append(metas, entries[i].meta)
		}
		b, _ := json.Marshal(metas)
		files = append(files, File{Name: "search/d" + strconv.Itoa(j) + ".json", Data: b})
	}
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%s %d\n", f.Name, len(f.Data))
		h.Write(f.Data)
	}
	if seps == nil {
		seps = []string{}
	}
	manifest, _ := json.Marshal(struct {
		V      string   `json:"v"`
		Chunks []string `json:"chunks"`
		Docs   int      `json:"docs"`
		Per    int      `json:"per"`
	}{hex.EncodeToString(h.Sum(nil))[:12], seps, len(entries), DocsPerFile})
	return append([]File{{Name: "search/index.json", Data: manifest}}, files...)
}

// chunkBytes is the size chunks are cut at for an index of about size
// bytes: ChunkBytes, or more for a large site, growing with the square
// root of the index, so that neither the number of files a build writes
// nor the bytes a query downloads grows in step with the site (an index of
// 1 MB is cut into 4 KB chunks, 9 MB into 12 KB, 90 MB into 38 KB).
func chunkBytes(size int) int {
	return max(ChunkBytes, 4*int(math.Sqrt(float64(size))))
}

// separator is the shortest prefix of t that sorts after prev ("" for the
// first chunk).
func separator(prev, t string, first bool) string {
	if first {
		return ""
	}
	for i := range t {
		if i > 0 && CompareUTF16(t[:i], prev) > 0 {
			return t[:i]
		}
	}
	return t
}
