// Package markdown turns a post's markdown into HTML: the goldmark setup
// and its extensions (GFM with a faster linkifier, footnotes, definition
// lists, typographic quotes, heading IDs with anchor links, tables in
// focusable scroll boxes), syntax highlighting (a go/scanner fast path for
// Go, chroma for the rest, CSS classes only, and the stylesheet for the
// site's light and dark styles), the Outline of a document (headings,
// words, plain text, summary), and a node for live blocks, which the
// caller renders: markdown knows nothing of snippets or the playground.
package markdown

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/benchpress/benchpress/generator/diag"
)

// Markdown is the site's goldmark setup. Parsers and renderers are
// stateless and shared by all goroutines; per-document state travels in
// the parser.Context.
type Markdown struct {
	md      goldmark.Markdown
	fence   func(info string) (Fence, error)
	diagram func(src string) (svg string, err error)
}

// Options configure a Markdown.
type Options struct {
	LineNumbers bool // number the lines of every code block
	Unsafe      bool // raw HTML in posts passes through
	// Fence says what a fence's info string means: the one recogniser of
	// live blocks is the caller's. An error is reported at the fence; the
	// Fence returned with it still colours the block.
	Fence func(info string) (Fence, error)
	// Highlighter colours code blocks; nil means the default styles'
	// (github and github-dark).
	Highlighter *Highlighter
	// Diagram draws a ```d2 fence's source as SVG; an error (a
	// *SourceError for one at a line of the source) is reported at the
	// fence. Nil leaves d2 fences as code.
	Diagram func(src string) (svg string, err error)
}

// Fence is what a fence's info string asks for.
type Fence struct {
	Lang        string
	Live        bool // a live block: its Block renders it, source included
	LineNumbers bool
	Highlight   [][2]int // line ranges to highlight, 1-based, inclusive
}

// LiveFence is a live block as the parser found it.
type LiveFence struct {
	Info     string // the info string as written
	Fence    Fence
	Body     string // the fence's text
	Line     int    // line of the opening fence
	BodyLine int    // line of the body's first line
}

// Block renders a live block in the page, in place of its fence.
type Block interface {
	WriteHTML(w io.Writer)
}

// Live is called for each live fence of a document, in order. It returns
// the Block that renders it, or nil to drop the block; an error is
// reported with the document's errors.
type Live func(f LiveFence) (Block, error)

var liveKey = parser.NewContextKey()

// docState is the per-document state the transformer needs.
type docState struct {
	file string
	live Live
	errs diag.List
}

// New returns the site's markdown: GFM (tables, strikethrough, task lists,
// links), footnotes, definition lists, typographic quotes, heading IDs and
// attributes, highlighted code and live blocks.
func New(opts Options) *Markdown {
	m := &Markdown{fence: opts.Fence, diagram: opts.Diagram}
	hl := opts.Highlighter
	if hl == nil {
		hl = defaultHighlighter()
	}
	if m.fence == nil {
		m.fence = func(info string) (Fence, error) {
			lang, _, _ := strings.Cut(strings.TrimSpace(info), " ")
			return Fence{Lang: strings.ToLower(lang)}, nil
		}
	}
	rendererOpts := []renderer.Option{
		renderer.WithNodeRenderers(util.Prioritized(&nodeRenderer{lineNos: opts.LineNumbers, fence: m.fence, hl: hl}, 100),
			util.Prioritized(newTableRenderer(), 100)),
	}
	if opts.Unsafe {
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	}
	m.md = goldmark.New(
		// GFM: extension.GFM with quickLinkify for its Linkify.
		goldmark.WithExtensions(quickLinkify, extension.Table, extension.Strikethrough, extension.TaskList,
			extension.Footnote, extension.DefinitionList, extension.Typographer),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithAttribute(),
			parser.WithASTTransformers(util.Prioritized(liveTransformer{m}, 100)),
			parser.WithBlockParsers(nestingParser, util.Prioritized(mathBlockParser{}, 650)),
			parser.WithInlineParsers(util.Prioritized(mathInline{}, 450)),
		),
		goldmark.WithRendererOptions(rendererOpts...),
	)
	return m
}

// Doc is a parsed document: its tree and its source.
type Doc struct {
	m    *Markdown
	root ast.Node
	src  []byte
}

