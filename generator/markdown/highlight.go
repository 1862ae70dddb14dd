package markdown

import (
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
)

// Highlighter writes highlighted code for one pair of chroma styles (the
// light and the dark scheme) and the stylesheet that colours it.
//
// Its markup is lighter than chroma's HTML formatter's, with the same
// colours, because it knows both styles up front:
//
//   - token types that look alike in both styles share one class, named
//     after the shortest of their chroma classes (github and github-dark
//     paint kd, kn, kr and kt like k, so all five are written as k);
//   - the most common look, punctuation's, is the code's own colour: those
//     tokens (identifiers and punctuation, in Go) carry no span at all;
//   - adjacent tokens of one class are one span, with the white space
//     between them inside it, and white space alone never has a span
//     unless its class shows on blank space (a background, an underline);
//   - lines are wrapped in spans only when something needs them (line
//     numbers, highlighted lines), and only <, > and & are escaped.
//
// Unstyled text (chroma's Text tokens outside white space: plain words in
// a shell script) takes punctuation's colour too; in the github style that
// is #1f2328 where the page's text is #1d2025. A Highlighter is safe for
// concurrent use.
type Highlighter struct {
	class map[chroma.TokenType]string // "" for the code's own look
	bare  map[string]bool             // classes white space may leave
	css   []byte
}

// HasStyle reports whether chroma has a style of that name.
func HasStyle(name string) bool {
	_, ok := styles.Registry[name]
	return ok
}

// NewHighlighter returns the highlighter of a light and a dark chroma
// style (names HasStyle knows).
func NewHighlighter(light, dark string) (*Highlighter, error) {
	ls, ok := styles.Registry[light]
	if !ok {
		return nil, fmt.Errorf("unknown chroma style %q", light)
	}
	ds, ok := styles.Registry[dark]
	if !ok {
		return nil, fmt.Errorf("unknown chroma style %q", dark)
	}
	h := &Highlighter{class: map[chroma.TokenType]string{}, bare: map[string]bool{}}
	lightLook, darkLook := newLook(ls), newLook(ds)
	order := h.groupTypes(lightLook, darkLook)
	h.css = styleSheet(light, dark, lightLook, darkLook, order)
	return h, nil
}

// typeGroup is the token types that look alike in both styles, under the
// shortest of their class names.
type typeGroup struct {
	name        string
	light, dark []decl
}

// groupTypes gives each token type that shows in either style the class
// of its group, and returns the groups by name.
func (h *Highlighter) groupTypes(lightLook, darkLook *look) []*typeGroup {
	groups := map[string]*typeGroup{}
	var order []*typeGroup
	types := slices.Sorted(func(yield func(chroma.TokenType) bool) {
		for tt := range chroma.StandardTypes {
			if !yield(tt) {
				return
			}
		}
	})
	for _, tt := range types {
		if tt < 0 && tt != chroma.Error { // the formatter's own parts: lines, numbers
			continue
		}
		l, d := lightLook.of(tt), darkLook.of(tt)
		if len(l) == 0 && len(d) == 0 || tt == chroma.TextWhitespace && !showsOnSpace(l) && !showsOnSpace(d) {
			continue // the code's own look, or blank space that shows none: no span
		}
		key := declString(l) + "\x00" + declString(d)
		g := groups[key]
		name := chroma.StandardTypes[tt]
		if g == nil {
			g = &typeGroup{name: name, light: l, dark: d}
			groups[key] = g
			order = append(order, g)
		} else if len(name) < len(g.name) || len(name) == len(g.name) && name < g.name {
			g.name = name
		}
		h.class[tt] = key
	}
	for tt, key := range h.class {
		h.class[tt] = groups[key].name
	}
	slices.SortFunc(order, func(a, b *typeGroup) int { return strings.Compare(a.name, b.name) })
	for _, g := range order {
		h.bare[g.name] = !showsOnSpace(g.light) && !showsOnSpace(g.dark)
	}
	return order
}

