// Package mathml converts LaTeX-style math, the subset posts use, to
// MathML Core, which browsers render without JavaScript. It is a small
// recursive-descent converter: letters, numbers, operators, groups {...},
// sub- and superscripts, \frac, \sqrt, \binom, Greek letters, the common
// relations, arrows and big operators, function names (\log, \max),
// \text and the font commands (\mathbf, \mathbb, \mathcal...), accents
// (\hat, \bar, \vec...), \left...\right, spacing (\, \quad) and the
// environments matrix, pmatrix, bmatrix, vmatrix, cases and aligned.
// Anything else is an error that names the command and says what to do:
// the page never shows half-converted math.
package mathml

import (
	"fmt"
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Error is a conversion error; Offset is the byte of the source it is at.
type Error struct {
	Offset int
	Msg    string
}

func (e *Error) Error() string { return e.Msg }

// maxDepth bounds nesting, so a hostile expression ({{{{...) cannot
// exhaust the stack.
const maxDepth = 64

// Convert returns the MathML for tex: a <math> element, display="block"
// when display is set, with the source kept as its annotation (what a
// reader copying the math gets, and a text alternative).
func Convert(tex string, display bool) (string, error) {
	// What XML cannot hold is refused before anything is converted.
	for i, r := range tex {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(tex[i:]); n == 1 {
				return "", &Error{Offset: i, Msg: "invalid UTF-8 in math"}
			}
		}
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' {
			return "", &Error{Offset: i, Msg: fmt.Sprintf("unexpected %q in math", r)}
		}
	}
	p := &parser{src: tex, display: display}
	body, err := p.parseUntil("")
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("<math")
	if display {
		b.WriteString(` display="block"`)
	}
	b.WriteString("><semantics><mrow>")
	b.WriteString(body)
	b.WriteString(`</mrow><annotation encoding="application/x-tex">`)
	b.WriteString(html.EscapeString(strings.TrimSpace(tex)))
	b.WriteString("</annotation></semantics></math>")
	return b.String(), nil
}

type parser struct {
	src     string
	pos     int
	display bool
	depth   int
	atoms   int // how many atoms the last parseUntil read
}

func (p *parser) errorf(at int, format string, args ...any) error {
	return &Error{Offset: at, Msg: fmt.Sprintf(format, args...)}
}

// parseUntil parses atoms, with their scripts, up to end: "" (the end of
// the source), "}", `\right`, `\end` or "&"/`\\` inside an environment
// (ends "cell"). It does not consume the terminator.
func (p *parser) parseUntil(end string) (string, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		return "", p.errorf(p.pos, "math nested more than %d levels deep", maxDepth)
	}
	var b strings.Builder
	n := 0
	defer func() { p.atoms = n }()
	for {
		p.skipSpace()
		if p.pos >= len(p.src) {
			if end != "" {
				return "", p.errorf(p.pos, "%s", unclosed(end))
			}
			return b.String(), nil
		}
		c := p.src[p.pos]
		switch {
		case c == '}':
			if end != "}" {
				return "", p.errorf(p.pos, "unexpected }: no { opens it")
			}
			return b.String(), nil
		case end == "cell" && (c == '&' || strings.HasPrefix(p.src[p.pos:], `\\`) || p.atCommand("end")):
			return b.String(), nil
		case end == `\right` && p.atCommand("right"):
			return b.String(), nil
		case c == '&':
			return "", p.errorf(p.pos, "& outside an environment: use it inside \\begin{aligned}, \\begin{cases} or a matrix")
		case strings.HasPrefix(p.src[p.pos:], `\\`):
			return "", p.errorf(p.pos, `\\ (a line break) outside an environment: use \begin{aligned} ... \end{aligned}`)
		case p.atCommand("right"):
			return "", p.errorf(p.pos, `\right without \left`)
		case p.atCommand("end"):
			return "", p.errorf(p.pos, `\end without \begin`)
		case c == '^' || c == '_':
			return "", p.errorf(p.pos, "%c with nothing before it: write {}%c... for a script on nothing", c, c)
		}
		atom, big, err := p.parseAtom()
		if err != nil {
			return "", err
		}
		atom, err = p.parseScripts(atom, big)
		if err != nil {
			return "", err
		}
		b.WriteString(atom)
		n++
	}
}

