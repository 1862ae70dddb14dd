package markdown

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/benchpress/benchpress/generator/diag"
	"github.com/benchpress/benchpress/generator/mathml"
)

// Math follows GitHub's syntax: $...$ inline, $`...`$ inline with the
// backticks keeping the dollars out, $$...$$ displayed (on one line, or
// opening and closing lines of a block), and ```math fences. Like
// GitHub (and pandoc), an opening $ must be followed by a non-space and
// a closing $ preceded by a non-space and not followed by a digit, so
// "$5 and $10" stays text; \$ is a literal dollar. Math is converted to
// MathML when the post is parsed (package mathml): a page needs no
// script, and an expression that does not convert is an error at its
// line.

// mathNode is converted math, inline or displayed.
type mathNode struct {
	ast.BaseInline
	html    string // the MathML, or "" when it did not convert
	src     string // the TeX, shown as code when it did not convert
	display bool
}

var kindMath = ast.NewNodeKind("Math")

func (n *mathNode) Kind() ast.NodeKind { return kindMath }
func (n *mathNode) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"TeX": n.src}, nil)
}

// mathBlock is a displayed $$ block or a ```math fence.
type mathBlock struct {
	ast.BaseBlock
	math mathNode
}

var kindMathBlock = ast.NewNodeKind("MathBlock")

func (n *mathBlock) Kind() ast.NodeKind { return kindMathBlock }
func (n *mathBlock) IsRaw() bool        { return true }
func (n *mathBlock) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"TeX": n.math.src}, nil)
}

// convertMath converts tex, which starts on line of the document, and
// reports a failure at the line of the error.
func convertMath(pc parser.Context, tex string, line int, display bool) mathNode {
	n := mathNode{src: tex, display: display}
	out, err := mathml.Convert(tex, display)
	if err == nil {
		n.html = out
		return n
	}
	if st, _ := pc.Get(liveKey).(*docState); st != nil {
		e := err.(*mathml.Error)
		// An error at the end (an unclosed group) is on the last line
		// that has math, not after its line end.
		off := min(e.Offset, len(strings.TrimRight(tex, " \t\r\n")))
		st.errs.Add(diag.Errorf(st.file, line+strings.Count(tex[:off], "\n"), "math: %s", e.Msg))
	}
	return n
}

// mathInline parses $...$, $`...`$ and $$...$$ within a line.
type mathInline struct{}

func (mathInline) Trigger() []byte { return []byte{'$'} }

func (mathInline) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	if len(line) < 3 {
		return nil
	}
	// A $ right after a letter or digit (US$5, 5$) opens nothing.
	if seg.Start > 0 {
		if prev := block.Source()[seg.Start-1]; isWordByte(prev) {
			return nil
		}
	}
	var tex []byte
	var consumed int
	display := false
	switch {
	case line[1] == '$':
		end := bytes.Index(line[2:], []byte("$$"))
		if end <= 0 {
			return nil
		}
		tex, consumed, display = line[2:2+end], 2+end+2, true
	case line[1] == '`':
		end := bytes.Index(line[2:], []byte("`$"))
		if end <= 0 {
			return nil
		}
		tex, consumed = line[2:2+end], 2+end+2
	default:
		if isSpace(line[1]) {
			return nil
		}
		end := closingDollar(line)
		if end < 0 {
			return nil
		}
		tex, consumed = line[1:end], end+1
	}
	if len(bytes.TrimSpace(tex)) == 0 {
		return nil
	}
	n := convertMath(pc, string(tex), lineOf(block.Source(), seg.Start), display)
	block.Advance(consumed)
	return &n
}

// closingDollar is the index in line of the $ that closes the one at 0,
// or -1. The next unescaped $ closes it if it is preceded by a non-space
// and not followed by a digit; if it is not, the first $ was a dollar
// sign ("$5 and $10"), and so is this one.
func closingDollar(line []byte) int {
	for i := 2; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++ // \$ inside math is a dollar sign
		case '$':
			if isSpace(line[i-1]) || i+1 < len(line) && line[i+1] >= '0' && line[i+1] <= '9' {
				return -1
			}
			return i
		}
	}
	return -1
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// mathBlockParser parses a displayed block: a line starting with $$ opens
// it, and the line ending with $$ closes it (the same line, for
// $$...$$ alone on a line).
type mathBlockParser struct{}

