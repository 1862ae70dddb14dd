package search

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/tools/txtar"

	"github.com/benchpress/benchpress/internal/golden"
)

func TestTokens(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Thundering herd, p99 and SipHash-2-4: erlang's", "thundering herd p99 and siphash 2 4 erlang s"},
		{"ΟΔΟΣ Straße İstanbul", "οδοσ straße istanbul"},
		{"日本語のテキスト and 中文", "日 本 語 の テ キ ス ト and 中 文"},
		{"cafe\u0301 café", "café café"}, // NFC: one term either way
		{"../../etc/passwd C:\\con.json", "etc passwd c con json"},
		{"snake_case x²½ ٣٤", "snake_case x ٣٤"},
		{strings.Repeat("a", 70), strings.Repeat("a", MaxRunes)},
		{"bad\xffbyte", "bad byte"},
		{"I\u0307\u0300 \u0130\u0300", "\u00ec \u00ec"}, // lower case then NFC: i and the grave compose
	} {
		if got := strings.Join(Tokens(tc.in), " "); got != tc.want {
			t.Errorf("Tokens(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzTokens: terms are non-empty, valid UTF-8, at most MaxRunes runes,
// already lower case and NFC (tokenizing a term gives the term), and
// CompareUTF16 orders them as UTF-16 does.
func FuzzTokens(f *testing.F) {
	for _, s := range []string{"Thundering herd", "日本語", "cafe\u0301", "İı", "😀𝔘", "a\xffb"} {
		f.Add(s, "x")
	}
	f.Fuzz(func(t *testing.T, s, other string) {
		for _, tok := range Tokens(s) {
			if tok == "" || !utf8.ValidString(tok) || utf8.RuneCountInString(tok) > MaxRunes {
				t.Fatalf("bad term %q of %q", tok, s)
			}
			if again := Tokens(tok); len(again) != 1 || again[0] != tok {
				t.Fatalf("term %q of %q tokenizes to %q", tok, s, again)
			}
		}
		// The page's analysis numbers the same terms: each distinct one
		// once, in the order of first use, with every position.
		var want []string
		where := map[string][]int{}
		for i, tok := range Tokens(s) {
			if _, ok := where[tok]; !ok {
				want = append(want, tok)
			}
			where[tok] = append(where[tok], i)
		}
		got := entryPostings(NewEntry(Doc{Text: s}))
		if len(got) != len(want) {
			t.Fatalf("NewEntry(%q) has %d terms, Tokens %d", s, len(got), len(want))
		}
		for i, p := range got {
			fs, err := postings("A" + p[1]) // the list as page 0's ("A" is 0)
			if p[0] != want[i] || err != nil || len(fs) != 1 || fs[0].fields != InText || !slices.Equal(fs[0].pos, where[want[i]]) {
				t.Fatalf("NewEntry(%q) term %d is %q %+v (%v), want %q at %v", s, i, p[0], fs, err, want[i], where[want[i]])
			}
		}
		a, b := strings.ToValidUTF8(s, ""), strings.ToValidUTF8(other, "")
		if c, want := CompareUTF16(a, b), slices.Compare(utf16Units(a), utf16Units(b)); sign(c) != want {
			t.Fatalf("CompareUTF16(%q, %q) = %d, want sign %d", a, b, c, want)
		}
	})
}

// entryPostings is e's terms and their lists, in e's order.
func entryPostings(e Entry) [][2]string {
	var out [][2]string
	var term, list uint32
	for _, p := range e.posts {
		out = append(out, [2]string{e.terms[term:p.termEnd], e.lists[list:p.listEnd]})
		term, list = p.termEnd, p.listEnd
	}
	return out
}

func utf16Units(s string) []uint16 {
	var u []uint16
	for _, r := range s {
		if r >= 0x10000 {
			r -= 0x10000
			u = append(u, uint16(0xD800+(r>>10)), uint16(0xDC00+(r&0x3FF)))
		} else {
			u = append(u, uint16(r))
		}
	}
	return u
}

func sign(c int) int {
	switch {
	case c < 0:
		return -1
	case c > 0:
		return 1
	}
	return 0
}

// numbers reads a string of the index's numbers, as site.js does.
func numbers(s string) ([]int, error) {
	var out []int
	x, open := 0, false
	for i := 0; i < len(s); i++ {
		d := strings.IndexByte(numberDigits, s[i])
		if d < 0 {
			return nil, fmt.Errorf("byte %d, %q, is not a digit", i, s[i])
		}
		if x = x*32 + d&31; x > math.MaxUint32 {
			return nil, fmt.Errorf("byte %d: the number overflows 32 bits", i)
		}
		open = d >= 32
		if !open {
			out, x = append(out, x), 0
		}
	}
	if open {
		return nil, fmt.Errorf("ends inside a number")
	}
	return out, nil
}

// found is a term's posting in one page, as site.js reads it.
type found struct {
	doc, fields int
	pos         []int
}

// postings reads a term's postings (see the package comment).
func postings(s string) ([]found, error) {
	v, err := numbers(s)
	if err != nil {
		return nil, err
	}
	var out []found
	doc := 0
	for k := 0; k < len(v); {
		if len(v)-k < 3 || v[k+2] > len(v)-k-3 {
			return nil, fmt.Errorf("posting %d is cut short", len(out))
		}
		doc += v[k]
		f := found{doc: doc, fields: v[k+1], pos: make([]int, v[k+2])}
		k += 3
		p := 0
		for m := range f.pos {
			p += v[k+m]
			f.pos[m] = p
		}
		k += len(f.pos)
		out = append(out, f)
	}
	return out, nil
}

// index is a reader of the files, as site.js reads them.
type index struct {
	files    map[string][]byte
	chunks   map[int]map[string]string
	decoded  map[string][]found
	manifest struct {
		V      string   `json:"v"`
		Chunks []string `json:"chunks"`
		Docs   int      `json:"docs"`
		Per    int      `json:"per"`
	}
}

func readIndex(t testing.TB, files []File) *index {
	t.Helper()
	ix := &index{files: map[string][]byte{}, chunks: map[int]map[string]string{}, decoded: map[string][]found{}}
	for _, f := range files {
		ix.files[f.Name] = f.Data
	}
	if err := json.Unmarshal(ix.files["search/index.json"], &ix.manifest); err != nil {
		t.Fatal(err)
	}
	return ix
}

// chunkOf is the number of the chunk that holds term if any does.
func (ix *index) chunkOf(term string) int {
	c := ix.manifest.Chunks
	i := 0
	for i+1 < len(c) && CompareUTF16(c[i+1], term) <= 0 {
		i++
	}
	return i
}

// chunk reads chunk i.
func (ix *index) chunk(t testing.TB, i int) map[string]string {
	t.Helper()
	chunk, ok := ix.chunks[i]
	if !ok {
		if err := json.Unmarshal(ix.files[fmt.Sprintf("search/t%d.json", i)], &chunk); err != nil {
			t.Fatalf("chunk %d: %v", i, err)
		}
		ix.chunks[i] = chunk
	}
	return chunk
}

// postings returns term's postings, reading only the chunk the manifest
// points to.
func (ix *index) postings(t testing.TB, term string) []found {
	t.Helper()
	if fs, ok := ix.decoded[term]; ok {
		return fs
	}
	s, ok := ix.chunk(t, ix.chunkOf(term))[term]
	if !ok {
		return nil
	}
	fs, err := postings(s)
	if err != nil {
		t.Fatalf("%q's postings %q: %v", term, s, err)
	}
	ix.decoded[term] = fs
	return fs
}

// lookup returns the pages holding term.
func (ix *index) lookup(t testing.TB, term string) []int {
	t.Helper()
	var docs []int
	for _, f := range ix.postings(t, term) {
		docs = append(docs, f.doc)
	}
	return docs
}

// phrase returns, for each page where the words of q occur side by
// side, the positions where they start: what site.js does with a
// quoted query of whole words.
func (ix *index) phrase(t testing.TB, q string) map[int][]int {
	t.Helper()
	words := Tokens(q)
	at := make([]map[int][]int, len(words)) // word -> page -> positions
	for j, w := range words {
		at[j] = map[int][]int{}
		for _, f := range ix.postings(t, w) {
			at[j][f.doc] = f.pos
		}
	}
	out := map[int][]int{}
	for doc, starts := range at[0] {
		for j := 1; j < len(words); j++ {
			starts = slices.DeleteFunc(slices.Clone(starts), func(p int) bool {
				_, ok := slices.BinarySearch(at[j][doc], p+j)
				return !ok
			})
		}
		if len(starts) > 0 {
			out[doc] = starts
		}
	}
	return out
}

func TestIndexFindsEveryWord(t *testing.T) {
	var entries []Entry
	var texts []string
	for i := 0; i < 30; i++ {
		var b strings.Builder
		for j := 0; j < 2000; j++ {
			fmt.Fprintf(&b, "w%dx%d common ", (i*7+j)%900, j%13)
		}
		texts = append(texts, b.String())
		entries = append(entries, NewEntry(Doc{Title: fmt.Sprintf("Post %d", i), URL: fmt.Sprintf("/p/%d/", i), Text: b.String(),
			Headings: []string{"Heading"}, Tags: []string{"tag"}, Date: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}))
	}
	files := Index(entries)
	ix := readIndex(t, files)
	if len(ix.manifest.Chunks) < 10 {
		t.Fatalf("%d chunks: want the index split", len(ix.manifest.Chunks))
	}
	for i, text := range texts {
		for _, w := range Tokens(text) {
			if !slices.Contains(ix.lookup(t, w), i) {
				t.Fatalf("%q does not find page %d", w, i)
			}
		}
	}
	if got := ix.lookup(t, "heading"); len(got) != 30 {
		t.Errorf("heading finds %d pages, want 30", len(got))
	}
	// Deterministic: the same entries in, the same bytes out.
	again := Index(entries)
	if len(again) != len(files) {
		t.Fatal("another file count the second time")
	}
	for i := range files {
		if files[i].Name != again[i].Name || string(files[i].Data) != string(again[i].Data) {
			t.Fatalf("%s differs between two runs", files[i].Name)
		}
	}
}

// TestIndexHostile: a huge post, odd Unicode and words that look like
// paths: file names stay plain numbers, a chunk stays near ChunkBytes
// unless one term needs more, and every term is found.
func TestIndexHostile(t *testing.T) {
	var huge strings.Builder
	for j := 0; j < 200000; j++ {
		fmt.Fprintf(&huge, "t%d ", j)
	}
	odd := "../../etc/passwd C:\\Windows\\System32 con aux nul.json com1 lpt1 .. . %2e%2e 𝔘𝔫𝔦 😀 \u202eevil\u202c e\u0301 İ ΟΔΟΣ 日本語 " + strings.Repeat("z", 10000) + " \x00nul\x00 a/b\\c:d*e?f\"g<h>i|j"
	entries := []Entry{
		NewEntry(Doc{Title: "Huge", URL: "/huge/", Text: huge.String()}),
		NewEntry(Doc{Title: "Odd <script>", URL: "/odd/\"quote\"/", Subtitle: odd, Text: odd}),
		NewEntry(Doc{Title: "", URL: "/empty/"}),
	}
	files := Index(entries)
	ix := readIndex(t, files)
	name := regexp.MustCompile(`^search/(index|t[0-9]+|d[0-9]+)\.json$`)
	for _, f := range files {
		if !name.MatchString(f.Name) {
			t.Errorf("file name %q", f.Name)
		}
		if !json.Valid(f.Data) {
			t.Errorf("%s is not JSON", f.Name)
		}
		if strings.HasPrefix(f.Name, "search/t") && len(f.Data) > 2*ChunkBytes {
			t.Errorf("%s is %d bytes", f.Name, len(f.Data))
		}
	}
	for _, w := range Tokens(odd) {
		if !slices.Contains(ix.lookup(t, w), 1) {
			t.Errorf("%q does not find the odd page", w)
		}
	}
	for _, w := range []string{"t0", "t199999", "t123456"} {
		if !slices.Equal(ix.lookup(t, w), []int{0}) {
			t.Errorf("%q does not find the huge page", w)
		}
	}
	var meta [][4]string
	if err := json.Unmarshal(ix.files["search/d0.json"], &meta); err != nil || len(meta) != 3 || meta[1][1] != "/odd/\"quote\"/" {
		t.Errorf("metadata %v, %v", meta, err)
	}
	// No pages: an empty index, still valid.
	empty := readIndex(t, Index(nil))
	if len(empty.manifest.Chunks) != 0 || empty.manifest.Docs != 0 {
		t.Errorf("empty index manifest %+v", empty.manifest)
	}
}

// BenchmarkIndex merges 1,000 analysed pages of 1,500 words (a vocabulary
// of 8,000) into the split index: what serve's Builder pays on every
// rebuild, the pages' own analysis being kept.
func BenchmarkIndex(b *testing.B) {
	vocab := make([]string, 8000)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("w%x", i*2654435761%1000003)
	}
	entries := make([]Entry, 1000)
	for i := range entries {
		var s strings.Builder
		for j := 0; j < 1500; j++ {
			s.WriteString(vocab[(i*31+j*j)%len(vocab)] + " ")
		}
		entries[i] = NewEntry(Doc{Title: fmt.Sprintf("Post %d", i), URL: fmt.Sprintf("/p/%d/", i), Text: s.String()})
	}
	b.ResetTimer()
	var size int
	for b.Loop() {
		size = 0
		for _, f := range Index(entries) {
			size += len(f.Data)
		}
	}
	b.ReportMetric(float64(size)/1000, "B/page")
}

// BenchmarkNewEntry analyses 1,000 pages of 1,500 words (a vocabulary of
// 8,000, some capitalised, with punctuation): the part of the index each
// page costs a build, spread over the cores.
func BenchmarkNewEntry(b *testing.B) {
	vocab := make([]string, 8000)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("w%x", i*2654435761%1000003)
		if i%7 == 0 {
			vocab[i] = strings.ToUpper(vocab[i][:1]) + vocab[i][1:] + ","
		}
	}
	docs := make([]Doc, 1000)
	for i := range docs {
		var s strings.Builder
		for j := 0; j < 1500; j++ {
			s.WriteString(vocab[(i*31+j*j)%len(vocab)] + " ")
		}
		docs[i] = Doc{Title: fmt.Sprintf("Post %d", i), URL: fmt.Sprintf("/p/%d/", i), Text: s.String(), Headings: []string{"A heading"}}
	}
	for b.Loop() {
		for _, d := range docs {
			NewEntry(d)
		}
	}
}

// CompareUTF16's byte fast path agrees with comparing the strings' UTF-16
// code units, across the boundaries where UTF-8's order and UTF-16's part.
func TestCompareUTF16(t *testing.T) {
	runes := []rune{'a', 'z', 'é', 'è', 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF}
	var strs []string
	for _, r := range runes {
		strs = append(strs, string(r), "x"+string(r), string(r)+"a", "ab"+string(r)+"z")
	}
	strs = append(strs, "", "a", "ab", "abc")
	sign := func(n int) int { return max(-1, min(1, n)) }
	for _, a := range strs {
		for _, b := range strs {
			ua, ub := utf16.Encode([]rune(a)), utf16.Encode([]rune(b))
			if got, want := sign(CompareUTF16(a, b)), sign(slices.Compare(ua, ub)); got != want {
				t.Errorf("CompareUTF16(%q, %q) = %d, want %d", a, b, got, want)
			}
		}
	}
}

func TestAppendNumber(t *testing.T) {
	for _, tc := range []struct {
		v    uint32
		want string
	}{
		{0, "A"}, {1, "B"}, {25, "Z"}, {26, "a"}, {31, "f"},
		{32, "hA"}, {33, "hB"}, {1023, "_f"}, {1024, "hgA"},
		{1<<32 - 1, "j_____f"},
	} {
		got := string(appendNumber([]byte("x"), tc.v))
		if got != "x"+tc.want || numberLen(tc.v) != len(tc.want) {
			t.Errorf("appendNumber(%d) = %q (numberLen %d), want %q", tc.v, got, numberLen(tc.v), "x"+tc.want)
		}
		if v, err := numbers(got[1:]); err != nil || len(v) != 1 || v[0] != int(tc.v) {
			t.Errorf("%q reads back as %v, %v", got[1:], v, err)
		}
	}
	for _, bad := range []string{"h", "A\"B", "jgggggggA", "AB*"} {
		if v, err := numbers(bad); err == nil {
			t.Errorf("numbers(%q) = %v, want an error", bad, v)
		}
	}
}

// chunkBytes grows with the index, so a large site writes hundreds of
// chunk files rather than thousands.
func TestChunkBytes(t *testing.T) {
	for _, tc := range []struct{ size, lo, hi int }{
		{0, ChunkBytes, ChunkBytes},
		{1 << 20, ChunkBytes, ChunkBytes},
		{9 << 20, 12 << 10, 13 << 10},
		{90 << 20, 37 << 10, 39 << 10},
	} {
		if got := chunkBytes(tc.size); got < tc.lo || got > tc.hi {
			t.Errorf("chunkBytes(%d) = %d, want %d..%d", tc.size, got, tc.lo, tc.hi)
		}
	}
}

// brutePhrase returns, for each text where the words of q occur side by
// side, the positions where they start, read from the texts' words.
func brutePhrase(texts []string, q string) map[int][]int {
	words := Tokens(q)
	out := map[int][]int{}
	for doc, text := range texts {
		toks := Tokens(text)
		for i := 0; i+len(words) <= len(toks); i++ {
			if slices.Equal(toks[i:i+len(words)], words) {
				out[doc] = append(out[doc], i)
			}
		}
	}
	return out
}

// TestPhrase: a phrase is found at every place it occurs, however far
// into a long page and however often its words occur before it, and
// words that are never side by side in that order are not a phrase.
func TestPhrase(t *testing.T) {
	var long strings.Builder
	// Each word of the phrase 2,000 times apart first, then the phrase
	// 500 times from word 12,000 on, between other words.
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&long, "consistent ring%d hashing node%d ", i%50, i%70)
	}
	for i := 0; i < 500; i++ {
		fmt.Fprintf(&long, "the consistent hashing ring%d moves keys%d ", i%50, i%30)
	}
	texts := []string{
		long.String(),
		strings.Repeat("hashing, consistent: the ring. ", 300) + "moves keys then consistent hashing",
		"Consistent hashing.",
		strings.Repeat("ring node keys ", 1000),
	}
	var entries []Entry
	for i, text := range texts {
		entries = append(entries, NewEntry(Doc{Title: fmt.Sprintf("Post %d", i), URL: fmt.Sprintf("/p/%d/", i), Text: text}))
	}
	ix := readIndex(t, Index(entries))
	for _, tc := range []struct {
		q     string
		pages []int // the pages holding the phrase
		count int   // its occurrences, all pages together
	}{
		{"consistent hashing", []int{0, 1, 2}, 502},
		{"hashing consistent", []int{1}, 300},
		{"the consistent hashing", []int{0}, 500},
		{"consistent hashing ring7", []int{0}, 10},
		{"moves keys29", []int{0}, 16},
		{"ring node", []int{3}, 1000},
		{"node consistent", nil, 0}, // "node7 consistent", never "node consistent"
		{"hashing ring", nil, 0},
		{"keys then consistent hashing", []int{1}, 1},
		{"consistent consistent", nil, 0},
	} {
		got, want := ix.phrase(t, tc.q), brutePhrase(texts, tc.q)
		var pages []int
		count := 0
		for doc, starts := range got {
			pages = append(pages, doc)
			count += len(starts)
			if !slices.Equal(starts, want[doc]) {
				t.Errorf("%q in page %d: index has it at %d places, the text at %d", tc.q, doc, len(starts), len(want[doc]))
			}
		}
		slices.Sort(pages)
		if !slices.Equal(pages, tc.pages) || count != tc.count || len(got) != len(want) {
			t.Errorf("%q: in pages %v, %d times; want %v, %d times (the texts: %d pages)", tc.q, pages, count, tc.pages, tc.count, len(want))
		}
	}
}

