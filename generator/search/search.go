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
//   - t<i>.json, chunk i: {TERM: POSTINGS, ...}. POSTINGS is a string of
//     numbers, for each page holding the term in page order: DOC, FIELDS,
//     N and N POS. DOC is the page's number, as a gap from the previous
//     page's (the first absolute); FIELDS a bit set (1 title, 2 heading, 4
//     subtitle or tag, 8 text); POS every position of the term among the
//     words of the page's text, the first absolute and the rest as gaps,
//     so a phrase ("thundering herd": two terms at neighbouring positions)
//     is found wherever it occurs, however long the page.
//   - d<j>.json, pages j*P to j*P+P-1: [[TITLE, URL, DATE, SUBTITLE], ...].
//
// A number is written in base 32, most significant digit first, each digit
// one character of base64url's alphabet (A-Z a-z 0-9 - _, values 0 to
// 63): digit d is the character of value d in a number's last place and of
// value 32+d before it. Nothing in it needs a JSON escape, and a position
// gap below 32, the most common, is one character. All positions of a page
// cost about a byte and a half per word of its text, a fraction of the
// page itself, where positions as JSON numbers cost three bytes or more.
//
// A term is a run of letters, marks, decimal digits and '_', in lower case
// (Unicode simple case folding, after NFC normalisation), at most MaxRunes
// runes; each Han, Hiragana or Katakana character is a term of its own,
// since those scripts do not separate words. Tokens is the tokenizer; the
// theme's site.js has the same one for queries, and the same reader of
// numbers. File names are numbers: nothing of a page's text reaches a
// path. The output is a function of the entries alone, byte for byte.
package search

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
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
	// ChunkBytes is the least size a chunk of terms is cut at (a chunk
	// holds at least one term, whatever its size); see chunkBytes.
	ChunkBytes = 4 << 10
	// DocsPerFile is the number of pages per metadata file.
	DocsPerFile = 100
)

// numberDigits are the characters of the index's numbers by value (see
// the package comment).
const numberDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

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
// serve's Builder keeps it with an unchanged post. Each term's part of
// the index is written here, where pages are analysed in parallel, and
// Index only gathers them; an Entry is a few objects whatever its
// length, for the garbage collector to skip.
type Entry struct {
	meta  [4]string // title, URL, date, subtitle
	terms string    // the page's distinct terms, end to end
	lists string    // each term's FIELDS, N, POS... (as in a chunk), end to end
	posts []posting // one a term, in the order the page first uses them
	size  int       // about the bytes this page adds to the index
}

// posting is one term of one page: posting i's term is
// terms[posts[i-1].termEnd:posts[i].termEnd], and its list is
// lists[posts[i-1].listEnd:posts[i].listEnd] (both from 0 for the first).
type posting struct {
	termEnd, listEnd uint32
}

// NewEntry analyses a page.
func NewEntry(d Doc) Entry {
	e := Entry{meta: [4]string{d.Title, d.URL, "", d.Subtitle}}
	if !d.Date.IsZero() {
		e.meta[2] = d.Date.Format("2006-01-02")
	}
	a := analyzers.Get().(*analyzer)
	defer analyzers.Put(a)
	a.reset()
	a.add(d.Title, InTitle)
	for _, h := range d.Headings {
		a.add(h, InHeading)
	}
	a.add(d.Subtitle, InMeta)
	for _, t := range d.Tags {
		a.add(t, InMeta)
	}
	// The text is read once into the numbers of its words; each term's
	// positions are then gathered in one array (counted first).
	a.tok.reset(d.Text)
	for t := a.tok.next(); t != nil; t = a.tok.next() {
		a.words = append(a.words, a.id(t))
	}
	n := len(a.ends)
	start := grow(a.start, n+1) // where term i's positions start
	for _, w := range a.words {
		start[w+1]++
	}
	for i := range n {
		start[i+1] += start[i]
	}
	next := grow(a.next, n) // where term i's next position goes
	copy(next, start[:n])
	pos := grow(a.pos, len(a.words))
	for i, w := range a.words {
		pos[next[w]] = int32(i)
		next[w]++
	}
	// Each term's list: its fields, its count, its first position, then
	// the gaps.
	lists := a.lists[:0]
	e.posts = make([]posting, n)
	for i := range e.posts {
		ps := pos[start[i]:start[i+1]]
		if len(ps) > 0 {
			a.fields[i] |= InText
		}
		lists = appendNumber(lists, uint32(a.fields[i]))
		lists = appendNumber(lists, uint32(len(ps)))
		prev := int32(0)
		for _, q := range ps {
			lists = appendNumber(lists, uint32(q-prev))
			prev = q
		}
		e.posts[i] = posting{termEnd: a.ends[i], listEnd: uint32(len(lists))}
		e.size += 6 // the quotes, colon and comma of the term, and its page
	}
	e.size += len(a.text) + len(lists)
	e.terms, e.lists = string(a.text), string(lists)
	a.next, a.start, a.pos, a.lists = next, start, pos, lists
	return e
}