// styleSheet is the highlighting CSS: the light style, then the dark one
// under prefers-color-scheme and data-theme (screens only: a page printed
// in dark mode gets the light style). A rule of the dark style sets every
// property its light rule sets, "unset" where the dark style has nothing,
// or light colours would leak into dark mode.
func styleSheet(light, dark string, lightLook, darkLook *look, order []*typeGroup) []byte {
	type rule struct {
		sel         string
		light, dark []decl
	}
	rules := []rule{
		{".chroma", lightLook.pre, darkLook.pre},
		{".chroma:not(.plain)", lightLook.base, darkLook.base},
		{".chroma .line", []decl{{"display", "flex"}}, []decl{{"display", "flex"}}},
		{".chroma .ln", lightLook.lineNo, darkLook.lineNo},
		{".chroma .hl", lightLook.lineHL, darkLook.lineHL},
	}
	for _, g := range order {
		rules = append(rules, rule{".chroma ." + g.name, g.light, g.dark})
	}
	var b strings.Builder
	b.WriteString("/* chroma styles " + light + " and " + dark + " (dark), by benchpress */\n")
	for _, r := range rules {
		writeRule(&b, "", r.sel, r.light)
	}
	for _, scope := range []string{
		"@media screen and (prefers-color-scheme:dark){\n:root:not([data-theme=light]) ",
		"@media screen{\n:root[data-theme=dark] ",
	} {
		media, scope, _ := strings.Cut(scope, "\n")
		b.WriteString(media + "\n")
		for _, r := range rules {
			if slices.Equal(r.light, r.dark) {
				continue
			}
			writeRule(&b, scope, r.sel, darkOverLight(r.dark, r.light))
		}
		b.WriteString("}\n")
	}
	return []byte(b.String())
}

// darkOverLight is a dark rule's declarations, with "unset" for each
// property only the light rule sets.
func darkOverLight(dark, light []decl) []decl {
	decls := slices.Clone(dark)
	for _, d := range light {
		if !slices.ContainsFunc(decls, func(e decl) bool { return e.prop == d.prop }) {
			decls = append(decls, decl{d.prop, "unset"})
		}
	}
	return decls
}

// defaultHighlighter is the highlighter of the default styles, for
// Markdown made without one.
var defaultHighlighter = sync.OnceValue(func() *Highlighter {
	h, err := NewHighlighter("github", "github-dark")
	if err != nil {
		panic(err)
	}
	return h
})

// CSS is the stylesheet of the highlighter's classes, both styles.
func (h *Highlighter) CSS() []byte { return h.css }

// decl is one CSS declaration.
type decl struct{ prop, value string }

func declString(ds []decl) string {
	var b strings.Builder
	for i, d := range ds {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(d.prop + ": " + d.value)
	}
	return b.String()
}

// writeRule writes a rule compactly: the default theme inlines the sheet
// in the pages that show code.
func writeRule(b *strings.Builder, scope, sel string, decls []decl) {
	if len(decls) == 0 {
		return
	}
	b.WriteString(scope + sel + "{")
	for i, d := range decls {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(d.prop + ":" + d.value)
	}
	b.WriteString("}\n")
}

// showsOnSpace reports whether a look can be seen on white space.
func showsOnSpace(ds []decl) bool {
	for _, d := range ds {
		if d.value != "unset" && (d.prop == "background-color" || d.prop == "text-decoration") {
			return true
		}
	}
	return false
}

// look is what one chroma style paints: the block, the code's own colour
// (punctuation's), and each token type relative to them.
type look struct {
	style                     *chroma.Style
	bg                        chroma.StyleEntry
	pre, base, lineNo, lineHL []decl
	baseColour                chroma.Colour
}

func newLook(s *chroma.Style) *look {
	l := &look{style: s, bg: s.Get(chroma.Background)}
	if l.bg.Background.IsSet() {
		l.pre = append(l.pre, decl{"background-color", l.bg.Background.String()})
	}
	if l.bg.Colour.IsSet() {
		l.pre = append(l.pre, decl{"color", l.bg.Colour.String()})
	}
	l.pre = append(l.pre, decl{"-webkit-text-size-adjust", "none"})
	l.baseColour = s.Get(chroma.Punctuation).Colour
	if l.baseColour.IsSet() {
		l.base = []decl{{"color", l.baseColour.String()}}
	}
	if c := s.Get(chroma.LineNumbers).Colour; c.IsSet() {
		l.lineNo = []decl{{"white-space", "pre"}, {"-webkit-user-select", "none"}, {"user-select", "none"}, {"margin-right", "0.4em"}, {"padding", "0 0.4em"}, {"color", c.String()}}
	}
	if c := s.Get(chroma.LineHighlight).Background; c.IsSet() {
		l.lineHL = []decl{{"background-color", c.String()}}
	}
	return l
}

// of is how tt differs from the code's own look.
func (l *look) of(tt chroma.TokenType) []decl {
	e := l.style.Get(tt)
	var ds []decl
	if e.Colour.IsSet() && e.Colour != l.baseColour {
		ds = append(ds, decl{"color", e.Colour.String()})
	}
	if e.Background.IsSet() && e.Background != l.bg.Background {
		ds = append(ds, decl{"background-color", e.Background.String()})
	}
	if e.Bold == chroma.Yes {
		ds = append(ds, decl{"font-weight", "bold"})
	}
	if e.Italic == chroma.Yes {
		ds = append(ds, decl{"font-style", "italic"})
	}
	if e.Underline == chroma.Yes {
		ds = append(ds, decl{"text-decoration", "underline"})
	}
	return ds
}

