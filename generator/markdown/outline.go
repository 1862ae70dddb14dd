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
	var text strings.Builder
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
			seg := n.Segment.Value(src)
			// A word may span segments ("Intro" and "." are two, as
			// are "a" and "b" of a*b*): count it once.
			count, in := countFields(seg, inWord)
			words, inWord = words+count, in && !n.SoftLineBreak() && !n.HardLineBreak()
			text.Write(seg)
			if n.SoftLineBreak() || n.HardLineBreak() {
				text.WriteByte(' ')
			}
		case *ast.String:
			// The typographer's quotes and dashes: "key's" is "key", a
			// quote and "s" in the text, not "keys".
			text.WriteString(html.UnescapeString(string(n.Value)))
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
			if text.Len() > 0 && text.String()[text.Len()-1] != ' ' {
				text.WriteByte(' ')
			}
		}
		return ast.WalkContinue, nil
	})
	o.Words = words
	o.Text = collapseSpace(text.String())
	return o
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

// countFields is len(bytes.Fields(b)) without building the slice, for
// text that continues a word when in is set: it returns the words that
// start in b, and whether b ends inside one.
func countFields(b []byte, in bool) (int, bool) {
	n := 0
	for i := 0; i < len(b); {
		c := b[i]
		var space bool
		if c < utf8.RuneSelf {
			space = asciiSpace[c]
			i++
		} else {
			r, size := utf8.DecodeRune(b[i:])
			space = unicode.IsSpace(r)
			i += size
		}
		if !space && !in {
			n++
		}
		in = !space
	}
	return n, in
}

// collapseSpace is strings.Join(strings.Fields(s), " ") without the slice
// of words: runs of white space become one space, none at either end.
func collapseSpace(s string) string {
	b := make([]byte, 0, len(s))
	space := false
	for i := 0; i < len(s); {
		c := s[i]
		var isSpace bool
		size := 1
		if c < utf8.RuneSelf {
			isSpace = asciiSpace[c]
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			isSpace = unicode.IsSpace(r)
		}
		if isSpace {
			space = len(b) > 0
		} else {
			if space {
				b = append(b, ' ')
				space = false
			}
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return string(b)
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