// TestIndexGolden pins the files of a small index: a page whose phrase
// "consistent hashing" comes after each of its words' first 40
// occurrences, and a page with both words never in that order. The
// golden file holds the files and, after them, each term's postings read
// back (page, fields, positions).
func TestIndexGolden(t *testing.T) {
	entries := []Entry{
		NewEntry(Doc{Title: "Consistent hashing", URL: "/posts/ch/", Date: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
			Tags: []string{"hashing"}, Headings: []string{"The ring"}, Subtitle: "Keys that stay",
			Text: strings.Repeat("consistent ring ", 40) + strings.Repeat("hashing node ", 40) + strings.Repeat("consistent hashing moves few keys ", 5)}),
		NewEntry(Doc{Title: "Rings", URL: "/posts/rings/", Text: "Hashing, consistent: the ring and its node."}),
	}
	files := Index(entries)
	ar := &txtar.Archive{Comment: []byte("The index files of TestIndexGolden, then each term's postings read back.\n")}
	for _, f := range files {
		ar.Files = append(ar.Files, txtar.File{Name: f.Name, Data: append(f.Data, '\n')})
	}
	ix := readIndex(t, files)
	var dec strings.Builder
	for i := range ix.manifest.Chunks {
		chunk := ix.chunk(t, i)
		terms := slices.SortedFunc(maps.Keys(chunk), CompareUTF16)
		for _, term := range terms {
			fmt.Fprintf(&dec, "%s:", term)
			for _, f := range ix.postings(t, term) {
				fmt.Fprintf(&dec, " [page %d fields %d at %v]", f.doc, f.fields, f.pos)
			}
			dec.WriteString("\n")
		}
	}
	ar.Files = append(ar.Files, txtar.File{Name: "decoded", Data: []byte(dec.String())})
	golden.Check(t, "index.txtar", txtar.Format(ar))
	if got := ix.phrase(t, "consistent hashing"); len(got) != 1 || !slices.Equal(got[0], []int{160, 165, 170, 175, 180}) {
		t.Errorf(`"consistent hashing" found at %v, want page 0 at 160, 165, 170, 175 and 180`, got)
	}
}