// classOf is the class of a token type: its own, else its subcategory's
// or category's, else none.
func (h *Highlighter) classOf(tt chroma.TokenType) string {
	if c, ok := h.class[tt]; ok {
		return c
	}
	if c, ok := h.class[tt.SubCategory()]; ok {
		return c
	}
	return h.class[tt.Category()]
}

// Highlight writes code in lang as a highlighted <pre> (CSS classes,
// focusable so it can scroll by keyboard); hl lists 1-based line ranges to
// mark. An unknown language is an escaped plain block, not an error.
func (h *Highlighter) Highlight(w io.Writer, lang, code string, lineNos bool, hl [][2]int) {
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
	sw, ok := w.(io.StringWriter)
	if !ok {
		var b strings.Builder
		h.Highlight(&b, lang, code, lineNos, hl)
		io.WriteString(w, b.String())
		return
	}
	if lexer == goLexer {
		if writeGo(code, func(toks []chroma.Token) { h.writeTokens(sw, toks, lineNos, hl) }) {
			return
		}
	}
	it, err := chroma.Coalesce(lexer).Tokenise(nil, code)
	if err != nil {
		fmt.Fprintf(w, "<pre class=\"chroma plain\" tabindex=\"0\"><code>%s</code></pre>\n", template.HTMLEscapeString(code))
		return
	}
	h.writeTokens(sw, it.Tokens(), lineNos, hl)
}

// writeTokens writes the tokens of one block (see Highlighter). With line
// numbers or marked lines each line is a span of class line (hl when
// marked) holding its number (ln) and its code (cl), as chroma's
// formatter writes them.
func (h *Highlighter) writeTokens(w io.StringWriter, toks []chroma.Token, lineNos bool, hl [][2]int) {
	w.WriteString(`<pre class="chroma" tabindex="0"><code>`)
	r := runWriter{w: w}
	if !lineNos && len(hl) == 0 {
		for _, t := range toks {
			r.write(h.runClass(t.Type, t.Value), t.Value)
		}
		r.close()
		w.WriteString("</code></pre>\n")
		return
	}
	lines := chroma.SplitTokensIntoLines(toks)
	digits := len(fmt.Sprint(len(lines)))
	for i, line := range lines {
		n := i + 1
		w.WriteString(`<span class="line`)
		for _, r := range hl {
			if r[0] <= n && n <= r[1] {
				w.WriteString(` hl`)
				break
			}
		}
		w.WriteString(`">`)
		if lineNos {
			w.WriteString(fmt.Sprintf(`<span class="ln">%*d</span>`, digits, n))
		}
		w.WriteString(`<span class="cl">`)
		for _, t := range line {
			r.write(h.runClass(t.Type, t.Value), t.Value)
		}
		r.close()
		w.WriteString(`</span></span>`)
	}
	w.WriteString("</code></pre>\n")
}

// runClass is the class a token is written with: "" for the code's own
// look, blank for white space that may join the run around it.
func (h *Highlighter) runClass(tt chroma.TokenType, v string) string {
	c := h.classOf(tt)
	if (c == "" || h.bare[c]) && strings.TrimLeft(v, " \t\r\n") == "" {
		return blank
	}
	return c
}

// blank marks white space that belongs to no class (see runWriter).
const blank = " "

// runWriter writes text in runs of one class: one span per run. White
// space between two tokens of one class joins their span; elsewhere it is
// written bare.
type runWriter struct {
	w       io.StringWriter
	open    string   // the class of the open span, "" when none is
	pending []string // white space seen while a span was open
}

func (r *runWriter) write(class, v string) {
	switch {
	case v == "":
	case class == blank:
		if r.open == "" {
			writeEscaped(r.w, v)
		} else {
			r.pending = append(r.pending, v)
		}
	case class == r.open:
		r.flushPending()
		writeEscaped(r.w, v)
	default:
		r.close()
		if class != "" {
			r.w.WriteString(`<span class="`)
			r.w.WriteString(class)
			r.w.WriteString(`">`)
		}
		r.open = class
		writeEscaped(r.w, v)
	}
}

func (r *runWriter) flushPending() {
	for _, p := range r.pending {
		writeEscaped(r.w, p)
	}
	r.pending = r.pending[:0]
}

// close ends the open span, then writes the white space held for it.
func (r *runWriter) close() {
	if r.open != "" {
		r.w.WriteString(`</span>`)
	}
	r.open = ""
	r.flushPending()
}

// writeEscaped writes s as HTML text: only <, > and & need escaping in an
// element's content (quotes matter in attributes only).
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
