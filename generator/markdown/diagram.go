package markdown

import (
	"errors"
	"html/template"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"

	"github.com/benchpress/benchpress/generator/diag"
)

// SourceError is an error of a diagram's source at Line (1-based within
// the fence's body; 0 for the fence itself): Options.Diagram returns it
// so the error is reported at the post's line.
type SourceError struct {
	Line int
	Msg  string
}

func (e *SourceError) Error() string { return e.Msg }

// diagramBlock is a ```d2 fence drawn as SVG.
type diagramBlock struct {
	ast.BaseBlock
	svg string // "" when it did not render
	src string
}

var kindDiagram = ast.NewNodeKind("Diagram")

func (n *diagramBlock) Kind() ast.NodeKind { return kindDiagram }
func (n *diagramBlock) IsRaw() bool        { return true }
func (n *diagramBlock) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Source": n.src}, nil)
}

// diagramFence replaces a ```d2 fence with its drawing, reporting a
// diagram that does not compile at its line.
func (m *Markdown) diagramFence(f *ast.FencedCodeBlock, src []byte, pc parser.Context) {
	body := linesOf(src, f)
	line := lineOf(src, f.Info.Segment.Start)
	svg, err := m.diagram(body)
	n := &diagramBlock{svg: svg, src: body}
	if err != nil {
		n.svg = ""
		if st, _ := pc.Get(liveKey).(*docState); st != nil {
			var se *SourceError
			at := line
			if errors.As(err, &se) && se.Line > 0 {
				at = line + se.Line
			}
			st.errs.Add(diag.Errorf(st.file, at, "d2 diagram: %v", err))
		}
	}
	f.Parent().ReplaceChild(f.Parent(), f, n)
}

// renderDiagram writes the drawing with a text alternative: screen
// readers announce a labelled image, and the source, in a details element
// after it, says what it shows. A diagram that opens with a comment
// ("# How a keyed request is handled") has that for its caption, shown
// above it as its title and spoken as its label.
func (r *nodeRenderer) renderDiagram(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*diagramBlock)
	caption := diagramCaption(n.src)
	w.WriteString(`<figure class="diagram">`)
	if caption != "" {
		// First: a figure's caption is its first or last child, and the
		// source's details come last.
		w.WriteString(`<figcaption>`)
		w.WriteString(template.HTMLEscapeString(caption))
		w.WriteString(`</figcaption>`)
	}
	if n.svg != "" {
		label := "Diagram: " + caption
		if caption == "" {
			label = diagramLabel(n.src)
		}
		w.WriteString(`<div class="diagram-svg" role="img" aria-label="`)
		w.WriteString(template.HTMLEscapeString(label))
		w.WriteString(`">`)
		w.WriteString(n.svg)
		w.WriteString(`</div>`)
	}
	w.WriteString(`<details class="diagram-source"><summary>Diagram as text</summary><pre tabindex="0"><code class="language-d2">`)
	writeEscaped(w, n.src)
	w.WriteString("</code></pre></details></figure>\n")
	return ast.WalkSkipChildren, nil
}

// diagramCaption is the comment a diagram opens with, its lines joined,
// or "".
func diagramCaption(src string) string {
	var parts []string
	for _, l := range strings.Split(src, "\n") {
		l = strings.TrimSpace(l)
		if l == "" && len(parts) == 0 {
			continue
		}
		c, ok := strings.CutPrefix(l, "#")
		if !ok {
			break
		}
		if c = strings.TrimSpace(c); c != "" {
			parts = append(parts, c)
		}
	}
	return strings.Join(parts, " ")
}

// diagramLabel is a short spoken summary of a diagram without a caption:
// its first lines.
func diagramLabel(src string) string {
	var parts []string
	for _, l := range strings.Split(src, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		parts = append(parts, l)
		if len(parts) == 6 {
			parts = append(parts, "…")
			break
		}
	}
	return "Diagram: " + strings.Join(parts, "; ")
}

func registerDiagram(reg renderer.NodeRendererFuncRegisterer, r *nodeRenderer) {
	reg.Register(kindDiagram, r.renderDiagram)
}
