package markdown

import (
	"go/scanner"
	"go/token"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
)

// lexGo tokenises Go source with the standard library's scanner and labels
// the tokens with the same chroma token types as chroma's Go lexer, so the
// generated stylesheet applies unchanged. Profiling the build showed
// chroma's regexp-based Go lexer taking over half of a full build's CPU;
// go/scanner does the same job in a fraction of it. The tokens are
// appended to toks[:0]; the bool is false when the text does not scan as
// Go, and the caller falls back to chroma.
func lexGo(toks []chroma.Token, code string) ([]chroma.Token, bool) {
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(code))
	bad := false
	var s scanner.Scanner
	s.Init(file, []byte(code), func(token.Position, string) { bad = true }, scanner.ScanComments)
	toks = toks[:0]
	// Tokens cover the code without gaps, so a token that continues the
	// previous one's type extends its slice of code: no concatenation.
	lastStart := 0
	emit := func(t chroma.TokenType, start, end int) {
		if n := len(toks); n > 0 && toks[n-1].Type == t {
			toks[n-1].Value = code[lastStart:end]
			return
		}
		lastStart = start
		toks = append(toks, chroma.Token{Type: t, Value: code[start:end]})
	}
	last := 0
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		if tok == token.SEMICOLON && lit != ";" {
			continue // inserted by the scanner, not in the source
		}
		off := file.Offset(pos)
		if off < last || off > len(code) {
			return nil, false
		}
		if off > last {
			emit(chroma.TextWhitespace, last, off)
		}
		text := lit
		if text == "" {
			text = tok.String()
		}
		end := off + len(text)
		if end > len(code) {
			return nil, false
		}
		text = code[off:end] // the source's own bytes (comments keep their \r)
		emit(goTokenType(tok, text, code[end:]), off, end)
		last = end
	}
	if bad {
		return nil, false
	}
	if last < len(code) {
		emit(chroma.TextWhitespace, last, len(code))
	}
	return toks, true
}

// goTokens holds token slices for writeGo between code blocks.
var goTokens = sync.Pool{New: func() any { return new([]chroma.Token) }}

// writeGo tokenizes code as Go for write and reports whether it could:
// false, without calling write, when code does not scan as Go.
func writeGo(code string, write func([]chroma.Token)) bool {
	pooled := goTokens.Get().(*[]chroma.Token)
	toks, ok := lexGo(*pooled, code)
	if ok {
		write(toks)
	}
	clear(toks) // drop the references to code
	*pooled = toks[:0]
	goTokens.Put(pooled)
	return ok
}

var goDeclKeywords = map[string]bool{"var": true, "func": true, "struct": true, "map": true, "chan": true, "type": true, "interface": true, "const": true}

var goBuiltinTypes = map[string]bool{"uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true, "int": true, "int8": true, "int16": true,
	"int32": true, "int64": true, "float32": true, "float64": true, "complex64": true, "complex128": true, "byte": true, "rune": true, "string": true,
	"bool": true, "error": true, "uintptr": true, "any": true, "comparable": true}

var goBuiltinFuncs = map[string]bool{"print": true, "println": true, "panic": true, "recover": true, "close": true, "complex": true, "real": true,
	"imag": true, "len": true, "cap": true, "append": true, "copy": true, "delete": true, "new": true, "make": true, "clear": true, "min": true, "max": true}

// goTokenType is the chroma type of a Go token: text is its source and
// rest the code after it (an identifier followed by "(" is a call).
func goTokenType(tok token.Token, text, rest string) chroma.TokenType {
	switch {
	case tok == token.COMMENT:
		return goCommentType(text)
	case tok == token.IMPORT || tok == token.PACKAGE:
		return chroma.KeywordNamespace
	case tok.IsKeyword():
		if goDeclKeywords[text] {
			return chroma.KeywordDeclaration
		}
		return chroma.Keyword
	case tok == token.IDENT:
		return goIdentType(text, strings.HasPrefix(strings.TrimLeft(rest, " \t"), "("))
	case tok == token.INT:
		return goIntType(text)
	}
	if t, ok := goLiteralType(tok); ok {
		return t
	}
	switch text {
	case "|", "^", "<", ">", "=", "!", "(", ")", "[", "]", "{", "}", ".", ",", ";", ":", "~":
		return chroma.Punctuation
	}
	return chroma.Operator
}

// goLiteralType is the type of a literal other than an integer; ok is
// false for any other token.
func goLiteralType(tok token.Token) (t chroma.TokenType, ok bool) {
	switch tok {
	case token.FLOAT:
		return chroma.LiteralNumberFloat, true
	case token.IMAG:
		return chroma.LiteralNumber, true
	case token.CHAR:
		return chroma.LiteralStringChar, true
	case token.STRING:
		return chroma.LiteralString, true
	}
	return 0, false
}

// goCommentType tells a /* */ comment, a //directive and a // comment apart.
func goCommentType(text string) chroma.TokenType {
	switch {
	case strings.HasPrefix(text, "/*"):
		return chroma.CommentMultiline
	case len(text) > 2 && text[2] != ' ' && text[2] != '\t':
		return chroma.CommentPreproc
	}
	return chroma.CommentSingle
}

// goIdentType is an identifier's type: a predeclared constant, a builtin
// called or a type, a function called, or any other name.
func goIdentType(text string, call bool) chroma.TokenType {
	switch {
	case text == "true" || text == "false" || text == "nil" || text == "iota":
		return chroma.KeywordConstant
	case call && (goBuiltinFuncs[text] || goBuiltinTypes[text]):
		return chroma.NameBuiltin
	case goBuiltinTypes[text]:
		return chroma.KeywordType
	case call:
		return chroma.NameFunction
	}
	return chroma.NameOther
}

// goIntType is an integer literal's type, by its base.
func goIntType(text string) chroma.TokenType {
	lower := strings.ToLower(text)
	switch {
	case strings.HasPrefix(lower, "0x"):
		return chroma.LiteralNumberHex
	case strings.HasPrefix(lower, "0b"):
		return chroma.LiteralNumberBin
	case strings.HasPrefix(lower, "0o") || (len(text) > 1 && text[0] == '0'):
		return chroma.LiteralNumberOct
	}
	return chroma.LiteralNumberInteger
}