// FuzzIndex: the index of any pages reads back, through the manifest and
// the chunks as site.js reads them, as exactly the pages' terms, each
// with its pages, fields and every position of it in their text.
func FuzzIndex(f *testing.F) {
	f.Add("consistent hashing moves keys\x00hashing, consistent\x00", "Consistent")
	f.Add(strings.Repeat("a b ", 300)+"b a", "b")
	f.Add("日本語のテキスト\x00😀 𝔘𝔫𝔦 e\u0301 İ\x00\x00"+strings.Repeat("z", 100), "ΟΔΟΣ")
	f.Fuzz(func(t *testing.T, s, title string) {
		texts := strings.Split(s, "\x00")
		if len(texts) > 8 {
			texts = texts[:8]
		}
		type want struct {
			fields int
			pos    []int
		}
		wants := map[string]map[int]*want{} // term -> page -> posting
		at := func(term string, doc int) *want {
			if wants[term] == nil {
				wants[term] = map[int]*want{}
			}
			if wants[term][doc] == nil {
				wants[term][doc] = &want{}
			}
			return wants[term][doc]
		}
		var entries []Entry
		for doc, text := range texts {
			entries = append(entries, NewEntry(Doc{Title: title, Text: text}))
			for _, w := range Tokens(title) {
				at(w, doc).fields |= InTitle
			}
			for i, w := range Tokens(text) {
				p := at(w, doc)
				p.fields |= InText
				p.pos = append(p.pos, i)
			}
		}
		files := Index(entries)
		ix := readIndex(t, files)
		if ix.manifest.Docs != len(texts) {
			t.Fatalf("manifest says %d pages, want %d", ix.manifest.Docs, len(texts))
		}
		n := 0
		for i := range ix.manifest.Chunks {
			for term := range ix.chunk(t, i) {
				if ix.chunkOf(term) != i {
					t.Fatalf("term %q is in chunk %d, the manifest points to %d", term, i, ix.chunkOf(term))
				}
				n++
			}
		}
		if n != len(wants) {
			t.Fatalf("the chunks hold %d terms, the pages %d", n, len(wants))
		}
		for term, pages := range wants {
			got := ix.postings(t, term)
			if len(got) != len(pages) {
				t.Fatalf("%q: %d pages, want %d", term, len(got), len(pages))
			}
			for k, g := range got {
				w := pages[g.doc]
				if w == nil || (k > 0 && g.doc <= got[k-1].doc) || g.fields != w.fields || !slices.Equal(g.pos, w.pos) {
					t.Fatalf("%q: posting %d is %+v, want pages in order and %+v", term, k, g, w)
				}
			}
		}
	})
}