// grow returns s's storage as n zeros.
func grow(s []int32, n int) []int32 {
	s = slices.Grow(s[:0], n)[:n]
	clear(s)
	return s
}

// analyzers are NewEntry's working storage, reused: a page's analysis
// then allocates only what its Entry keeps.
var analyzers = sync.Pool{New: func() any { return new(analyzer) }}

// hashSeed seeds the analyzer's term table; the table's layout never
// reaches the output.
var hashSeed = maphash.MakeSeed()

// analyzer numbers a page's distinct terms in the order they first occur,
// in an open-addressing hash table: one hash and, mostly, one comparison
// a word, and no allocation once its storage has grown to the pages'
// size.
type analyzer struct {
	tok    tokenizer
	slots  []int32  // a term's number + 1, 0 when free; len a power of 2
	hashes []uint64 // term i's hash
	text   []byte   // the terms, end to end
	ends   []uint32 // term i ends at text[ends[i]]
	fields []uint8  // term i's field bits
	words  []int32  // the text's words as term numbers
	next   []int32  // NewEntry's working storage
	start  []int32
	pos    []int32
	lists  []byte
}

func (a *analyzer) reset() {
	if len(a.slots) == 0 {
		a.slots = make([]int32, 1024)
	} else {
		clear(a.slots)
	}
	a.hashes, a.text, a.ends, a.fields, a.words = a.hashes[:0], a.text[:0], a.ends[:0], a.fields[:0], a.words[:0]
}

// add marks every term of s as found in field.
func (a *analyzer) add(s string, field uint8) {
	a.tok.reset(s)
	for t := a.tok.next(); t != nil; t = a.tok.next() {
		a.fields[a.id(t)] |= field
	}
}

// id returns term t's number, giving it the next one if it is new.
func (a *analyzer) id(t []byte) int32 {
	h := maphash.Bytes(hashSeed, t)
	mask := uint64(len(a.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := a.slots[i]
		if s == 0 {
			n := int32(len(a.ends))
			a.slots[i] = n + 1
			a.hashes = append(a.hashes, h)
			a.text = append(a.text, t...)
			a.ends = append(a.ends, uint32(len(a.text)))
			a.fields = append(a.fields, 0)
			if 2*len(a.ends) > len(a.slots) {
				a.rehash()
			}
			return n
		}
		if k := s - 1; a.hashes[k] == h && string(a.term(k)) == string(t) {
			return k
		}
	}
}

func (a *analyzer) term(k int32) []byte {
	start := uint32(0)
	if k > 0 {
		start = a.ends[k-1]
	}
	return a.text[start:a.ends[k]]
}

// rehash doubles the table, keeping it at most half full.
func (a *analyzer) rehash() {
	a.slots = make([]int32, 2*len(a.slots))
	mask := uint64(len(a.slots) - 1)
	for k, h := range a.hashes {
		i := h & mask
		for a.slots[i] != 0 {
			i = (i + 1) & mask
		}
		a.slots[i] = int32(k) + 1
	}
}

// Tokens returns the terms of s in order (see the package comment).
func Tokens(s string) []string {
	var out []string
	var t tokenizer
	t.reset(s)
	for b := t.next(); b != nil; b = t.next() {
		out = append(out, string(b))
	}
	return out
}

// tokenizer reads the terms of a text one at a time.
type tokenizer struct {
	s   string
	i   int
	buf []byte
	nfc []byte // a term normalised again (see next)
}

// reset starts reading s.
func (t *tokenizer) reset(s string) {
	if !isASCII(s) {
		// Invalid bytes become U+FFFD first (a separator, as a browser
		// decodes them): NFC leaves the text after one unnormalized, and
		// a term would then not read back as itself.
		s = norm.NFC.String(strings.ToValidUTF8(s, "\uFFFD"))
	}
	t.s, t.i = s, 0
}

// asciiFold maps an ASCII byte to itself in lower case when it belongs to
// a term, and to 0 when it separates terms.
var asciiFold = func() (f [utf8.RuneSelf]byte) {
	for c := byte(0); c < utf8.RuneSelf; c++ {
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '_':
			f[c] = c
		case 'A' <= c && c <= 'Z':
			f[c] = c + 'a' - 'A'
		}
	}
	return f
}()

