package config

import (
	"fmt"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"
)

// unknownKeyHelp completes the message about an unknown key at line of
// config.yaml: where it is, the key meant when one is a typo away, and
// the keys that place takes, so the author need not open the README to
// spell one.
func unknownKeyHelp(doc *yaml.Node, key string, line int) string {
	path, ok := keyPath(doc, key, line)
	if !ok {
		return " (see the README's config reference; keys are case-sensitive)"
	}
	known := keysAt(reflect.TypeFor[Config](), path)
	where := ""
	if len(path) > 0 {
		where = " in " + strings.Join(path, ".")
	}
	if len(known) == 0 {
		return where + " (see the README's config reference; keys are case-sensitive)"
	}
	meant := ""
	best := 3 // a typo: at most two edits, or the same key in another case
	for _, k := range known {
		d := editDistance(strings.ToLower(key), strings.ToLower(k))
		if strings.EqualFold(k, key) {
			d = 0
		}
		if d < best {
			best, meant = d, k
		}
	}
	msg := where
	if meant != "" {
		msg += fmt.Sprintf(": did you mean %q?", meant)
	}
	return msg + " (keys" + where + ": " + strings.Join(known, ", ") + "; keys are case-sensitive)"
}

// keyPath finds the key named key on line and returns the keys of the
// mappings it sits in, outermost first (a list's items add no key).
func keyPath(doc *yaml.Node, key string, line int) ([]string, bool) {
	var walk func(n *yaml.Node, path []string) ([]string, bool)
	walk = func(n *yaml.Node, path []string) ([]string, bool) {
		switch n.Kind {
		case yaml.DocumentNode, yaml.SequenceNode:
			for _, c := range n.Content {
				if p, ok := walk(c, path); ok {
					return p, true
				}
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				if k.Line == line && k.Value == key {
					return path, true
				}
				if p, ok := walk(n.Content[i+1], append(path[:len(path):len(path)], k.Value)); ok {
					return p, true
				}
			}
		}
		return nil, false
	}
	if doc == nil {
		return nil, false
	}
	return walk(doc, nil)
}

// keysAt lists the yaml keys of the struct that path leads to from t, or
// nil when it leads to no struct.
func keysAt(t reflect.Type, path []string) []string {
	for {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return nil
		}
		if len(path) == 0 {
			break
		}
		f, ok := fieldByKey(t, path[0])
		if !ok {
			return nil
		}
		t, path = f.Type, path[1:]
	}
	var keys []string
	for i := range t.NumField() {
		if k := yamlKey(t.Field(i)); k != "" {
			keys = append(keys, k)
		}
	}
	return keys
}

func fieldByKey(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		if f := t.Field(i); yamlKey(f) == key {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// yamlKey is the key a field is decoded from, "" for none.
func yamlKey(f reflect.StructField) string {
	if !f.IsExported() {
		return ""
	}
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	if name == "-" {
		return ""
	}
	if name == "" {
		name = strings.ToLower(f.Name)
	}
	return name
}

// editDistance is the Levenshtein distance of a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
