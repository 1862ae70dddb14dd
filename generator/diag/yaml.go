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

var fieldNotFoundRE = regexp.MustCompile(`^field (\S+) not found in type`)