// Parse parses src, the body of file (for positions). live makes the
// Blocks of its live fences; nil drops them. The errors are the fences'
// (a malformed info string, what live refused), at their lines; the
// document is whole either way.
//
// goldmark panics on a few inputs (a heading attribute with a number for
// its id, {id=5}, among them); such a document is an error of the file,
// never a crash of the build.
func (m *Markdown) Parse(src []byte, file string, live Live) (doc *Doc, errs diag.List) {
	st := &docState{file: file, live: live}
	ctx := parser.NewContext()
	ctx.Set(liveKey, st)
	defer func() {
		if r := recover(); r != nil {
			doc, errs = &Doc{m: m, root: ast.NewDocument(), src: src}, diag.List{parserPanic(file, r)}
			if e, ok := r.(nestingError); ok {
				errs = diag.List{diag.Errorf(file, e.line, "%v", e)}
			}
		}
	}()
	root := m.md.Parser().Parse(text.NewReader(src), parser.WithContext(ctx))
	return &Doc{m: m, root: root, src: src}, st.errs
}

func parserPanic(file string, r any) *diag.Error {
	return diag.Errorf(file, 0, "the markdown parser failed on this file (%v): look for an unusual construct, such as a heading attribute whose value is not text ({id=5} instead of {#five}), and simplify it", r)
}

// Render writes the document as HTML.
func (d *Doc) Render(w io.Writer) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the markdown renderer failed (%v)", r)
		}
	}()
	return d.m.md.Renderer().Render(w, d.src, d.root)
}

// Convert renders src, which holds no live blocks, in one step (a summary
// from front matter, say). Like Parse, it turns goldmark's panics into
// errors, and writes nothing then.
func (m *Markdown) Convert(src []byte, w io.Writer) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the markdown parser failed (%v)", r)
			if e, ok := r.(nestingError); ok {
				err = e
			}
		}
	}()
	return m.md.Convert(src, w)
}

// Buffer is a growable buffer goldmark's renderer writes into directly:
// it is a util.BufWriter, so the renderer does not wrap it in a bufio.Writer
// of its own. Buffers are pooled (GetBuffer, PutBuffer): a build renders
// every page into one and writes it out, so memory follows the pages being
// rendered at once, not the site.
type Buffer struct{ bytes.Buffer }

func (*Buffer) Buffered() int { return 0 }
func (*Buffer) Flush() error  { return nil }

var buffers = sync.Pool{New: func() any { return new(Buffer) }}

// GetBuffer returns an empty pooled buffer with room for n bytes.
func GetBuffer(n int) *Buffer {
	b := buffers.Get().(*Buffer)
	b.Reset()
	b.Grow(n)
	return b
}

// PutBuffer returns b to the pool; nothing may use its bytes afterwards.
func PutBuffer(b *Buffer) {
	if b.Cap() <= 4<<20 {
		buffers.Put(b)
	}
}

// liveNode is the node inserted after a live fence; its Block renders the
// block (source and output) and the fence itself renders nothing.
type liveNode struct {
	ast.BaseBlock
	block Block
}

var kindLive = ast.NewNodeKind("Live")

func (n *liveNode) Kind() ast.NodeKind { return kindLive }
func (n *liveNode) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, nil, nil)
}

// liveTransformer reads every fence's info string, reports malformed ones
// and asks the document's Live for the Block of each live one.
type liveTransformer struct{ m *Markdown }

