package mathml

import (
	"fmt"
	"html"
	"strings"
	"unicode"
)

// parseCommand reads a command: \name, or \ and one other character.
// A command that only names a symbol is looked up in the tables
// (symbolCommand); one that takes arguments has its own parse.
func (p *parser) parseCommand() (string, bool, error) {
	start := p.pos
	p.pos++ // the backslash
	if p.pos >= len(p.src) {
		return "", false, p.errorf(start, `a lone \ at the end: write \backslash for the character`)
	}
	name := p.commandName()
	if atom, big, ok := symbolCommand(name); ok {
		return atom, big, nil
	}
	var atom string
	var err error
	switch name {
	case "frac", "dfrac", "tfrac", "binom":
		atom, err = p.parseFrac(name)
	case "sqrt":
		atom, err = p.parseSqrt()
	case "text", "textrm", "mbox", "operatorname", "mathrm", "textbf", "textit":
		atom, err = p.parseText(name)
	case "mathbf", "mathit", "mathbb", "mathcal", "mathsf", "mathtt", "mathfrak", "boldsymbol",
		"hat", "bar", "vec", "tilde", "dot", "ddot", "overline", "widehat", "widetilde", "overrightarrow",
		"underline":
		atom, err = p.parseStyled(name)
	case "left":
		atom, err = p.parseLeftRight()
	case "begin":
		return p.parseEnv(start)
	default:
		return "", false, p.errorf(start, `unknown command \%s: benchpress converts a subset of LaTeX to MathML (README, "Math"); write it another way`, name)
	}
	if err != nil {
		return "", false, err
	}
	return atom, false, nil
}

// commandName reads the name of a command after its backslash: a run of
// letters, or one other character.
func (p *parser) commandName() string {
	start := p.pos
	if !isLetter(p.src[p.pos]) {
		p.pos++
		return p.src[start:p.pos]
	}
	for p.pos < len(p.src) && isLetter(p.src[p.pos]) {
		p.pos++
	}
	return p.src[start:p.pos]
}

// symbolCommand is the atom of a command that takes no argument: a space,
// an escaped character, a Greek letter, a symbol, a big operator or a
// function name; ok is false for any other name. big reports an atom
// whose limits go under and over it in display math.
func symbolCommand(name string) (atom string, big, ok bool) {
	if w, ok := spaces[name]; ok {
		return `<mspace width="` + w + `"></mspace>`, false, true
	}
	if s, ok := escaped[name]; ok {
		return mo(s), false, true
	}
	if s, ok := greek[name]; ok {
		if unicode.IsUpper([]rune(s)[0]) {
			return `<mi mathvariant="normal">` + s + "</mi>", false, true
		}
		return "<mi>" + s + "</mi>", false, true
	}
	if s, ok := symbols[name]; ok {
		return mo(s), false, true
	}
	if s, ok := ordinary[name]; ok {
		return "<mi>" + s + "</mi>", false, true
	}
	if s, ok := bigOps[name]; ok {
		return `<mo largeop="true" movablelimits="true">` + s + "</mo>", true, true
	}
	if under, ok := functions[name]; ok {
		// \lim and \max take limits under them in display math. One element
		// (no invisible function application), so it can carry scripts.
		return `<mi>` + name + `</mi>`, under, true
	}
	return "", false, false
}

// parseFrac reads the two arguments of \frac (\dfrac, \tfrac) or \binom.
func (p *parser) parseFrac(name string) (string, error) {
	num, err := p.parseArg(`\` + name)
	if err != nil {
		return "", err
	}
	den, err := p.parseArg(`\` + name)
	if err != nil {
		return "", err
	}
	if name == "binom" {
		return `<mrow><mo>(</mo><mfrac linethickness="0">` + num + den + `</mfrac><mo>)</mo></mrow>`, nil
	}
	return "<mfrac>" + num + den + "</mfrac>", nil
}

// parseSqrt reads \sqrt's argument, after its index in [...] if it has one.
func (p *parser) parseSqrt() (string, error) {
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == '[' {
		open := p.pos
		end := strings.IndexByte(p.src[p.pos:], ']')
		if end < 0 {
			return "", p.errorf(open, `\sqrt[ without ]: write \sqrt[3]{x}`)
		}
		sub := &parser{src: p.src[p.pos+1 : p.pos+end], display: p.display, depth: p.depth}
		index, err := sub.parseUntil("")
		if err != nil {
			e := err.(*Error)
			e.Offset += p.pos + 1
			return "", e
		}
		p.pos += end + 1
		rad, err := p.parseArg(`\sqrt`)
		if err != nil {
			return "", err
		}
		return "<mroot>" + rad + "<mrow>" + index + "</mrow></mroot>", nil
	}
	rad, err := p.parseArg(`\sqrt`)
	if err != nil {
		return "", err
	}
	return "<msqrt>" + rad + "</msqrt>", nil
}

// textCommands are the commands whose argument is text, and the element
// each writes it as.
var textCommands = map[string]struct{ open, close string }{
	"text":         {"<mtext>", "</mtext>"},
	"textrm":       {"<mtext>", "</mtext>"},
	"mbox":         {"<mtext>", "</mtext>"},
	"operatorname": {`<mi>`, `</mi>`},
	"mathrm":       {`<mi mathvariant="normal">`, `</mi>`},
	"textbf":       {`<mtext mathvariant="bold">`, `</mtext>`},
	"textit":       {`<mtext mathvariant="italic">`, `</mtext>`},
}

// textEscapes are the escapes text may hold.
var textEscapes = strings.NewReplacer(`\{`, "{", `\}`, "}", `\$`, "$", `\%`, "%", `\&`, "&", `\_`, "_")

// parseText reads the text argument of \text and its kin.
func (p *parser) parseText(name string) (string, error) {
	t, err := p.parseGroupText(`\` + name)
	if err != nil {
		return "", err
	}
	el := textCommands[name]
	return el.open + html.EscapeString(textEscapes.Replace(t)) + el.close, nil
}

// parseStyled reads the argument of a font command (\mathbf), an accent
// (\hat) or \underline.
func (p *parser) parseStyled(name string) (string, error) {
	arg, err := p.parseArg(`\` + name)
	if err != nil {
		return "", err
	}
	if v, ok := variants[name]; ok {
		return `<mstyle mathvariant="` + v + `">` + arg + `</mstyle>`, nil
	}
	if a, ok := accents[name]; ok {
		stretchy := strings.HasPrefix(name, "wide") || strings.HasPrefix(name, "over")
		return `<mover accent="true">` + arg + `<mo stretchy="` + fmt.Sprint(stretchy) + `">` + a + `</mo></mover>`, nil
	}
	return `<munder accentunder="true">` + arg + `<mo stretchy="true">_</mo></munder>`, nil
}

// parseLeftRight reads \left DELIM ... \right DELIM, after the \left.
func (p *parser) parseLeftRight() (string, error) {
	open, err := p.delimiter(`\left`)
	if err != nil {
		return "", err
	}
	inner, err := p.parseUntil(`\right`)
	if err != nil {
		return "", err
	}
	p.pos += len(`\right`)
	closing, err := p.delimiter(`\right`)
	if err != nil {
		return "", err
	}
	return "<mrow>" + fence(open) + inner + fence(closing) + "</mrow>", nil
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
