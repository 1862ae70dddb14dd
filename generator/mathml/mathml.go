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
			sup, hasSup = p.parsePrimes(), true
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
	return scripted(base, sub, sup, hasSub, hasSup, big && p.display), nil
}

// parsePrimes reads a run of prime marks (') as one superscript, a ′ for
// each.
func (p *parser) parsePrimes() string {
	primes := ""
	for p.pos < len(p.src) && p.src[p.pos] == '\'' {
		p.pos++
		primes += "′"
	}
	return "<mo>" + primes + "</mo>"
}

// scripted is base with its scripts; under puts them under and over it.
func scripted(base, sub, sup string, hasSub, hasSup, under bool) string {
	switch {
	case hasSub && hasSup && under:
		return "<munderover>" + base + sub + sup + "</munderover>"
	case hasSub && hasSup:
		return "<msubsup>" + base + sub + sup + "</msubsup>"
	case hasSub && under:
		return "<munder>" + base + sub + "</munder>"
	case hasSub:
		return "<msub>" + base + sub + "</msub>"
	case hasSup && under:
		return "<mover>" + base + sup + "</mover>"
	case hasSup:
		return "<msup>" + base + sup + "</msup>"
	}
	return base
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
	c := p.src[p.pos]
	switch {
	case c == '{':
		atom, err := p.parseGroup()
		return atom, false, err
	case c == '\\':
		return p.parseCommand()
	case p.numberAt(p.pos):
		start := p.pos
		for p.pos < len(p.src) && p.numberAt(p.pos) {
			p.pos++
		}
		return "<mn>" + p.src[start:p.pos] + "</mn>", false, nil
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
	atom, err = p.parseRune()
	return atom, false, err
}

// numberAt reports whether the byte at i is part of a number: a digit, or
// a . before one.
func (p *parser) numberAt(i int) bool {
	isDigit := func(c byte) bool { return c >= '0' && c <= '9' }
	return isDigit(p.src[i]) || p.src[i] == '.' && i+1 < len(p.src) && isDigit(p.src[i+1])
}

// parseGroup reads {...}: one atom's worth of math.
func (p *parser) parseGroup() (string, error) {
	start := p.pos
	p.pos++
	inner, err := p.parseUntil("}")
	if err != nil {
		if e, ok := err.(*Error); ok && e.Offset == len(p.src) && e.Msg == unclosed("}") {
			e.Offset = start // the { that is not closed
		}
		return "", err
	}
	p.pos++ // }
	if p.atoms == 1 {
		return inner, nil // {x} is x
	}
	return "<mrow>" + inner + "</mrow>", nil
}

// parseRune reads a character beyond ASCII: a letter, a digit or an
// operator.
func (p *parser) parseRune() (string, error) {
	start := p.pos
	r, n := utf8.DecodeRuneInString(p.src[p.pos:])
	p.pos += n
	switch {
	case r == utf8.RuneError && n == 1:
		return "", p.errorf(start, "invalid UTF-8 in math")
	case unicode.IsLetter(r):
		return "<mi>" + html.EscapeString(string(r)) + "</mi>", nil
	case unicode.IsDigit(r):
		return "<mn>" + string(r) + "</mn>", nil
	case unicode.IsControl(r):
		return "", p.errorf(start, "unexpected %q in math", r)
	}
	return mo(string(r)), nil
}

func mo(s string) string { return "<mo>" + html.EscapeString(s) + "</mo>" }