// next returns the next term, or nil at the end of the text. The term is
// in a buffer that the next call reuses.
func (t *tokenizer) next() []byte {
	s, i := t.s, t.i
	b := t.buf[:0]
	n := 0 // runes in b
	for i < len(s) {
		// ASCII, nearly all of most pages, without the Unicode tables.
		if c := s[i]; c < utf8.RuneSelf {
			i++
			if c = asciiFold[c]; c == 0 {
				if len(b) > 0 {
					break
				}
				continue
			}
			if n < MaxRunes {
				b = append(b, c)
				n++
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) {
			// A term of its own: the term before it ends first.
			if len(b) == 0 {
				b = utf8.AppendRune(b, unicode.ToLower(r))
				i += size
			}
			break
		}
		i += size
		if r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r)) {
			if n < MaxRunes {
				b = utf8.AppendRune(b, unicode.ToLower(r))
				n++
			}
		} else if len(b) > 0 {
			break
		}
	}
	t.i, t.buf = i, b
	if len(b) == 0 {
		return nil
	}
	// Lower case can make a term composable ("İ" and a combining grave
	// accent are NFC, "i" and the accent are not): normalise again, so
	// that a term is one term however a query spells it. Composing only
	// takes runes away.
	if n < len(b) && !norm.NFC.IsNormal(b) {
		t.nfc = norm.NFC.Append(t.nfc[:0], b...)
		return t.nfc
	}
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
	// Number the site's distinct terms, and gather each term's postings
	// in page order into one array (counted first, so nothing grows).
	nposts, size := 0, 0 // size: about the bytes of the index
	for i := range entries {
		nposts += len(entries[i].posts)
		size += entries[i].size
	}
	ids := make(map[string]int32)
	var terms []string
	gid := make([]int32, nposts) // the postings' term numbers, page after page
	var count []int32
	k := 0
	for i := range entries {
		e := &entries[i]
		start := uint32(0)
		for _, p := range e.posts {
			t := e.terms[start:p.termEnd]
			n, ok := ids[t]
			if !ok {
				n = int32(len(terms))
				ids[t] = n
				terms = append(terms, t)
				count = append(count, 0)
			}
			gid[k] = n
			count[n]++
			k++
			start = p.termEnd
		}
	}
	// hits: each posting's page and list, term after term.
	type hit struct{ doc, start, end uint32 }
	first := make([]int32, len(terms)+1)
	for n, c := range count {
		first[n+1] = first[n] + c
		count[n] = first[n] // now term n's next free slot
	}
	hits := make([]hit, nposts)
	k = 0
	for i := range entries {
		start := uint32(0)
		for _, p := range entries[i].posts {
			n := gid[k]
			hits[count[n]] = hit{uint32(i), start, p.listEnd}
			count[n]++
			k++
			start = p.listEnd
		}
	}
	order := make([]int32, len(terms))
	for n := range order {
		order[n] = int32(n)
	}
	slices.SortFunc(order, func(a, b int32) int { return CompareUTF16(terms[a], terms[b]) })

	limit := chunkBytes(size)
	var files []File
	var seps []string
	var chunk []byte
	var last string
	for _, n := range order {
		t := terms[n]
		hs := hits[first[n]:first[n+1]]
		// The term's entry, "TERM":"DOC LIST...", is measured first and
		// then written straight into its chunk.
		size, prev := len(t)+5, uint32(0)
		for _, h := range hs {
			size += numberLen(h.doc-prev) + int(h.end-h.start)
			prev = h.doc
		}
		if chunk != nil && len(chunk)+size > limit {
			files = appendChunk(files, append(chunk, '}'))
			chunk = nil
		}
		if chunk == nil {
			seps = append(seps, separator(last, t, len(seps) == 0))
			chunk = make([]byte, 0, max(limit, size)+2)
			chunk = append(chunk, '{')
		} else {
			chunk = append(chunk, ',')
		}
		// A term is letters, marks, digits and _, and a list digits:
		// nothing JSON escapes.
		chunk = append(chunk, '"')
		chunk = append(chunk, t...)
		chunk = append(chunk, '"', ':', '"')
		prev = 0
		for _, h := range hs {
			chunk = appendNumber(chunk, h.doc-prev)
			chunk = append(chunk, entries[h.doc].lists[h.start:h.end]...)
			prev = h.doc
		}
		chunk = append(chunk, '"')
		last = t
	}
	if chunk != nil {
		files = appendChunk(files, append(chunk, '}'))
	}
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

// appendChunk adds chunk data as the next t<i>.json.
func appendChunk(files []File, data []byte) []File {
	return append(files, File{Name: "search/t" + strconv.Itoa(len(files)) + ".json", Data: data})
}

// appendNumber appends v as the index writes numbers (see the package
// comment).
func appendNumber(b []byte, v uint32) []byte {
	if v < 32 {
		return append(b, numberDigits[v])
	}
	for shift := 5 * (numberLen(v) - 1); shift > 0; shift -= 5 {
		b = append(b, numberDigits[32|v>>shift&31])
	}
	return append(b, numberDigits[v&31])
}

// numberLen is the length of v as appendNumber writes it.
func numberLen(v uint32) int {
	n := 1
	for ; v >= 32; v >>= 5 {
		n++
	}
	return n
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
