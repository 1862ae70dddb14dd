package markdown

// Markdown tables scroll sideways inside a box of their own when they are
// wider than the column, never the page. A box that scrolls must be
// reachable by keyboard and say what it holds (axe's
// scrollable-region-focusable), so the box is a focusable, labelled
// region: "Table: Strategy, p99, Throughput" from its header row.

import (
	"html"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// tableRenderer wraps the table extension's own rendering of a table in
// the scrolling box; rows and cells stay the extension's.
type tableRenderer struct {
	inner renderer.NodeRendererFunc
}

func newTableRenderer() *tableRenderer {
	r := &tableRenderer{}
	extension.NewTableHTMLRenderer().RegisterFuncs(funcCatcher(func(k ast.NodeKind, f renderer.NodeRendererFunc) {
		if k == east.KindTable {
			r.inner = f
		}
	}))
	return r
}

// funcCatcher is a registerer that hands each registration to a function.
type funcCatcher func(ast.NodeKind, renderer.NodeRendererFunc)

func (c funcCatcher) Register(k ast.NodeKind, f renderer.NodeRendererFunc) { c(k, f) }

func (r *tableRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(east.KindTable, r.render)
}

func (r *tableRenderer) render(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		w.WriteString(`<div class="table-scroll" role="region" tabindex="0" aria-label="`)
		w.WriteString(html.EscapeString(tableLabel(src, n)))
		w.WriteString("\">\n")
	}
	st, err := r.inner(w, src, n, entering)
	if !entering {
		w.WriteString("</div>\n")
	}
	return st, err
}

// tableLabel names a table by its header cells.
func tableLabel(src []byte, n ast.Node) string {
	var cells []string
	if h, ok := n.FirstChild().(*east.TableHeader); ok {
		for c := h.FirstChild(); c != nil; c = c.NextSibling() {
			if t := strings.Join(strings.Fields(plainText(c, src)), " "); t != "" {
				cells = append(cells, t)
			}
		}
	}
	label := "Table"
	if len(cells) > 0 {
		label += ": " + strings.Join(cells, ", ")
	}
	if r := []rune(label); len(r) > 120 {
		label = string(r[:119]) + "…"
	}
	return label
}