type mathBlockState struct {
	line   int // of the opening $$
	closed bool
}

var mathBlockKey = parser.NewContextKey()

func (mathBlockParser) Trigger() []byte { return []byte{'$'} }

func (mathBlockParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, seg := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos < 0 || !bytes.HasPrefix(line[pos:], []byte("$$")) {
		return nil, parser.NoChildren
	}
	node := &mathBlock{}
	rest := bytes.TrimRight(line[pos+2:], " \t\r\n")
	start := seg.Start + pos + 2
	st := &mathBlockState{line: lineOf(reader.Source(), seg.Start)}
	if bytes.HasSuffix(rest, []byte("$$")) && len(rest) >= 2 {
		// $$...$$ on one line.
		node.Lines().Append(text.NewSegment(start, start+len(rest)-2))
		st.closed = true
	} else if len(bytes.TrimSpace(rest)) > 0 {
		node.Lines().Append(text.NewSegment(start, seg.Stop))
	}
	pc.Set(mathBlockKey, st)
	reader.AdvanceToEOL()
	return node, parser.NoChildren
}

func (mathBlockParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	st, _ := pc.Get(mathBlockKey).(*mathBlockState)
	if st == nil || st.closed {
		return parser.Close
	}
	line, seg := reader.PeekLine()
	if line == nil {
		return parser.Close
	}
	trimmed := bytes.TrimRight(line, " \t\r\n")
	if bytes.HasSuffix(trimmed, []byte("$$")) {
		if len(trimmed) > 2 {
			node.Lines().Append(text.NewSegment(seg.Start, seg.Start+len(trimmed)-2))
		}
		st.closed = true
		reader.AdvanceToEOL()
		return parser.Close
	}
	node.Lines().Append(seg)
	reader.AdvanceToEOL()
	return parser.Continue | parser.NoChildren
}

func (mathBlockParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {
	st, _ := pc.Get(mathBlockKey).(*mathBlockState)
	pc.Set(mathBlockKey, nil)
	if st == nil {
		return
	}
	n := node.(*mathBlock)
	if !st.closed {
		if ds, _ := pc.Get(liveKey).(*docState); ds != nil {
			ds.errs.Add(diag.Errorf(ds.file, st.line, "math: $$ is not closed: end the displayed math with $$"))
		}
		n.math = mathNode{src: linesOf(reader.Source(), node), display: true}
		return
	}
	tex := linesOf(reader.Source(), node)
	first := st.line
	if node.Lines().Len() > 0 {
		first = lineOf(reader.Source(), node.Lines().At(0).Start)
	}
	n.math = convertMath(pc, tex, first, true)
}

func (mathBlockParser) CanInterruptParagraph() bool { return true }
func (mathBlockParser) CanAcceptIndentedLine() bool { return false }

// mathFence turns a ```math fence into a mathBlock, reporting errors at
// their lines.
func mathFence(f *ast.FencedCodeBlock, src []byte, pc parser.Context) {
	tex := linesOf(src, f)
	line := lineOf(src, f.Info.Segment.Start) + 1
	if f.Lines().Len() > 0 {
		line = lineOf(src, f.Lines().At(0).Start)
	}
	n := &mathBlock{math: convertMath(pc, tex, line, true)}
	f.Parent().ReplaceChild(f.Parent(), f, n)
}

func (r *nodeRenderer) renderMath(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		writeMath(w, node.(*mathNode))
	}
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) renderMathBlock(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		// A wide formula scrolls sideways, as a code block does.
		w.WriteString(`<div class="math-display" tabindex="0">`)
		writeMath(w, &node.(*mathBlock).math)
		w.WriteString("</div>\n")
	}
	return ast.WalkSkipChildren, nil
}

// writeMath writes math's MathML; math that did not convert (the build
// has failed, but serve shows the page) is shown as its source.
func writeMath(w util.BufWriter, n *mathNode) {
	if n.html != "" {
		w.WriteString(n.html)
		return
	}
	w.WriteString(`<code class="math-error">`)
	writeEscaped(w, n.src)
	w.WriteString(`</code>`)
}

func registerMath(reg renderer.NodeRendererFuncRegisterer, r *nodeRenderer) {
	reg.Register(kindMath, r.renderMath)
	reg.Register(kindMathBlock, r.renderMathBlock)
}