func unclosed(end string) string {
	switch end {
	case "}":
		return "unclosed {: add the } that closes it"
	case `\right`:
		return `\left without \right: add \right) (or \right. for none)`
	}
	return `\begin without \end`
}

func (p *parser) skipSpace() {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// atCommand reports whether the source continues with \name, a whole
// command name.
func (p *parser) atCommand(name string) bool {
	s := p.src[p.pos:]
	if !strings.HasPrefix(s, `\`+name) {
		return false
	}
	rest := s[1+len(name):]
	return rest == "" || !isLetter(rest[0])
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// parseScripts reads the _ and ^ after an atom. Big operators (\sum,
// \lim) take their limits under and over them in display math.
func (p *parser) parseScripts(base string, big bool) (string, error) {
	var sub, sup string
	hasSub, hasSup := false, false
	for {
		p.skipSpace()
		if p.pos >= len(p.src) {
			break
		}
		c := p.src[p.pos]
		if c == '\'' && !hasSup {
			p.pos++
			primes := "′"
			for p.pos < len(p.src) && p.src[p.pos] == '\'' {
				p.pos++
				primes += "′"
			}
			sup, hasSup = "<mo>"+primes+"</mo>", true
			continue
		}
		if c != '_' && c != '^' {
			break
		}
		at := p.pos
		p.pos++
		arg, err := p.parseArg(string(c))
		if err != nil {
			return "", err
		}
		if c == '_' {
			if hasSub {
				return "", p.errorf(at, "double subscript: group them, x_{ab}")
			}
			sub, hasSub = arg, true
		} else {
			if hasSup {
				return "", p.errorf(at, "double superscript: group them, x^{ab}")
			}
			sup, hasSup = arg, true
		}
	}
	under := big && p.display
	switch {
	case hasSub && hasSup && under:
		return "<munderover>" + base + sub + sup + "</munderover>", nil
	case hasSub && hasSup:
		return "<msubsup>" + base + sub + sup + "</msubsup>", nil
	case hasSub && under:
		return "<munder>" + base + sub + "</munder>", nil
	case hasSub:
		return "<msub>" + base + sub + "</msub>", nil
	case hasSup && under:
		return "<mover>" + base + sup + "</mover>", nil
	case hasSup:
		return "<msup>" + base + sup + "</msup>", nil
	}
	return base, nil
}

// parseArg reads one argument of a command or script: a {group} or a
// single atom; the result is one MathML element.
func (p *parser) parseArg(of string) (string, error) {
	p.skipSpace()
	if p.pos >= len(p.src) || p.src[p.pos] == '}' || p.src[p.pos] == '&' {
		return "", p.errorf(p.pos, "%s needs an argument: write %s{...}", of, of)
	}
	if p.src[p.pos] == '^' || p.src[p.pos] == '_' {
		return "", p.errorf(p.pos, "%s needs an argument, not %c: write %s{...}", of, p.src[p.pos], of)
	}
	atom, _, err := p.parseAtom()
	return atom, err
}

// parseGroupText reads {text} verbatim (for \text and \begin's name).
func (p *parser) parseGroupText(of string) (string, error) {
	p.skipSpace()
	if p.pos >= len(p.src) || p.src[p.pos] != '{' {
		return "", p.errorf(p.pos, "%s needs {...}", of)
	}
	start := p.pos
	depth := 0
	for i := p.pos; i < len(p.src); i++ {
		switch p.src[i] {
		case '\\':
			i++
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				p.pos = i + 1
				return p.src[start+1 : i], nil
			}
		}
	}
	return "", p.errorf(start, "unclosed {: add the } that closes it")
}

// parseAtom reads one atom. big reports a big operator, whose limits go
// under and over it in display math.
func (p *parser) parseAtom() (atom string, big bool, err error) {
	start := p.pos
	c := p.src[p.pos]
	switch {
	case c == '{':
		p.pos++
		inner, err := p.parseUntil("}")
		if err != nil {
			if e, ok := err.(*Error); ok && e.Offset == len(p.src) && e.Msg == unclosed("}") {
				e.Offset = start // the { that is not closed
			}
			return "", false, err
		}
		p.pos++ // }
		if p.atoms == 1 {
			return inner, false, nil // {x} is x
		}
		return "<mrow>" + inner + "</mrow>", false, nil
	case c == '\\':
		return p.parseCommand()
	case c >= '0' && c <= '9' || c == '.' && p.pos+1 < len(p.src) && p.src[p.pos+1] >= '0' && p.src[p.pos+1] <= '9':
		end := p.pos
		for end < len(p.src) && (p.src[end] >= '0' && p.src[end] <= '9' || p.src[end] == '.' && end+1 < len(p.src) && p.src[end+1] >= '0' && p.src[end+1] <= '9') {
			end++
		}
		p.pos = end
		return "<mn>" + p.src[start:end] + "</mn>", false, nil
	case isLetter(c):
		p.pos++
		return "<mi>" + string(c) + "</mi>", false, nil
	case c == '~':
		p.pos++
		return `<mspace width="0.333em"></mspace>`, false, nil
	case strings.IndexByte("+-=<>()[]|,;:!/*.?@\"", c) >= 0:
		p.pos++
		s := string(c)
		switch c {
		case '-':
			s = "−"
		case '*':
			s = "∗"
		}
		return mo(s), false, nil
	case c < utf8.RuneSelf:
		return "", false, p.errorf(p.pos, "unexpected %q in math", c)
	}
	r, n := utf8.DecodeRuneInString(p.src[p.pos:])
	p.pos += n
	switch {
	case r == utf8.RuneError && n == 1:
		return "", false, p.errorf(start, "invalid UTF-8 in math")
	case unicode.IsLetter(r):
		return "<mi>" + html.EscapeString(string(r)) + "</mi>", false, nil
	case unicode.IsDigit(r):
		return "<mn>" + string(r) + "</mn>", false, nil
	case unicode.IsControl(r):
		return "", false, p.errorf(start, "unexpected %q in math", r)
	}
	return mo(string(r)), false, nil
}

func mo(s string) string { return "<mo>" + html.EscapeString(s) + "</mo>" }

func (p *parser) parseCommand() (string, bool, error) {
	start := p.pos
	p.pos++ // the backslash
	if p.pos >= len(p.src) {
		return "", false, p.errorf(start, `a lone \ at the end: write \backslash for the character`)
	}
	var name string
	if isLetter(p.src[p.pos]) {
		end := p.pos
		for end < len(p.src) && isLetter(p.src[end]) {
			end++
		}
		name = p.src[p.pos:end]
		p.pos = end
	} else {
		name = p.src[p.pos : p.pos+1]
		p.pos++
	}
	switch name {
	case ",":
		return `<mspace width="0.167em"></mspace>`, false, nil
	case ":", ">":
		return `<mspace width="0.222em"></mspace>`, false, nil
	case ";":
		return `<mspace width="0.278em"></mspace>`, false, nil
	case "!":
		return `<mspace width="-0.167em"></mspace>`, false, nil
	case " ":
		return `<mspace width="0.333em"></mspace>`, false, nil
	case "quad":
		return `<mspace width="1em"></mspace>`, false, nil
	case "qquad":
		return `<mspace width="2em"></mspace>`, false, nil
	case "{", "}", "$", "%", "#", "&", "_", "|":
		if name == "|" {
			return mo("‖"), false, nil
		}
		return mo(name), false, nil
	}
	if s, ok := greek[name]; ok {
		if unicode.IsUpper([]rune(s)[0]) {
			return `<mi mathvariant="normal">` + s + "</mi>", false, nil
		}
		return "<mi>" + s + "</mi>", false, nil
	}
	if s, ok := symbols[name]; ok {
		return mo(s), false, nil
	}
	if s, ok := ordinary[name]; ok {
		return "<mi>" + s + "</mi>", false, nil
	}
	if s, ok := bigOps[name]; ok {
		return `<mo largeop="true" movablelimits="true">` + s + "</mo>", true, nil
	}
	if _, ok := functions[name]; ok {
		// \lim and \max take limits under them in display math. One element
		// (no invisible function application), so it can carry scripts.
		return `<mi>` + name + `</mi>`, functions[name], nil
	}
	switch name {
	case "frac", "dfrac", "tfrac", "binom":
		num, err := p.parseArg(`\` + name)
		if err != nil {
			return "", false, err
		}
		den, err := p.parseArg(`\` + name)
		if err != nil {
			return "", false, err
		}
		if name == "binom" {
			return `<mrow><mo>(</mo><mfrac linethickness="0">` + num + den + `</mfrac><mo>)</mo></mrow>`, false, nil
		}
		return "<mfrac>" + num + den + "</mfrac>", false, nil
	case "sqrt":
		p.skipSpace()
		if p.pos < len(p.src) && p.src[p.pos] == '[' {
			open := p.pos
			end := strings.IndexByte(p.src[p.pos:], ']')
			if end < 0 {
				return "", false, p.errorf(open, `\sqrt[ without ]: write \sqrt[3]{x}`)
			}
			sub := &parser{src: p.src[p.pos+1 : p.pos+end], display: p.display, depth: p.depth}
			index, err := sub.parseUntil("")
			if err != nil {
				e := err.(*Error)
				e.Offset += p.pos + 1
				return "", false, e
			}
			p.pos += end + 1
			rad, err := p.parseArg(`\sqrt`)
			if err != nil {
				return "", false, err
			}
			return "<mroot>" + rad + "<mrow>" + index + "</mrow></mroot>", false, nil
		}
		rad, err := p.parseArg(`\sqrt`)
		if err != nil {
			return "", false, err
		}
		return "<msqrt>" + rad + "</msqrt>", false, nil
	case "text", "textrm", "mbox", "operatorname", "mathrm", "textbf", "textit":
		t, err := p.parseGroupText(`\` + name)
		if err != nil {
			return "", false, err
		}
		t = strings.NewReplacer(`\{`, "{", `\}`, "}", `\$`, "$", `\%`, "%", `\&`, "&", `\_`, "_").Replace(t)
		switch name {
		case "operatorname":
			return `<mi>` + html.EscapeString(t) + `</mi>`, false, nil
		case "mathrm":
			return `<mi mathvariant="normal">` + html.EscapeString(t) + `</mi>`, false, nil
		case "textbf":
			return `<mtext mathvariant="bold">` + html.EscapeString(t) + `</mtext>`, false, nil
		case "textit":
			return `<mtext mathvariant="italic">` + html.EscapeString(t) + `</mtext>`, false, nil
		}
		return "<mtext>" + html.EscapeString(t) + "</mtext>", false, nil
	case "mathbf", "mathit", "mathbb", "mathcal", "mathsf", "mathtt", "mathfrak", "boldsymbol":
		arg, err := p.parseArg(`\` + name)
		if err != nil {
			return "", false, err
		}
		return `<mstyle mathvariant="` + variants[name] + `">` + arg + `</mstyle>`, false, nil
	case "hat", "bar", "vec", "tilde", "dot", "ddot", "overline", "widehat", "widetilde", "overrightarrow":
		arg, err := p.parseArg(`\` + name)
		if err != nil {
			return "", false, err
		}
		return `<mover accent="true">` + arg + `<mo stretchy="` + fmt.Sprint(strings.HasPrefix(name, "wide") || strings.HasPrefix(name, "over")) + `">` + accents[name] + `</mo></mover>`, false, nil
	case "underline":
		arg, err := p.parseArg(`\` + name)
		if err != nil {
			return "", false, err
		}
		return `<munder accentunder="true">` + arg + `<mo stretchy="true">_</mo></munder>`, false, nil
	case "left":
		open, err := p.delimiter(`\left`)
		if err != nil {
			return "", false, err
		}
		inner, err := p.parseUntil(`\right`)
		if err != nil {
			return "", false, err
		}
		p.pos += len(`\right`)
		closing, err := p.delimiter(`\right`)
		if err != nil {
			return "", false, err
		}
		return "<mrow>" + fence(open) + inner + fence(closing) + "</mrow>", false, nil
	case "begin":
		return p.parseEnv(start)
	}
	return "", false, p.errorf(start, `unknown command \%s: benchpress converts a subset of LaTeX to MathML (README, "Math"); write it another way`, name)
}

func fence(d string) string {
	if d == "" {
		return ""
	}
	return `<mo fence="true" stretchy="true">` + html.EscapeString(d) + "</mo>"
}

// delimiter reads the delimiter after \left or \right; "." is none.
func (p *parser) delimiter(of string) (string, error) {
	p.skipSpace()
	if p.pos >= len(p.src) {
		return "", p.errorf(p.pos, "%s needs a delimiter: %s( or %s. for none", of, of, of)
	}
	c := p.src[p.pos]
	if strings.IndexByte("()[]|./<>", c) >= 0 {
		p.pos++
		switch c {
		case '.':
			return "", nil
		case '<':
			return "⟨", nil
		case '>':
			return "⟩", nil
		}
		return string(c), nil
	}
	if c == '\\' {
		save := p.pos
		p.pos++
		end := p.pos
		for end < len(p.src) && isLetter(p.src[end]) {
			end++
		}
		if end == p.pos && end < len(p.src) {
			end++
		}
		name := p.src[p.pos:end]
		p.pos = end
		if d, ok := delimiters[name]; ok {
			return d, nil
		}
		return "", p.errorf(save, `%s\%s: not a delimiter; use ( ) [ ] \{ \} | \| \langle \rangle \lfloor \rfloor \lceil \rceil or .`, of, name)
	}
	return "", p.errorf(p.pos, "%s needs a delimiter: %s( or %s. for none", of, of, of)
}

// parseEnv reads \begin{name} ... \end{name}: rows split by \\, cells by &.
func (p *parser) parseEnv(start int) (string, bool, error) {
	name, err := p.parseGroupText(`\begin`)
	if err != nil {
		return "", false, err
	}
	open, closing, ok := envFences(name)
	if !ok {
		return "", false, p.errorf(start, `unknown environment %q: use matrix, pmatrix, bmatrix, vmatrix, cases or aligned`, name)
	}
	var rows [][]string
	row := []string{}
	for {
		cell, err := p.parseUntil("cell")
		if err != nil {
			if e := err.(*Error); e.Msg == `\begin without \end` {
				e.Offset, e.Msg = start, fmt.Sprintf(`\begin{%s} without \end{%s}`, name, name)
			}
			return "", false, err
		}
		row = append(row, cell)
		switch {
		case p.src[p.pos] == '&':
			p.pos++
		case strings.HasPrefix(p.src[p.pos:], `\\`):
			p.pos += 2
			rows = append(rows, row)
			row = []string{}
		default: // \end
			endAt := p.pos
			p.pos += len(`\end`)
			got, err := p.parseGroupText(`\end`)
			if err != nil {
				return "", false, err
			}
			if got != name {
				return "", false, p.errorf(endAt, `\begin{%s} ended by \end{%s}`, name, got)
			}
			if len(row) > 1 || row[0] != "" {
				rows = append(rows, row)
			}
			var b strings.Builder
			b.WriteString("<mrow>")
			b.WriteString(fence(open))
			b.WriteString("<mtable")
			if name == "aligned" || name == "cases" {
				b.WriteString(` columnalign="` + strings.Repeat("left ", 1) + `left"`)
			}
			b.WriteString(">")
			for _, r := range rows {
				b.WriteString("<mtr>")
				for i, c := range r {
					if name == "aligned" && i%2 == 0 {
						b.WriteString(`<mtd style="text-align:right">`)
					} else {
						b.WriteString("<mtd>")
					}
					b.WriteString("<mrow>" + c + "</mrow></mtd>")
				}
				b.WriteString("</mtr>")
			}
			b.WriteString("</mtable>")
			b.WriteString(fence(closing))
			b.WriteString("</mrow>")
			return b.String(), false, nil
		}
	}
}

func envFences(name string) (open, closing string, ok bool) {
	switch name {
	case "matrix", "aligned", "align", "align*", "gathered":
		return "", "", true
	case "pmatrix":
		return "(", ")", true
	case "bmatrix":
		return "[", "]", true
	case "Bmatrix":
		return "{", "}", true
	case "vmatrix":
		return "|", "|", true
	case "cases":
		return "{", "", true
	}
	return "", "", false
}
