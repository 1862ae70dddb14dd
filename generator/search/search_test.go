package search

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"
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
		// once, in the order of first use, with its first positions.
		var want, lists []string
		var last, npos []int
		seen := map[string]int{}
		for i, tok := range Tokens(s) {
			k, ok := seen[tok]
			if !ok {
				k = len(want)
				seen[tok] = k
				want, lists, last, npos = append(want, tok), append(lists, "8"), append(last, 0), append(npos, 0)
			}
			if npos[k] < MaxPositions {
				lists[k] += "," + strconv.Itoa(i-last[k])
				last[k], npos[k] = i, npos[k]+1
			}
		}
		got := entryPostings(NewEntry(Doc{Text: s}))
		if len(got) != len(want) {
			t.Fatalf("NewEntry(%q) has %d terms, Tokens %d", s, len(got), len(want))
		}
		for i, p := range got {
			if p[0] != want[i] || p[1] != lists[i] {
				t.Fatalf("NewEntry(%q) term %d is %q %q, want %q %q", s, i, p[0], p[1], want[i], lists[i])
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

// index is a reader of the files, as site.js reads them.
type index struct {
	files    map[string][]byte
	chunks   map[int]map[string][][]int
	manifest struct {
		V      string   `json:"v"`
		Chunks []string `json:"chunks"`
		Docs   int      `json:"docs"`
		Per    int      `json:"per"`
	}
}

func readIndex(t *testing.T, files []File) *index {
	t.Helper()
	ix := &index{files: map[string][]byte{}, chunks: map[int]map[string][][]int{}}
	for _, f := range files {
		ix.files[f.Name] = f.Data
	}
	if err := json.Unmarshal(ix.files["search/index.json"], &ix.manifest); err != nil {
		t.Fatal(err)
	}
	return ix
}

// lookup returns the pages holding term, reading only the chunk the
// manifest points to.
func (ix *index) lookup(t *testing.T, term string) []int {
	t.Helper()
	c := ix.manifest.Chunks
	i := 0
	for i+1 < len(c) && CompareUTF16(c[i+1], term) <= 0 {
		i++
	}
	chunk, ok := ix.chunks[i]
	if !ok {
		if err := json.Unmarshal(ix.files[fmt.Sprintf("search/t%d.json", i)], &chunk); err != nil {
			t.Fatalf("chunk %d: %v", i, err)
		}
		ix.chunks[i] = chunk
	}
	var docs []int
	for _, h := range chunk[term] {
		docs = append(docs, h[0])
	}
	return docs
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

func TestAppendUint(t *testing.T) {
	for _, v := range []uint32{0, 9, 10, 99, 100, 999, 1000, 9999, 10000, 1<<32 - 1} {
		if got, want := string(appendUint([]byte("x"), v)), "x"+strconv.FormatUint(uint64(v), 10); got != want {
			t.Errorf("appendUint(%d) = %q, want %q", v, got, want)
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
