package diag

import (
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
}

var fieldNotFoundRE = regexp.MustCompile(`^field (\S+) not found in type`)

// YAMLSourceErrors is YAMLErrors for a document whose text is src: a
// value whose quote is never closed, which yaml.v3 reports where the
// document ends or at the next key ("found unexpected end of stream",
// "did not find expected key"), is reported at its own line, saying so.
func YAMLSourceErrors(file string, offset int, src []byte, err error) List {
	list := YAMLErrors(file, offset, err)
	if len(list) != 1 || !strings.Contains(list[0].Msg, "unexpected end of stream") && !strings.Contains(list[0].Msg, "did not find expected key") {
		return list
	}
	if line, quote := unclosedQuote(src); line > 0 && (list[0].Line == 0 || line+offset <= list[0].Line) {
		list[0].Line = line + offset
		list[0].Msg = fmt.Sprintf("the value's opening %c is never closed: end it with %c on the same line", quote, quote)
	}
	return list
}

// unclosedQuote finds the first line (1-based) of src whose value starts
// with a quote that the line does not close, and the quote; 0 for none.
func unclosedQuote(src []byte) (int, rune) {
	for i, l := range strings.Split(string(src), "\n") {
		v := strings.TrimSpace(l)
		if strings.HasPrefix(v, "#") {
			continue
		}
		if _, after, ok := strings.Cut(v, ": "); ok && !strings.HasPrefix(v, "\"") && !strings.HasPrefix(v, "'") {
			v = strings.TrimSpace(after)
		} else if after, ok := strings.CutPrefix(v, "- "); ok {
			v = strings.TrimSpace(after)
		}
		if v == "" || (v[0] != '"' && v[0] != '\'') {
			continue
		}
		q := v[0]
		closed := false
		for j := 1; j < len(v); j++ {
			switch {
			case q == '"' && v[j] == '\\':
				j++ // an escaped character
			case v[j] == q && q == '\'' && j+1 < len(v) && v[j+1] == '\'':
				j++ // '' is a quote inside single quotes
			case v[j] == q:
				closed = true
			}
			if closed {
				break
			}
		}
		if !closed {
			return i + 1, rune(q)
		}
	}
	return 0, 0
}
