package markdown

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// quickLinkify is GFM's autolink extension (goldmark's Linkify) with a
// cheap test in front. Linkify is asked at every space of every
// paragraph, and for each word it looks for an e-mail address; on the
// benchmark corpus that was a sixth of all markdown parsing. A bare URL
// starts with http:, https:, ftp: or www., and an address has an @ before
// the word's end, so a word with neither is passed over without asking
// Linkify. The output is the same (TestQuickLinkify).
var quickLinkify goldmark.Extender = quickLinkifyExt{}

type quickLinkifyExt struct{}

func (quickLinkifyExt) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithInlineParsers(util.Prioritized(quickLinkifyParser{extension.NewLinkifyParser()}, 999)))
}

type quickLinkifyParser struct{ parser.InlineParser }

func (q quickLinkifyParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, _ := block.PeekLine()
	if len(line) > 0 {
		switch line[0] { // Linkify's triggers, which it steps over
		case ' ', '*', '_', '~', '(':
			line = line[1:]
		}
	}
	if !mayLink(line) {
		return nil
	}
	return q.InlineParser.Parse(parent, block, pc)
}

var (
	prefixHTTP  = []byte("http:")
	prefixHTTPS = []byte("https:")
	prefixFTP   = []byte("ftp:")
	prefixWWW   = []byte("www.")
)

// mayLink reports whether Linkify could find a link at the start of line.
func mayLink(line []byte) bool {
	if bytes.HasPrefix(line, prefixHTTP) || bytes.HasPrefix(line, prefixHTTPS) || bytes.HasPrefix(line, prefixFTP) || bytes.HasPrefix(line, prefixWWW) {
		return true
	}
	for _, c := range line {
		switch c {
		case '@':
			return true
		case ' ', '\t', '\n', '\v', '\f', '\r':
			return false
		}
	}
	return false
}
