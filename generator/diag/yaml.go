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
