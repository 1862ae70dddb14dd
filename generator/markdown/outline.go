package markdown

import (
	"html"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
)

// Outline is what a post's pages and indexes need of its text, besides
// the HTML: its headings, its length and its plain text.
type Outline struct {
	Headings []Heading // every heading, in order
	Words    int       // words of prose (code blocks and raw HTML left out)
	// Text is the prose as plain text, white space collapsed, for the
	// search index (every word of it) and descriptions.
	Text string
}

// Heading is one heading of a document.
type Heading struct {
	Level int
	ID    string // its anchor; empty when it has none
	Title string // plain text
}

// Outline walks the document once for its headings, words and text.
func (d *Doc) Outline() Outline {
	var o Outline
	doc, src := d.root, d.src
	var words int
	inWord := false // the last text ended inside a word
	// The text is collapsed as it is written, into room for the whole
	// source: no second pass, no regrowing.
	text := spaceCollapser{b: make([]byte, 0, len(src))}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			h := Heading{Level: n.Level, Title: plainText(n, src)}
			if id, ok := n.AttributeString("id"); ok {
				if b, ok := id.([]byte); ok {
					h.ID = string(b)
				}
			}
			o.Headings = append(o.Headings, h)
		case *ast.HTMLBlock:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			// A word may span segments ("Intro" and "." are two, as
			// are "a" and "b" of a*b*): count it once.
			count, in := text.write(n.Segment.Value(src), inWord)
			words, inWord = words+count, in && !n.SoftLineBreak() && !n.HardLineBreak()
			if n.SoftLineBreak() || n.HardLineBreak() {
				text.space()
			}
		case *ast.String:
			// The typographer's quotes and dashes: "key's" is "key", a
			// quote and "s" in the text, not "keys".
			text.write([]byte(html.UnescapeString(string(n.Value))), false)
		case *ast.AutoLink: // a bare URL is one word
			if !inWord {
				words++
			}
			inWord = true
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			return ast.WalkSkipChildren, nil
		}
		// Blocks (paragraphs, headings, table cells) are separate words in
		// the text: "Section one" after a paragraph must not fuse with it.
		if n.Type() == ast.TypeBlock {
			inWord = false
			text.space()
		}
		return ast.WalkContinue, nil
	})
	o.Words = words
	o.Text = string(text.b)
	return o
}

// spaceCollapser builds text with each run of white space made one space
// and none at either end: what strings.Join(strings.Fields(all), " ")
// would make of everything written to it.
type spaceCollapser struct {
	b       []byte
	pending bool // white space was written after b's last word
}

func (c *spaceCollapser) space() { c.pending = len(c.b) > 0 }

// write appends p and counts its words: those that start in p, where in
// says p continues a word; it reports whether p ends inside one.
func (c *spaceCollapser) write(p []byte, in bool) (int, bool) {
	n := 0
	for i := 0; i < len(p); {
		// A word, appended whole, then the white space after it.
		j := i
		for j < len(p) {
			size, space := spaceAt(p, j)
			if space {
				break
			}
			j += size
		}
		if j > i {
			if !in {
				n++
			}
			if c.pending {
				c.b = append(c.b, ' ')
				c.pending = false
			}
			c.b = append(c.b, p[i:j]...)
			in = true
		}
		for j < len(p) {
			size, space := spaceAt(p, j)
			if !space {
				break
			}
			j += size
			c.pending, in = len(c.b) > 0, false
		}
		i = j
	}
	return n, in
}

// spaceAt reports the size of the rune at p[i] and whether it is white
// space.
func spaceAt(p []byte, i int) (int, bool) {
	if ch := p[i]; ch < utf8.RuneSelf {
		return 1, asciiSpace[ch]
	}
	r, size := utf8.DecodeRune(p[i:])
	return size, unicode.IsSpace(r)
}

// RenderSummary writes the document's teaser: everything before a
// top-level <!--more--> (live blocks left out), or else its first
// top-level paragraph, or nothing.
func (d *Doc) RenderSummary(w io.Writer) error {
	r := d.m.md.Renderer()
	var firstPara ast.Node
	for n := d.root.FirstChild(); n != nil; n = n.NextSibling() {
		if hb, ok := n.(*ast.HTMLBlock); ok && strings.TrimSpace(linesOf(d.src, hb)) == "<!--more-->" {
			for c := d.root.FirstChild(); c != n; c = c.NextSibling() {
				if c.Kind() == kindLive {
					continue
				}
				if err := r.Render(w, d.src, c); err != nil {
					return err
				}
			}
			return nil
		}
		if _, ok := n.(*ast.Paragraph); ok && firstPara == nil {
			firstPara = n
		}
	}
	if firstPara != nil {
		return r.Render(w, d.src, firstPara)
	}
	return nil
}

var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			switch c := c.(type) {
			case *ast.Text:
				b.Write(c.Segment.Value(src))
			case *ast.String:
				// The typographer's quotes and dashes are entities
				// ("&ldquo;"): headings are plain text in the TOC (which
				// html/template escapes) and the search index.
				b.WriteString(html.UnescapeString(string(c.Value)))
			}
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}
