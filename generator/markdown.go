package generator

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/benchpress/benchpress/generator/diag"
	"github.com/benchpress/benchpress/generator/snippet"
)

// markdown is the site's goldmark setup. Parsers and renderers are
// stateless and shared by all goroutines; per-document state travels in
// the parser.Context.
type markdown struct {
	md goldmark.Markdown
}

var postKey = parser.NewContextKey()

// docState is the per-document state the transformer needs.
type docState struct {
	post    *Post
	collect bool // first pass: create Snippets; second pass: attach them
	next    int
	errs    diag.List
}

func newMarkdown(cfg *Config) *markdown {
	rendererOpts := []renderer.Option{
		renderer.WithNodeRenderers(util.Prioritized(&nodeRenderer{lineNos: cfg.Highlight.LineNumbers, snippetHTML: &snippet.HTML{
			PlaygroundURL: cfg.Playground.URL,
			LineNumbers:   cfg.Highlight.LineNumbers,
			Highlight:     func(w io.Writer, lang, code string, lineNos bool) { writeHighlighted(w, lang, code, lineNos, nil) },
		}}, 100),
			util.Prioritized(newTableRenderer(), 100)),
	}
	if cfg.RawHTML() {
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	}
	md := goldmark.New(
		// GFM: extension.GFM with quickLinkify for its Linkify.
		goldmark.WithExtensions(quickLinkify, extension.Table, extension.Strikethrough, extension.TaskList,
			extension.Footnote, extension.DefinitionList, extension.Typographer),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithAttribute(),
			parser.WithASTTransformers(util.Prioritized(liveTransformer{}, 100)),
		),
		goldmark.WithRendererOptions(rendererOpts...),
	)
	return &markdown{md: md}
}

// parse parses a post's body. With collect set it creates the post's
// Snippets; otherwise it attaches the existing ones (already run) to the
// new tree, in the same order.
func (m *markdown) parse(p *Post, collect bool) (ast.Node, diag.List) {
	st := &docState{post: p, collect: collect}
	ctx := parser.NewContext()
	ctx.Set(postKey, st)
	doc := m.md.Parser().Parse(text.NewReader(p.Body), parser.WithContext(ctx))
	return doc, st.errs
}

func (m *markdown) render(w io.Writer, src []byte, n ast.Node) error {
	return m.md.Renderer().Render(w, src, n)
}

// htmlBuf is a growable buffer goldmark's renderer writes into directly:
// it is a util.BufWriter, so the renderer does not wrap it in a bufio.Writer
// of its own. Buffers are pooled (getBuf, putBuf): a build renders every
// page into one and writes it out, so memory follows the pages being
// rendered at once, not the site.
type htmlBuf struct{ bytes.Buffer }

func (*htmlBuf) Buffered() int { return 0 }
func (*htmlBuf) Flush() error  { return nil }

var htmlBufs = sync.Pool{New: func() any { return new(htmlBuf) }}

// getBuf returns an empty pooled buffer with room for n bytes.
func getBuf(n int) *htmlBuf {
	b := htmlBufs.Get().(*htmlBuf)
	b.Reset()
	b.Grow(n)
	return b
}

// putBuf returns b to the pool; nothing may use its bytes afterwards.
func putBuf(b *htmlBuf) {
	if b.Cap() <= 4<<20 {
		htmlBufs.Put(b)
	}
}

// liveResult is the node inserted after a live code block; it renders the
// snippet's output (or benchmark report).
type liveResult struct {
	ast.BaseBlock
	snippet *snippet.Snippet
}

var kindLiveResult = ast.NewNodeKind("LiveResult")

func (n *liveResult) Kind() ast.NodeKind { return kindLiveResult }
func (n *liveResult) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, nil, nil)
}

type liveTransformer struct{}

func (liveTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	st, _ := pc.Get(postKey).(*docState)
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
	collect := snippet.Collector{File: st.post.SourcePath}
	for _, f := range fences {
		info := string(f.Info.Segment.Value(src))
		fi, err := snippet.ParseFenceInfo(info)
		line := lineOf(src, f.Info.Segment.Start)
		if err != nil {
			st.errs.Add(diag.Errorf(st.post.SourcePath, line, "code fence: %v", err))
			continue
		}
		if fi.Verb == "" {
			continue
		}
		var s *snippet.Snippet
		if st.collect {
			var body bytes.Buffer
			for i := 0; i < f.Lines().Len(); i++ {
				seg := f.Lines().At(i)
				body.Write(seg.Value(src))
			}
			bodyLine := line + 1
			if f.Lines().Len() > 0 {
				bodyLine = lineOf(src, f.Lines().At(0).Start)
			}
			var derr *diag.Error
			if s, derr = collect.Add(fi, body.String(), line, bodyLine); derr != nil {
				st.errs.Add(derr)
				continue
			}
			st.post.Snippets = append(st.post.Snippets, s)
		} else {
			if st.next >= len(st.post.Snippets) {
				continue
			}
			s = st.post.Snippets[st.next]
		}
		st.next++
		res := &liveResult{snippet: s}
		f.Parent().InsertAfter(f.Parent(), f, res)
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
	lineNos     bool
	snippetHTML *snippet.HTML // how live blocks are written
}

func (r *nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, r.renderFence)
	reg.Register(ast.KindCodeBlock, r.renderIndentedCode)
	reg.Register(ast.KindHeading, r.renderHeading)
	reg.Register(kindLiveResult, r.renderLive)
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
		writeHighlighted(w, "", linesOf(src, node), false, nil)
	}
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) renderFence(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.FencedCodeBlock)
	var fi snippet.FenceInfo
	if n.Info != nil {
		fi, _ = snippet.ParseFenceInfo(string(n.Info.Segment.Value(src)))
	}
	lineNos := r.lineNos || fi.LineNos
	if fi.Verb != "" {
		// The live result node right after renders the source it ran.
		return ast.WalkSkipChildren, nil
	}
	if fi.Lang == "mermaid" || fi.Lang == "text" || fi.Lang == "txt" || fi.Lang == "plain" {
		fi.Lang = ""
	}
	writeHighlighted(w, fi.Lang, linesOf(src, n), lineNos, fi.Highlight)
	return ast.WalkSkipChildren, nil
}

