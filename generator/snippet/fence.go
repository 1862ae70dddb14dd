package snippet

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/benchpress/benchpress/internal/plot"
	"github.com/benchpress/benchpress/playground"
)

// HasLive reports whether body may hold a live code block. Only such
// posts are parsed before rendering (to collect and run their snippets),
// so it must never say no to a post with one: it takes the text after
// every run of ``` or ~~~ (anywhere on a line, so fences in lists and
// block quotes count) up to the end of the line, and asks ParseFenceInfo,
// the one recogniser of live fences, what it is. An info string that does
// not parse counts too: the post is parsed and the error reported, never
// skipped. A byte scan finds the fences: a multi-line regexp over every
// post's body was 9% of a full build's CPU.
func HasLive(body []byte) bool {
	for off := 0; off < len(body); {
		i := indexFence(body[off:])
		if i < 0 {
			return false
		}
		i += off
		k := i
		for k < len(body) && body[k] == body[i] {
			k++
		}
		end := bytes.IndexByte(body[k:], '\n')
		if end < 0 {
			end = len(body)
		} else {
			end += k
		}
		if liveInfo(body[k:end]) {
			return true
		}
		off = k
	}
	return false
}

// liveInfo reports whether a fence's info string makes it a live block (or
// is malformed), by ParseFenceInfo.
func liveInfo(info []byte) bool {
	info = bytes.TrimSpace(info)
	if len(info) == 0 {
		return false // a closing fence, or a plain one
	}
	fi, err := ParseFenceInfo(string(info))
	return err != nil || fi.Verb != ""
}

// indexFence is the index of the first "```" or "~~~" in b, or -1.
func indexFence(b []byte) int {
	i := bytes.Index(b, []byte("```"))
	limit := b
	if i >= 0 {
		limit = b[:i]
	}
	if j := bytes.Index(limit, []byte("~~~")); j >= 0 {
		return j
	}
	return i
}

// FenceInfo is a parsed fence info string: `go run name=x`, `go linenos hl=2-4`.
type FenceInfo struct {
	Lang      string
	Verb      string // a Verb's name, or "" for a plain block
	Opts      map[string]string
	LineNos   bool
	Highlight [][2]int
}

// ParseFenceInfo splits an info string into its language, live verb and
// options. Values may be double-quoted to hold spaces; inside quotes \"
// is a quote and \\ a backslash, and any other backslash stays as written.
func ParseFenceInfo(info string) (FenceInfo, error) {
	words, err := splitWords(strings.Trim(strings.TrimSpace(info), "{}"))
	fi := FenceInfo{Opts: map[string]string{}}
	if err != nil {
		// The language and verb still say whether the fence is live: a
		// plain fence's malformed options are shown, never an error.
		if w := strings.Fields(strings.Trim(strings.TrimSpace(info), "{}")); len(w) >= 2 && strings.EqualFold(w[0], "go") && verbNamed(w[1]) != nil {
			fi.Lang, fi.Verb = "go", w[1]
		}
		return fi, err
	}
	if len(words) == 0 {
		return fi, nil
	}
	fi.Lang = strings.ToLower(strings.TrimRight(words[0], "{"))
	rest := words[1:]
	if fi.Lang == "go" && len(rest) > 0 && verbNamed(rest[0]) != nil {
		fi.Verb, rest = rest[0], rest[1:]
	}
	for _, w := range rest {
		w = strings.Trim(w, "{},")
		if w == "" {
			continue
		}
		k, v, hasValue := strings.Cut(w, "=")
		if _, dup := fi.Opts[k]; dup {
			return fi, fmt.Errorf("option %q given twice", k)
		}
		fi.Opts[k] = v
		switch k {
		case "linenos":
			fi.LineNos = !hasValue || v == "true" || v == "table" || v == "inline"
		case "hl", "hl_lines":
			r, err := parseRanges(strings.Trim(v, "[]\""))
			if err != nil {
				return fi, fmt.Errorf("%s=%s: %v (write e.g. hl=2-4,7)", k, v, err)
			}
			fi.Highlight = r
		}
	}
	return fi, nil
}

func splitWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inQuote, has := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			inQuote = !inQuote
			has = true
		case c == '\\' && inQuote && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\'):
			// As in a shell's double quotes, \ escapes only " and itself:
			// expect-match="0\.[89]" keeps its regular expression.
			i++
			cur.WriteByte(s[i])
		case (c == ' ' || c == '\t') && !inQuote:
			if has {
				words = append(words, cur.String())
				cur.Reset()
				has = false
			}
		default:
			cur.WriteByte(c)
			has = true
		}
	}
	if inQuote {
		return nil, fmt.Errorf("unclosed quote in %q", s)
	}
	if has {
		words = append(words, cur.String())
	}
	return words, nil
}

func parseRanges(s string) ([][2]int, error) {
	var out [][2]int
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		if err != nil {
			return nil, fmt.Errorf("%q is not a line number", lo)
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil {
				return nil, fmt.Errorf("%q is not a line number", hi)
			}
		}
		out = append(out, [2]int{a, b})
	}
	return out, nil
}

// Verb is a live directive, the word after "go" in a fence's info string,
// with the options it takes: the table below is the whole of what makes
// a fence live. A new verb is an entry here and its program in Build.
type Verb struct {
	Name string
	Mode playground.Mode
	Keys []string // its options, in the order an error lists them
}

var verbs = []Verb{
	{"run", playground.ModeRun, append([]string{"name", "file", "args", "stdin", "timeout", "expect", "expect-output", "expect-match", "hide", "linenos", "hl", "plot", "params", "default", "axes"}, plot.Options...)},
	{"bench", playground.ModeBench, []string{"name", "file", "count", "cpu", "benchtime", "baseline", "claim", "uses", "timeout", "hide", "linenos", "hl"}},
}

// verbNamed is the verb called name, or nil.
func verbNamed(name string) *Verb {
	for i := range verbs {
		if verbs[i].Name == name {
			return &verbs[i]
		}
	}
	return nil
}
