package markdown

import (
	"fmt"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// MaxNesting is how deep lists, blockquotes and footnote definitions may
// nest, together: far
// beyond real writing (a dozen levels is already unreadable), and low
// enough that no post can hold a build. goldmark checks every open
// container against every line (each one scans the line's indentation),
// so a post of n nested levels costs about n times its size, and n levels
// written with indentation take n² bytes: 10,000 levels ran for minutes in
// gigabytes.
const MaxNesting = 100

// nestingLimit is a block parser that opens nothing: tried just before
// goldmark's list, blockquote and footnote parsers, it stops the parse at
// the first line that would open one deeper than MaxNesting. It
// panics with a nestingError, which Parse and Convert recover: a panic
// ends the parse at once, where refusing to open would leave goldmark
// walking the remaining deep lines.
type nestingLimit struct{}

// nestingError is the panic value of nestingLimit.
type nestingError struct {
	line int
	what string // lists, blockquotes or footnotes: what the line opens
}

func (e nestingError) Error() string {
	return fmt.Sprintf("%s nested deeper than %d levels: flatten them", e.what, MaxNesting)
}

// nestingPriority puts the check after the setext heading and thematic
// break parsers (a "- - -" line is a rule, not three lists) and before the
// list parser (300).
const nestingPriority = 250

func (nestingLimit) Trigger() []byte {
	return []byte("-+*>[0123456789")
}

func (nestingLimit) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	if parent.Kind() == ast.KindList {
		return nil, parser.NoChildren // the marker opens an item of this list, not a level
	}
	depth := 0
	for n := parent; n != nil && depth < MaxNesting; n = n.Parent() {
		if k := n.Kind(); k == ast.KindList || k == ast.KindBlockquote || k == east.KindFootnote {
			depth++
		}
	}
	if depth < MaxNesting {
		return nil, parser.NoChildren
	}
	line, seg := reader.PeekLine()
	if pos := pc.BlockOffset(); pos >= 0 && pos < len(line) {
		line = line[pos:]
		what := ""
		switch {
		case line[0] == '>':
			what = "blockquotes"
		case line[0] == '[':
			if opensFootnote(line) {
				what = "footnotes"
			}
		case opensList(line):
			what = "lists"
		}
		if what != "" {
			lineNo := 1
			for _, c := range reader.Source()[:seg.Start] {
				if c == '\n' {
					lineNo++
				}
			}
			panic(nestingError{line: lineNo, what: what})
		}
	}
	return nil, parser.NoChildren
}

// opensList reports whether line starts with a list marker: -, + or *,
// or up to nine digits and . or ), followed by a space, a tab or the end
// of the line.
func opensList(line []byte) bool {
	i := 0
	switch c := line[0]; {
	case c == '-' || c == '+' || c == '*':
		i = 1
	case '0' <= c && c <= '9':
		for i < len(line) && i < 9 && '0' <= line[i] && line[i] <= '9' {
			i++
		}
		if i == len(line) || (line[i] != '.' && line[i] != ')') {
			return false
		}
		i++
	default:
		return false
	}
	return i == len(line) || line[i] == ' ' || line[i] == '\t' || line[i] == '\n' || line[i] == '\r'
}

// opensFootnote reports whether line starts a footnote definition:
// [^label]: with a label of anything but brackets and spaces.
func opensFootnote(line []byte) bool {
	if len(line) < 5 || line[0] != '[' || line[1] != '^' {
		return false
	}
	for i := 2; i+1 < len(line); i++ {
		switch line[i] {
		case ']':
			return i > 2 && line[i+1] == ':'
		case '[', ' ', '\t', '\n':
			return false
		}
	}
	return false
}

func (nestingLimit) Continue(ast.Node, text.Reader, parser.Context) parser.State { return parser.Close }
func (nestingLimit) Close(ast.Node, text.Reader, parser.Context)                 {}
func (nestingLimit) CanInterruptParagraph() bool                                 { return true }
func (nestingLimit) CanAcceptIndentedLine() bool                                 { return false }

var nestingParser = util.Prioritized(nestingLimit{}, nestingPriority)
