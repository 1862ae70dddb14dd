package markdown

import (
	"bytes"
	"strings"
	"testing"
)

// indentedList is n list levels, one per line, each indented under the
// one before: the way an author nests lists, and n² bytes.
func indentedList(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat("  ", i))
		b.WriteString("- x\n")
	}
	return b.String()
}

// TestNestingLimit: lists, blockquotes and footnote definitions nest up
// to MaxNesting levels; one level more is an error at the line that opens
// it, however the levels are written. Deep indentation that opens nothing
// (code, a rule) is no error.
func TestNestingLimit(t *testing.T) {
	const n = MaxNesting
	tests := []struct {
		name, src, want string
	}{
		{"lists at the limit", indentedList(n), ""},
		{"lists one past the limit", indentedList(n + 1), "p.md:101: lists nested deeper than 100 levels: flatten them"},
		{"lists on one line", "Intro.\n\n" + strings.Repeat("- ", n+1) + "x\n", "p.md:3: lists nested deeper than 100 levels: flatten them"},
		{"ordered lists on one line", strings.Repeat("1. ", n+1) + "x\n", "p.md:1: lists nested deeper than 100 levels: flatten them"},
		{"ordered lists at the limit", strings.Repeat("1) ", n) + "x\n", ""},
		{"an empty item", strings.Repeat("1. ", n) + "-\n", "p.md:1: lists nested deeper than 100 levels: flatten them"},
		{"blockquotes at the limit", strings.Repeat(">", n) + " x\n", ""},
		{"blockquotes one past the limit", "a\n\n" + strings.Repeat("> ", n+1) + "x\n", "p.md:3: blockquotes nested deeper than 100 levels: flatten them"},
		{"quotes and lists together", strings.Repeat("> - ", n/2) + "> x\n", "p.md:1: blockquotes nested deeper than 100 levels: flatten them"},
		{"a rule at the limit", strings.Repeat("- ", n) + "x\n" + strings.Repeat("  ", n) + "- - -\n", ""},
		{"text at the limit", strings.Repeat("- ", n) + "x\n" + strings.Repeat("  ", n) + "-x and 2024 was *fine*\n", ""},
		{"footnotes at the limit", strings.Repeat("[^a]: ", n) + "x\n", ""},
		{"footnotes one past the limit", "Text.[^a]\n\n" + strings.Repeat("[^a]: ", n+1) + "x\n", "p.md:3: footnotes nested deeper than 100 levels: flatten them"},
		{"a link at the limit", strings.Repeat("> ", n) + "x\n" + strings.Repeat("> ", n) + "[a]: /b\n", ""},
		{"deep code", "```\n" + indentedList(2*n) + "```\n", ""},
	}
	m := New(Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, errs := m.Parse([]byte(tt.src), "p.md", nil)
			got := ""
			if errs != nil {
				got = errs.Error()
			}
			if got != tt.want {
				t.Fatalf("got  %q\nwant %q", got, tt.want)
			}
			var buf bytes.Buffer
			if err := doc.Render(&buf); err != nil {
				t.Fatal(err)
			}
			if tt.want != "" && buf.Len() != 0 {
				t.Errorf("a refused document rendered %d bytes", buf.Len())
			}
			// A summary from front matter goes through Convert: the same
			// bound, as an error rather than a crash.
			buf.Reset()
			err := m.Convert([]byte(tt.src), &buf)
			if (err != nil) != (tt.want != "") {
				t.Errorf("Convert: %v", err)
			}
		})
	}
}

// BenchmarkDeepLists is the hostile post of issue 28: 10,000 nested list
// levels (100 MB of indentation), which goldmark took minutes and
// gigabytes to parse. It must now fail at line 101, in about the time
// goldmark takes to read 100 lines.
func BenchmarkDeepLists(b *testing.B) {
	src := []byte(indentedList(10_000))
	m := New(Options{})
	for b.Loop() {
		if _, errs := m.Parse(src, "p.md", nil); len(errs) != 1 || errs[0].Line != MaxNesting+1 {
			b.Fatalf("errors: %v", errs)
		}
	}
}
