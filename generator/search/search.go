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
	// ChunkBytes is the size a chunk of terms is cut at (a chunk holds
	// at least one term, whatever its size).
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
	byTerm := map[string]*posting{}
	get := func(t string) *posting {
		p := byTerm[t]
		if p == nil {
			p = &posting{term: t}
			byTerm[t] = p
		}
		return p
	}
	add := func(s string, field int) {
		for _, t := range Tokens(s) {
			get(t).fields |= field
		}
	}
	add(d.Title, InTitle)
	for _, h := range d.Headings {
		add(h, InHeading)
	}
	add(d.Subtitle, InMeta)
	for _, t := range d.Tags {
		add(t, InMeta)
	}
	for i, t := range Tokens(d.Text) {
		p := get(t)
		p.fields |= InText
		if len(p.pos) < MaxPositions {
			p.pos = append(p.pos, i)
		}
	}
	e.terms = make([]posting, 0, len(byTerm))
	for _, p := range byTerm {
		e.terms = append(e.terms, *p)
	}
	slices.SortFunc(e.terms, func(a, b posting) int { return CompareUTF16(a.term, b.term) })
	return e
}

// Tokens returns the terms of s in order (see the package comment).
func Tokens(s string) []string {
	s = norm.NFC.String(s)
	var out []string
	var b strings.Builder
	n := 0 // runes in b
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
			n = 0
		}
	}
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			flush()
		case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana):
			flush()
			out = append(out, string(unicode.ToLower(r)))
		case r == '_' || unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r):
			if n < MaxRunes {
				b.WriteRune(unicode.ToLower(r))
				n++
			}
		default:
			flush()
		}
	}
	flush()
	return out
}

// CompareUTF16 compares strings as JavaScript does: by UTF-16 code units
// (a rune above U+FFFF sorts between U+D7FF and U+E000).
func CompareUTF16(a, b string) int {
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
		if chunk != nil && len(chunk)+len(entry) > ChunkBytes {
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
