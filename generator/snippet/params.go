package snippet

// Explorable blocks: a go run fence with params= runs once per combination
// of its parameters' values, each run an ordinary playground Program whose
// Args start with the combination as flags (-vnodes=100 -nodes=5), and the
// page lets the reader switch between the real outputs (explore.go).
//
//	```go run name=ring params="vnodes=1,10,100; nodes=3,5" default="vnodes=10; nodes=5"
//
// params= is a list of NAME=V1,V2,... separated by semicolons; default=
// uses the same syntax with one value per name (names it leaves out take
// their first value). Names are flag names (a letter, then letters,
// digits, _ or -); values are single words of letters, digits (any
// script's) and . _ + - : / %, so that each reaches the program as one
// argument -NAME=VALUE, with nothing a reader's control, a file name or a
// shell could read another way.

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Bounds on a grid beside its cap on combinations (config.yaml's
// playground.maxCombinations): they keep a fence's controls something a
// reader can use.
const (
	maxParams   = 4
	maxValueLen = 64
)

// Param is one parameter of an explorable block: a flag and the values the
// build runs the program with, in the author's order.
type Param struct {
	Name   string
	Values []string
	// Ordered is set when every value is a number and they ascend: the
	// page shows a slider rather than a list.
	Ordered bool
}

// Grid is an explorable block's parameters and the combination shown
// first. A combination is one index into each Param's Values.
type Grid struct {
	Params  []Param
	Default []int
}

var paramNameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,31}$`)

// ParseParams reads a params= value. max caps the number of combinations.
func ParseParams(spec string, max int) (*Grid, error) {
	g := &Grid{}
	seen := map[string]bool{}
	for _, part := range strings.Split(spec, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, list, ok := strings.Cut(part, "=")
		name = strings.TrimSpace(name)
		if !ok || strings.TrimSpace(list) == "" {
			return nil, fmt.Errorf("%q has no values: write NAME=V1,V2,... (e.g. params=\"vnodes=1,10,100; nodes=3,5\")", part)
		}
		if err := checkParamName(name); err != nil {
			return nil, err
		}
		if seen[name] {
			return nil, fmt.Errorf("%s is given twice: list all its values once (%s=A,B,C)", name, name)
		}
		seen[name] = true
		p := Param{Name: name}
		for _, v := range strings.Split(list, ",") {
			v = strings.TrimSpace(v)
			if err := checkParamValue(name, v); err != nil {
				return nil, err
			}
			for _, old := range p.Values {
				if old == v {
					return nil, fmt.Errorf("%s lists the value %s twice", name, v)
				}
			}
			p.Values = append(p.Values, v)
		}
		p.Ordered = ascending(p.Values)
		g.Params = append(g.Params, p)
		if len(g.Params) > maxParams {
			return nil, fmt.Errorf("more than %d parameters: a reader cannot follow more controls than that", maxParams)
		}
	}
	if len(g.Params) == 0 {
		return nil, fmt.Errorf("no parameters: write NAME=V1,V2,... (e.g. params=\"vnodes=1,10,100; nodes=3,5\")")
	}
	// The product is checked as it grows, so a huge grid cannot overflow.
	n := 1
	for _, p := range g.Params {
		n *= len(p.Values)
		if n > max {
			return nil, fmt.Errorf("%s make more than %d combinations (the cap, playground.maxCombinations in config.yaml): drop values, or raise the cap", g.sizeText(), max)
		}
	}
	g.Default = make([]int, len(g.Params))
	return g, nil
}

// sizeText is "4 × 3 × 10 values" for the grid's parameters.
func (g *Grid) sizeText() string {
	var parts []string
	for _, p := range g.Params {
		parts = append(parts, strconv.Itoa(len(p.Values)))
	}
	return strings.Join(parts, " × ") + " values"
}

func checkParamName(name string) error {
	switch {
	case !paramNameRE.MatchString(name):
		return fmt.Errorf("%q is not a flag name: start with a letter, then letters, digits, _ or - (at most 32)", name)
	case name == "h" || name == "help":
		return fmt.Errorf("-%s is the flag package's request for help, not a parameter: choose another name", name)
	case strings.HasPrefix(name, "test."):
		return fmt.Errorf("%q is a name of the testing package's flags: choose another", name)
	}
	return nil
}

// checkParamValue refuses what would not reach the program as one plain
// flag value: empty, spaces, quotes, =, control or invisible characters.
func checkParamValue(name, v string) error {
	if v == "" {
		return fmt.Errorf("%s has an empty value: write NAME=V1,V2 without a trailing or doubled comma", name)
	}
	bad := len(v) > maxValueLen || !utf8.ValidString(v)
	for _, r := range v {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("._+-:/%", r) {
			bad = true
		}
	}
	if bad {
		return fmt.Errorf("%s=%s: a value is one word of letters, digits and . _ + - : / %% (at most %d bytes), passed as -%s=VALUE", name, printable(v), maxValueLen, name)
	}
	return nil
}

// ascending reports whether every value is a number and each is greater
// than the one before.
func ascending(vs []string) bool {
	prev := 0.0
	for i, v := range vs {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f != f || (i > 0 && f <= prev) {
			return false
		}
		prev = f
	}
	return len(vs) > 1
}

// ParseDefault reads a default= value against the grid: one value per
// name, from that parameter's values.
func (g *Grid) ParseDefault(spec string) error {
	seen := map[string]bool{}
	for _, part := range strings.Split(spec, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, v, ok := strings.Cut(part, "=")
		name, v = strings.TrimSpace(name), strings.TrimSpace(v)
		if !ok || v == "" {
			return fmt.Errorf("%q: write NAME=VALUE for each parameter to set (e.g. default=\"vnodes=10; nodes=5\")", part)
		}
		k := g.param(name)
		if k < 0 {
			return fmt.Errorf("%s is not a parameter of params= (%s)", name, strings.Join(g.names(), ", "))
		}
		if seen[name] {
			return fmt.Errorf("%s is given twice", name)
		}
		seen[name] = true
		i := -1
		for j, have := range g.Params[k].Values {
			if have == v {
				i = j
			}
		}
		if i < 0 {
			return fmt.Errorf("%s=%s is not in the grid: pick one of %s", name, printable(v), strings.Join(g.Params[k].Values, ", "))
		}
		g.Default[k] = i
	}
	return nil
}

func (g *Grid) param(name string) int {
	for i, p := range g.Params {
		if p.Name == name {
			return i
		}
	}
	return -1
}

func (g *Grid) names() []string {
	var out []string
	for _, p := range g.Params {
		out = append(out, p.Name)
	}
	return out
}

// Combinations lists every combination in reading order: the last
// parameter varies fastest.
func (g *Grid) Combinations() [][]int {
	var out [][]int
	c := make([]int, len(g.Params))
	for {
		out = append(out, append([]int(nil), c...))
		k := len(c) - 1
		for ; k >= 0; k-- {
			if c[k]++; c[k] < len(g.Params[k].Values) {
				break
			}
			c[k] = 0
		}
		if k < 0 {
			return out
		}
	}
}

// Flags are a combination as the program's first arguments, one
// -NAME=VALUE each.
func (g *Grid) Flags(c []int) []string {
	out := make([]string, len(c))
	for k, i := range c {
		out[k] = "-" + g.Params[k].Name + "=" + g.Params[k].Values[i]
	}
	return out
}

// Key names a combination as default= would: "vnodes=10;nodes=5". The page
// and its data file use it to find a state.
func (g *Grid) Key(c []int) string {
	parts := make([]string, len(c))
	for k, i := range c {
		parts[k] = g.Params[k].Name + "=" + g.Params[k].Values[i]
	}
	return strings.Join(parts, ";")
}

// Label is a combination for people: "vnodes=10, nodes=5".
func (g *Grid) Label(c []int) string {
	return strings.ReplaceAll(g.Key(c), ";", ", ")
}