func (t liveTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	st, _ := pc.Get(liveKey).(*docState)
	if st == nil {
		return
	}
	src := reader.Source()
	var fences []*ast.FencedCodeBlock
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if f, ok := n.(*ast.FencedCodeBlock); ok && entering && f.Info != nil {
			fences = append(fences, f)
		}
		return ast.WalkContinue, nil
	})
	for _, f := range fences {
		switch lang := InfoLanguage(f.Info.Segment.Value(src)); {
		case strings.EqualFold(lang, "math"):
			mathFence(f, src, pc)
			continue
		case strings.EqualFold(lang, "d2") && t.m.diagram != nil:
			t.m.diagramFence(f, src, pc)
			continue
		}
		info := string(f.Info.Segment.Value(src))
		fence, err := t.m.fence(info)
		line := lineOf(src, f.Info.Segment.Start)
		if err != nil && fence.Live {
			st.errs.Add(diag.Errorf(st.file, line, "code fence: %v", err))
			continue
		}
		// A plain fence is shown whatever its info string says.
		if !fence.Live || st.live == nil {
			continue
		}
		lf := LiveFence{Info: info, Fence: fence, Line: line, BodyLine: line + 1}
		var body bytes.Buffer
		for i := 0; i < f.Lines().Len(); i++ {
			seg := f.Lines().At(i)
			body.Write(seg.Value(src))
		}
		lf.Body = body.String()
		if f.Lines().Len() > 0 {
			lf.BodyLine = lineOf(src, f.Lines().At(0).Start)
		}
		block, err := st.live(lf)
		if err != nil {
			st.errs.Add(err)
			continue
		}
		if block != nil {
			f.Parent().InsertAfter(f.Parent(), f, &liveNode{block: block})
		}
	}
}

func lineOf(src []byte, off int) int {
	if off > len(src) {
		off = len(src)
	}
	return bytes.Count(src[:off], []byte("\n")) + 1
}

// nodeRenderer renders code fences with chroma (CSS classes, never inline
// styles), headings with anchor links, and live results.
type nodeRenderer struct {
	lineNos bool
	fence   func(info string) (Fence, error)
	hl      *Highlighter
}

func (r *nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, r.renderFence)
	reg.Register(ast.KindCodeBlock, r.renderIndentedCode)
	reg.Register(ast.KindHeading, r.renderHeading)
	reg.Register(kindLive, r.renderLive)
	registerMath(reg, r)
	registerDiagram(reg, r)
}

func (r *nodeRenderer) renderHeading(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Heading)
	if entering {
		fmt.Fprintf(w, "<h%d", n.Level)
		if n.Attributes() != nil {
			html.RenderAttributes(w, node, html.HeadingAttributeFilter)
		}
		w.WriteByte('>')
		return ast.WalkContinue, nil
	}
	if id, ok := n.AttributeString("id"); ok {
		if b, ok := id.([]byte); ok {
			fmt.Fprintf(w, ` <a class="anchor" href="#%s" aria-label="Link to this section">#</a>`, template.HTMLEscapeString(string(b)))
		}
	}
	fmt.Fprintf(w, "</h%d>\n", n.Level)
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) renderIndentedCode(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		r.hl.Highlight(w, "", linesOf(src, node), false, nil)
	}
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) renderFence(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.FencedCodeBlock)
	var fi Fence
	if n.Info != nil {
		info := n.Info.Segment.Value(src)
		var err error
		fi, err = r.fence(string(info))
		if fi.Live {
			// The live result node right after renders the source it ran.
			return ast.WalkSkipChildren, nil
		}
		if err != nil {
			// Options a plain fence's info string garbles are dropped,
			// never the block.
			fi = Fence{}
		}
		fi.Lang = InfoLanguage(info)
	}
	lineNos := r.lineNos || fi.LineNumbers
	switch strings.ToLower(fi.Lang) {
	case "mermaid", "text", "txt", "plain":
		fi.Lang = ""
	}
	r.hl.Highlight(w, fi.Lang, linesOf(src, n), lineNos, fi.Highlight)
	return ast.WalkSkipChildren, nil
}

// InfoLanguage is a plain fence's language as GFM reads it: the info
// string's first word, with backslash escapes and entities resolved and
// its case kept (foo\+bar is language-foo+bar). Braces around the info
// string ({python linenos}) are this site's fence syntax, not the word's.
func InfoLanguage(info []byte) string {
	info = bytes.TrimLeft(bytes.TrimSpace(info), "{")
	if i := bytes.IndexAny(info, " \t}"); i >= 0 {
		info = info[:i]
	}
	info = util.UnescapePunctuations(info)
	info = util.ResolveNumericReferences(info)
	info = util.ResolveEntityNames(info)
	return string(info)
}

func linesOf(src []byte, n ast.Node) string {
	var b strings.Builder
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		b.Write(seg.Value(src))
	}
	return b.String()
}

func (r *nodeRenderer) renderLive(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		node.(*liveNode).block.WriteHTML(w)
	}
	return ast.WalkContinue, nil
}
