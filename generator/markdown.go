package generator

import (
	"bytes"
	"fmt"
	"go/format"
	"html/template"
	"io"
	"path"
	"regexp"
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
	"golang.org/x/tools/txtar"

	"github.com/benchpress/benchpress/generator/diag"
	"github.com/benchpress/benchpress/playground"
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
		renderer.WithNodeRenderers(util.Prioritized(&nodeRenderer{lineNos: cfg.Highlight.LineNumbers, playgroundURL: cfg.Playground.URL}, 100),
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
	snippet *Snippet
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
	named := map[string]*Snippet{}
	for _, f := range fences {
		info := string(f.Info.Segment.Value(src))
		fi, err := ParseFenceInfo(info)
		line := lineOf(src, f.Info.Segment.Start)
		if err != nil {
			st.errs.Add(diag.Errorf(st.post.SourcePath, line, "code fence: %v", err))
			continue
		}
		if fi.Verb == "" {
			continue
		}
		var s *Snippet
		if st.collect {
			s = &Snippet{File: st.post.SourcePath, Line: line, BodyLine: line + 1, Index: st.next, Verb: fi.Verb}
			var body bytes.Buffer
			for i := 0; i < f.Lines().Len(); i++ {
				seg := f.Lines().At(i)
				body.Write(seg.Value(src))
			}
			s.Body = body.String()
			if f.Lines().Len() > 0 {
				s.BodyLine = lineOf(src, f.Lines().At(0).Start)
			}
			if s.Opts, err = snippetOptions(fi); err != nil {
				st.errs.Add(diag.Errorf(s.File, line, "go %s: %v", fi.Verb, err))
				continue
			}
			if s.Opts.Name != "" {
				if named[s.Opts.Name] != nil {
					st.errs.Add(diag.Errorf(s.File, line, "name=%s is already used by the block at line %d", s.Opts.Name, named[s.Opts.Name].Line))
					continue
				}
				named[s.Opts.Name] = s
			}
			if strings.TrimSpace(s.Body) == "" && s.Opts.File == "" {
				st.errs.Add(diag.Errorf(s.File, line, "go %s block is empty: write code in it or give file=", fi.Verb))
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
	lineNos       bool
	playgroundURL string // set: live blocks carry their program for Edit and Run
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
	var fi FenceInfo
	if n.Info != nil {
		fi, _ = ParseFenceInfo(string(n.Info.Segment.Value(src)))
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

var ansiRE = regexp.MustCompile(`\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]`)

func stripANSI(s string) string {
	if !strings.Contains(s, "\x1b") {
		return s
	}
	return ansiRE.ReplaceAllString(s, "")
}

func (r *nodeRenderer) renderLive(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	s := node.(*liveResult).snippet
	id := s.anchor()
	fmt.Fprintf(w, "<div class=\"live live-%s\" id=\"%s\"", s.Verb, id)
	if r.playgroundURL != "" && len(s.Program.Files) > 0 {
		fmt.Fprintf(w, " data-playground=\"%s\"", template.HTMLEscapeString(r.playgroundURL))
		if s.Verb == "bench" {
			io.WriteString(w, ` data-mode="bench"`)
		}
		fmt.Fprintf(w, ">\n<template class=\"live-program\">%s</template>\n", template.HTMLEscapeString(s.editableProgram()))
	} else {
		io.WriteString(w, ">\n")
	}
	if s.Opts.Hide != "source" {
		for _, f := range s.Shown {
			if f.Name != "" {
				fmt.Fprintf(w, "<div class=\"live-file\">%s</div>\n", template.HTMLEscapeString(f.Name))
			}
			lang := "go"
			if !strings.HasSuffix(f.Name, ".go") && f.Name != "" {
				lang = strings.TrimPrefix(path.Ext(f.Name), ".")
			}
			writeHighlighted(w, lang, f.Code, r.lineNos, nil)
		}
	}
	if s.Opts.Hide != "output" && s.Result != nil {
		switch {
		case s.Verb == "bench" && s.Result.Status == playground.StatusOK:
			io.WriteString(w, s.Bench)
		case s.Plot != "":
			io.WriteString(w, s.Plot)
			if e := s.stderrOnly(); e != nil {
				writeOutput(w, e)
			}
		default:
			writeOutput(w, s)
		}
	}
	io.WriteString(w, "</div>\n")
	return ast.WalkContinue, nil
}

// anchor is the element id of a live block on its page.
func (s *Snippet) anchor() string {
	if s.Opts.Name != "" {
		return "snippet-" + s.Opts.Name
	}
	return fmt.Sprintf("snippet-%d", s.Index+1)
}

// writeOutput renders what a snippet printed: HTML-escaped, ANSI escapes
// stripped, stdout and stderr in separate spans, the status as data
// attributes and a visible label.
func writeOutput(w io.Writer, s *Snippet) {
	r := s.Result
	cls, label := "output", "Output"
	if r.Status == playground.StatusCompileError {
		cls, label = "output output-compile-error", "Compiler error"
	} else if r.ExitCode != 0 {
		cls += " output-failed"
	}
	dur := formatDuration(r.Duration)
	fmt.Fprintf(w, "<div class=\"%s\" data-output data-status=\"%s\" data-exit=\"%d\" data-duration=\"%s\"", cls, r.Status, r.ExitCode, dur)
	if r.Truncated {
		io.WriteString(w, ` data-truncated`)
	}
	io.WriteString(w, ">\n")
	status := fmt.Sprintf("exit %d", r.ExitCode)
	switch r.Status {
	case playground.StatusCompileError:
		status = "did not compile"
	case playground.StatusOutputLimit:
		status = "stopped at the output limit · truncated"
	}
	if r.Status != playground.StatusCompileError {
		status += " · " + dur
	}
	fmt.Fprintf(w, "<div class=\"output-head\"><span class=\"output-label\">%s</span> <span class=\"output-status\">%s</span></div>\n", label, template.HTMLEscapeString(status))
	io.WriteString(w, `<pre class="output-body" tabindex="0"><code>`)
	if r.Status == playground.StatusCompileError {
		for _, d := range r.Diagnostics {
			line := d.Line
			for _, f := range s.Shown {
				if f.Name == d.File || (f.Name == "" && (d.File == "main.go" || d.File == "bench_test.go")) {
					if sl := f.shownLine(s.sourceLine(d)); sl > 0 {
						line = sl
					}
				}
			}
			name := d.File
			if name == "main.go" && len(s.Shown) == 1 && s.Shown[0].Name == "" {
				name = "prog.go"
			}
			msg := fmt.Sprintf("%s:%d:%d: %s\n", name, line, d.Col, d.Msg)
			switch {
			case d.Line == 0: // a package-level error has no position
				msg = d.Msg + "\n"
			case d.Col == 0:
				msg = fmt.Sprintf("%s:%d: %s\n", name, line, d.Msg)
			}
			fmt.Fprintf(w, "<span class=\"stderr\">%s</span>", template.HTMLEscapeString(msg))
		}
	} else {
		var cur playground.Stream
		var buf strings.Builder
		flush := func() {
			if buf.Len() > 0 {
				fmt.Fprintf(w, "<span class=\"%s\">%s</span>", cur, template.HTMLEscapeString(stripANSI(buf.String())))
				buf.Reset()
			}
		}
		for _, e := range r.Events {
			if e.Stream != cur {
				flush()
				cur = e.Stream
			}
			buf.WriteString(e.Data)
		}
		flush()
		if len(r.Events) == 0 {
			io.WriteString(w, `<span class="no-output">(no output)</span>`)
		}
	}
	io.WriteString(w, "</code></pre>\n</div>\n")
}

// sourceLine maps a diagnostic to the line in the snippet's own source
// (before completion added a header line).
func (s *Snippet) sourceLine(d playground.Diagnostic) int {
	return d.Line - s.offsets[d.File]
}

func formatDuration(d interface{ Seconds() float64 }) string {
	sec := d.Seconds()
	switch {
	case sec < 0.001:
		return fmt.Sprintf("%.0fµs", sec*1e6)
	case sec < 1:
		return fmt.Sprintf("%.0fms", sec*1e3)
	default:
		return fmt.Sprintf("%.2fs", sec)
	}
}

// editableProgram is the complete program a reader edits and reruns: the
// single file gofmt'ed (hidden setup included), or a txtar of all files.
func (s *Snippet) editableProgram() string {
	files := s.Program.Files
	if len(files) == 1 {
		if src, err := format.Source(files[0].Data); err == nil {
			return string(src)
		}
		return string(files[0].Data)
	}
	var ar txtar.Archive
	for _, f := range files {
		data := f.Data
		if src, err := format.Source(data); err == nil {
			data = src
		}
		ar.Files = append(ar.Files, txtar.File{Name: f.Name, Data: data})
	}
	return string(txtar.Format(&ar))
}
