package diag

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

var yamlLineRE = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// YAMLErrors turns yaml.v3's errors into positioned errors for file, with
// the line offset added (front matter starts after the opening ---).
func YAMLErrors(file string, offset int, err error) List {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	var list List
	for _, m := range msgs {
		line := 0
		if sm := yamlLineRE.FindStringSubmatch(m); sm != nil {
			line, _ = strconv.Atoi(sm[1])
			m = sm[2]
		}
		m = strings.TrimPrefix(m, "yaml: ")
		if f := fieldNotFoundRE.FindStringSubmatch(m); f != nil {
			m = fmt.Sprintf("unknown key %q", f[1])
		}
		m = strings.Replace(m, "cannot unmarshal !!str", "cannot use string", 1)
		m = strings.Replace(m, "cannot unmarshal !!int", "cannot use number", 1)
		m = strings.Replace(m, "cannot unmarshal !!seq", "cannot use a list", 1)
		m = strings.Replace(m, "cannot unmarshal !!map", "cannot use a mapping", 1)
		m = strings.Replace(m, "cannot unmarshal !!bool", "cannot use boolean", 1)
		m = typeNameRE.ReplaceAllString(m, "$1")
		if t := intoTypeRE.FindStringSubmatch(m); t != nil {
			if want, ok := typeWords[t[2]]; ok {
				m = t[1] + " as " + want
			}
		}
		if line > 0 {
			line += offset
		}
		list = append(list, &Error{File: file, Line: line, Msg: m})
	}
	return list
}

// typeNameRE matches a Go type name in yaml.v3's messages (into
// config.Permalinks), which means nothing to an author.
var typeNameRE = regexp.MustCompile(`\b(?:config|content|generator)\.([A-Z])`)

// intoTypeRE splits "cannot use number `10` into time.Duration" at the
// Go type, which typeWords says in words with an example.
var intoTypeRE = regexp.MustCompile("^(cannot use .*) into ([A-Za-z0-9_.]+)$")

var typeWords = map[string]string{
	"time.Duration": "a duration: write a number with a unit, e.g. 10s, 500ms or 2m",
	"int":           "a whole number, e.g. 10",
	"int64":         "a whole number, e.g. 10",
	"float64":       "a number, e.g. 1.5",
	"bool":          "true or false",
	"string":        "text: quote it, e.g. \"text\"",
	"[]string":      "a list: write [a, b] or one item a line under the key, each after \"- \"",
	"time.Time":     "a date: write e.g. 2026-01-31 or 2026-01-31T09:30:00Z",
	"Config":        "the site's settings: config.yaml is a mapping of keys to values, e.g. title: My blog",
}

var fieldNotFoundRE = regexp.MustCompile(`^field (\S+) not found in type`)

// YAMLSourceErrors is YAMLErrors for a document whose text is src. A
// syntax error is placed at the line where it first shows: yaml.v3 names
// the line of the enclosing mapping, counted from 0 for some errors and
// from 1 for others, and none when that is the first line. A value whose
// quote is never closed, or whose closing quote is followed by more text,
// is reported at its own line, saying so.
func YAMLSourceErrors(file string, offset int, src []byte, err error) List {
	list := YAMLErrors(file, offset, err)
	var te *yaml.TypeError
	if len(list) != 1 || errors.As(err, &te) {
		return list
	}
	e := list[0]
	if line := syntaxLine(src, e.Msg); line > 0 {
		e.Line = line + offset
	}
	lines := strings.Split(string(src), "\n")
	at := e.Line - offset // 1-based line of src, or <= 0
	if at > len(lines) {
		at = 0
	}
	if !strings.Contains(e.Msg, "unexpected end of stream") && !strings.Contains(e.Msg, "did not find expected key") {
		if at > 0 && strings.Contains(e.Msg, "mapping values are not allowed") {
			if hint := mappingValuesHint(lines, at-1); hint != "" {
				e.Msg = hint
			}
		}
		return list
	}
	// A quote never closed at or before the error's line is the cause.
	if line, quote := unclosedQuote(lines); line > 0 && (at <= 0 || line <= at) {
		e.Line = line + offset
		e.Msg = fmt.Sprintf("the value's opening %c is never closed: end it with %c on the same line", quote, quote)
		return list
	}
	if at <= 0 {
		return list
	}
	if rest := afterClosingQuote(lines[at-1]); rest != "" {
		e.Msg = fmt.Sprintf("text after the value's closing quote (%s): put the whole value inside the quotes, or leave them out", rest)
	} else if now, above := indent(lines[at-1]), indentAbove(lines, at-1); at > 1 && now != above {
		e.Msg = fmt.Sprintf("this line is indented %s and the one above %s: indent the keys of one mapping, or the items of one list, alike", spaces(now), spaces(above))
	}
	return list
}