func linesOf(src []byte, n ast.Node) string {
	var b strings.Builder
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		b.Write(seg.Value(src))
	}
	return b.String()
}

// writeHighlighted writes code as a chroma-highlighted <pre>. An unknown
// language is an escaped plain block, not an error.
func writeHighlighted(w io.Writer, lang, code string, lineNos bool, hl [][2]int) {
	var lexer chroma.Lexer
	if lang != "" {
		lexer = lexers.Get(lang)
	}
	if lexer == nil {
		cls := ""
		if lang != "" {
			cls = ` class="language-` + template.HTMLEscapeString(lang) + `"`
		}
		fmt.Fprintf(w, "<pre class=\"chroma plain\" tabindex=\"0\"><code%s>%s</code></pre>\n", cls, template.HTMLEscapeString(code))
		return
	}
	if lexer == goLexer && !lineNos && len(hl) == 0 {
		if writeGo(w, code) {
			return
		}
	}
	it, err := chroma.Coalesce(lexer).Tokenise(nil, code)
	if err != nil {
		fmt.Fprintf(w, "<pre class=\"chroma plain\" tabindex=\"0\"><code>%s</code></pre>\n", template.HTMLEscapeString(code))
		return
	}
	opts := []chromahtml.Option{chromahtml.WithClasses(true), chromahtml.WithLineNumbers(lineNos)}
	if len(hl) > 0 {
		opts = append(opts, chromahtml.HighlightLines(hl))
	}
	var buf bytes.Buffer
	_ = chromahtml.New(opts...).Format(&buf, styles.Fallback, it)
	// Code blocks scroll sideways; a focusable pre lets keyboard users do it.
	io.WriteString(w, strings.Replace(buf.String(), `<pre class="chroma">`, `<pre class="chroma" tabindex="0">`, 1))
	io.WriteString(w, "\n")
}

// writeTokens writes the markup chroma's HTML formatter writes with CSS
// classes and no line numbers, for the common case, without its overhead:
// straight into w, escaping as it goes.
func writeTokens(w io.Writer, toks []chroma.Token) {
	sw, ok := w.(io.StringWriter)
	if !ok {
		var b strings.Builder
		writeTokens(&b, toks)
		io.WriteString(w, b.String())
		return
	}
	sw.WriteString(`<pre class="chroma" tabindex="0"><code><span class="line"><span class="cl">`)
	span := func(t chroma.TokenType, v string) {
		if v == "" {
			return
		}
		cls := chroma.StandardTypes[t]
		if cls == "" {
			writeEscaped(sw, v)
			return
		}
		sw.WriteString(`<span class="`)
		sw.WriteString(cls)
		sw.WriteString(`">`)
		writeEscaped(sw, v)
		sw.WriteString(`</span>`)
	}
	for i, t := range toks {
		v := t.Value
		for {
			nl := strings.IndexByte(v, '\n')
			if nl < 0 {
				span(t.Type, v)
				break
			}
			span(t.Type, v[:nl+1])
			v = v[nl+1:]
			if v == "" && i == len(toks)-1 {
				break
			}
			sw.WriteString(`</span></span><span class="line"><span class="cl">`)
		}
	}
	sw.WriteString("</span></span></code></pre>\n")
}

// writeEscaped writes html.EscapeString(s) to w without building it.
func writeEscaped(w io.StringWriter, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '&':
			esc = "&amp;"
		case '\'':
			esc = "&#39;"
		case '"':
			esc = "&#34;"
		default:
			continue
		}
		w.WriteString(s[last:i])
		w.WriteString(esc)
		last = i + 1
	}
	w.WriteString(s[last:])
}

var goLexer = lexers.Get("go")

func (r *nodeRenderer) renderLive(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		node.(*liveResult).snippet.WriteHTML(w, r.snippetHTML)
	}
	return ast.WalkContinue, nil
}