// mappingValuesHint says what yaml.v3's "mapping values are not allowed
// in this context" means on line i (0-based): a key indented under a key
// that already has a value, or a value holding ": " ("" when neither).
func mappingValuesHint(lines []string, i int) string {
	if i > 0 && indent(lines[i]) > indentAbove(lines, i) {
		for j := i - 1; j >= 0; j-- {
			t := strings.TrimSpace(lines[j])
			if t == "" || strings.HasPrefix(t, "#") {
				continue
			}
			if key, v, ok := strings.Cut(t, ": "); ok && strings.TrimSpace(v) != "" && !strings.HasPrefix(t, "- ") {
				return fmt.Sprintf("this line is indented under %q, whose value is already given: indent it like %q", t, key)
			}
			break
		}
	}
	if key, v, ok := colonInValue(lines[i]); ok {
		return fmt.Sprintf("the value %q holds \": \": quote it, e.g. %s: %q", v, key, v)
	}
	return ""
}

// colonInValue splits `key: value` where the unquoted value itself holds
// ": " or ends with ":", which YAML reads as a second mapping.
func colonInValue(l string) (key, value string, ok bool) {
	key, v, found := strings.Cut(strings.TrimSpace(l), ": ")
	v = strings.TrimSpace(v)
	if !found || key == "" || v == "" || v[0] == '"' || v[0] == '\'' || strings.HasPrefix(key, "- ") {
		return "", "", false
	}
	if !strings.Contains(v, ": ") && !strings.HasSuffix(v, ":") && !strings.HasPrefix(v, ":") {
		return "", "", false
	}
	return key, v, true
}

// spaces says n spaces in words.
func spaces(n int) string {
	if n == 1 {
		return "1 space"
	}
	return fmt.Sprintf("%d spaces", n)
}

// indent is the number of spaces a line starts with.
func indent(l string) int { return len(l) - len(strings.TrimLeft(l, " ")) }

// indentAbove is the indentation of the nearest line above i (0-based)
// that holds more than a comment.
func indentAbove(lines []string, i int) int {
	for j := i - 1; j >= 0; j-- {
		if t := strings.TrimSpace(lines[j]); t != "" && !strings.HasPrefix(t, "#") {
			return indent(lines[j])
		}
	}
	return 0
}

// syntaxLineBudget bounds the bytes syntaxLine parses: it parses every
// prefix of a document, which is quadratic in its lines (a config or a
// front matter of a few hundred lines takes a few milliseconds).
const syntaxLineBudget = 4 << 20

// syntaxLine is the 1-based line of src where the syntax error msg first
// shows: the first line whose prefix of the document fails with msg (0
// when none does within the budget).
func syntaxLine(src []byte, msg string) int {
	spent := 0
	for i, end := 0, 0; end < len(src); i++ {
		if n := bytes.IndexByte(src[end:], '\n'); n >= 0 {
			end += n + 1
		} else {
			end = len(src)
		}
		if spent += end; spent > syntaxLineBudget {
			return 0
		}
		var n yaml.Node
		err := yaml.Unmarshal(src[:end], &n)
		if err == nil {
			continue
		}
		if got := YAMLErrors("", 0, err); len(got) == 1 && got[0].Msg == msg {
			return i + 1
		}
	}
	return 0
}

// afterClosingQuote is the text that follows a line's quoted value after
// its closing quote ("" when the value is not quoted, or nothing but a
// comment follows): yaml.v3 calls that "did not find expected key".
func afterClosingQuote(l string) string {
	v := quotedValue(l)
	if v == "" {
		return ""
	}
	end := closingQuote(v)
	if end < 0 {
		return ""
	}
	rest := strings.TrimSpace(v[end+1:])
	if strings.HasPrefix(rest, "#") {
		return ""
	}
	return rest
}

// unclosedQuote finds the first line (1-based) of lines whose value
// starts with a quote that the line does not close, and the quote; 0 for
// none.
func unclosedQuote(lines []string) (int, rune) {
	for i, l := range lines {
		if v := quotedValue(l); v != "" && closingQuote(v) < 0 {
			return i + 1, rune(v[0])
		}
	}
	return 0, 0
}

// quotedValue is the value of a line (`key: value` or `- value`) from its
// opening quote on, or "" when it does not start with a quote.
func quotedValue(l string) string {
	v := strings.TrimSpace(l)
	if strings.HasPrefix(v, "#") {
		return ""
	}
	if _, after, ok := strings.Cut(v, ": "); ok && !strings.HasPrefix(v, "\"") && !strings.HasPrefix(v, "'") {
		v = strings.TrimSpace(after)
	} else if after, ok := strings.CutPrefix(v, "- "); ok {
		v = strings.TrimSpace(after)
	}
	if v == "" || (v[0] != '"' && v[0] != '\'') {
		return ""
	}
	return v
}

// closingQuote is the index of the quote that closes the quoted value v
// starts with, or -1 when v does not close it.
func closingQuote(v string) int {
	q := v[0]
	for j := 1; j < len(v); j++ {
		switch {
		case q == '"' && v[j] == '\\':
			j++ // an escaped character
		case v[j] == q && q == '\'' && j+1 < len(v) && v[j+1] == '\'':
			j++ // '' is a quote inside single quotes
		case v[j] == q:
			return j
		}
	}
	return -1
}
