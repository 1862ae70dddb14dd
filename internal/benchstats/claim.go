package benchstats

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// A Claim is an author's statement about a bench block's results, written
// in the fence (claim="Sharded < Mutex; Sharded <= 0.3x Mutex") and judged
// with the statistics the table shows:
//
//	A < B          A's median is below B's, and the difference is significant
//	A <= 0.3x B    A's median is at most 0.3 times B's, significantly different
//	A > 2x B       A's median is more than twice B's, significantly different
//	A ~ B          no significant difference (the table's "~")
//	A < B B/op     the same, of another unit (default sec/op, else the first)
//
// ratio = median(A) / median(B), as the table's ratio column with B as the
// baseline, and "significant" is the table's test: Mann-Whitney U, p <=
// alpha 0.05. A claim whose bound excludes a ratio of 1 (A < kx B or A <= kx
// B with k <= 1; A > kx B or A >= kx B with k >= 1) claims a difference and
// needs significance; one that does not (A <= 1.1x B: "at most 10% slower")
// is a bound on the median ratio only. A ~ B needs at least MinRuns runs of
// each, so that "no difference" is not merely "too few runs to tell".
//
// A and B name benchmarks as go test prints them, without "Benchmark": a base
// name (Sharded) stands for all its sub-benchmarks and GOMAXPROCS values, and
// the claim must hold for each configuration both ran; Sharded/n=8 or
// Sharded-4 narrows it.
type Claim struct {
	Text   string  // as written, trimmed
	A, B   string  // benchmark names, without "Benchmark"
	Op     string  // "<", "<=", ">", ">=" or "~"
	Factor float64 // k in A < kx B; 1 when not written
	Unit   string  // "" for the default
}

// ParseClaims reads a claim= value: claims separated by ";".
func ParseClaims(s string) ([]Claim, error) {
	var out []Claim
	for _, part := range strings.Split(s, ";") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		c, err := ParseClaim(part)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, errors.New(`no claim: write e.g. claim="Sharded < Mutex" (several separated by ;)`)
	}
	return out, nil
}

// ParseClaim reads one claim: A OP [Kx] B [UNIT].
func ParseClaim(s string) (Claim, error) {
	c := Claim{Text: strings.Join(strings.Fields(s), " "), Factor: 1}
	bad := func(format string, args ...any) (Claim, error) {
		return Claim{}, fmt.Errorf("claim %q: %s (write e.g. \"Sharded < Mutex\", \"Sharded <= 0.3x Mutex\" or \"A ~ B\")", c.Text, fmt.Sprintf(format, args...))
	}
	toks := claimTokens(s)
	if len(toks) == 0 {
		return bad("empty")
	}
	if isOp(toks[0]) {
		return bad("no benchmark before %s", toks[0])
	}
	c.A = strings.TrimPrefix(toks[0], "Benchmark")
	if len(toks) < 2 || !isOp(toks[1]) {
		return bad("want <, <=, >, >= or ~ after %s", toks[0])
	}
	c.Op = toks[1]
	rest := toks[2:]
	if len(rest) >= 2 && !isOp(rest[0]) && !isOp(rest[1]) {
		if k, ok := parseFactor(rest[0]); ok {
			if c.Op == "~" {
				return bad("~ takes no factor: it claims no significant difference")
			}
			c.Factor, rest = k, rest[1:]
		} else if looksLikeFactor(rest[0]) {
			return bad("factor %s: want a positive number followed by x, e.g. 0.3x", rest[0])
		}
	}
	if len(rest) == 0 {
		return bad("no benchmark after %s", c.Op)
	}
	for _, t := range rest {
		if isOp(t) {
			return bad("one comparison per claim: separate claims with ;")
		}
	}
	c.B = strings.TrimPrefix(rest[0], "Benchmark")
	switch len(rest) {
	case 1:
	case 2:
		c.Unit = rest[1]
	default:
		return bad("unexpected %q", strings.Join(rest[2:], " "))
	}
	if c.A == "" || c.B == "" {
		return bad("a benchmark name is empty")
	}
	if c.A == c.B {
		return bad("compares %s with itself", c.A)
	}
	if _, ok := parseFactor(c.A); ok {
		return bad("the factor goes before the second benchmark: A <= 0.3x B")
	}
	return c, nil
}

// claimTokens splits a claim into words and operators; an operator needs
// no spaces around it.
func claimTokens(s string) []string {
	var toks []string
	var word strings.Builder
	flush := func() {
		if word.Len() > 0 {
			toks = append(toks, word.String())
			word.Reset()
		}
	}
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		switch r := rs[i]; {
		case unicode.IsSpace(r):
			flush()
		case r == '<' || r == '>':
			flush()
			if i+1 < len(rs) && rs[i+1] == '=' {
				toks = append(toks, string(r)+"=")
				i++
			} else {
				toks = append(toks, string(r))
			}
		case r == '~':
			flush()
			toks = append(toks, "~")
		default:
			word.WriteRune(r)
		}
	}
	flush()
	return toks
}

func isOp(t string) bool {
	switch t {
	case "<", "<=", ">", ">=", "~":
		return true
	}
	return false
}

// parseFactor reads 0.3x (or 0.3×): a positive finite number and an x.
func parseFactor(t string) (float64, bool) {
	num, ok := strings.CutSuffix(t, "x")
	if !ok {
		num, ok = strings.CutSuffix(t, "×")
	}
	if !ok || num == "" || strings.ContainsAny(num, "eEnNiI+-_") {
		return 0, false
	}
	k, err := strconv.ParseFloat(num, 64)
	if err != nil || !(k > 0) || math.IsInf(k, 0) {
		return 0, false
	}
	return k, true
}

// looksLikeFactor reports whether a word was meant as a factor: a number
// (perhaps signed) followed by x.
func looksLikeFactor(t string) bool {
	if !strings.HasSuffix(t, "x") && !strings.HasSuffix(t, "×") {
		return false
	}
	return strings.IndexAny(t[:1], "0123456789.-+") == 0
}

// needsSignificance reports whether the claim asserts a difference: its
// bound excludes a ratio of 1.
func (c Claim) needsSignificance() bool {
	switch c.Op {
	case "<", "<=":
		return c.Factor <= 1
	case ">", ">=":
		return c.Factor >= 1
	}
	return false
}

// Verdict is a judged claim.
type Verdict struct {
	Holds bool
	// Figures are the measurements that decided it, for the failing
	// configuration or, when it holds, the first: 0.41x [0.38, 0.44], p=0.002.
	Figures string
	// Where names the configuration when the claim covered several:
	// "Sharded-4 against Mutex-4"; "" otherwise.
	Where string
}

// Judge decides a claim on the results. An error means it cannot be
// judged at all: a benchmark or unit that is not in the results, no
// configuration both ran, too few runs for "no difference".
func (res *Results) Judge(c Claim) (Verdict, error) {
	ui, err := res.claimUnit(c)
	if err != nil {
		return Verdict{}, err
	}
	as, bs := res.claimRows(c.A), res.claimRows(c.B)
	for _, x := range []struct {
		name string
		rows []*Row
	}{{c.A, as}, {c.B, bs}} {
		if len(x.rows) == 0 {
			return Verdict{}, fmt.Errorf("claim %q: the results have no benchmark %s (they have %s)", c.Text, x.name, strings.Join(res.seriesNames(), ", "))
		}
	}
	type pair struct{ a, b *Row }
	var pairs []pair
	for _, a := range as {
		for _, b := range bs {
			if claimKey(a, c.A) == claimKey(b, c.B) {
				pairs = append(pairs, pair{a, b})
			}
		}
	}
	if len(pairs) == 0 {
		return Verdict{}, fmt.Errorf("claim %q: %s and %s never ran in the same configuration (sub-benchmark and GOMAXPROCS): name one of each, e.g. %s against %s", c.Text, c.A, c.B, as[0].Name, bs[0].Name)
	}
	var first Verdict
	for i, p := range pairs {
		v, err := res.judgePair(c, ui, p.a, p.b)
		if err != nil {
			return Verdict{}, err
		}
		if len(pairs) > 1 {
			v.Where = p.a.Name + " against " + p.b.Name
		}
		if !v.Holds {
			return v, nil
		}
		if i == 0 {
			first = v
		}
	}
	return first, nil
}

func (res *Results) judgePair(c Claim, ui int, a, b *Row) (Verdict, error) {
	u := res.Units[ui]
	ca, cb := a.Cells[ui], b.Cells[ui]
	for _, x := range []struct {
		row  *Row
		cell *Cell
	}{{a, ca}, {b, cb}} {
		if x.cell == nil {
			return Verdict{}, fmt.Errorf("claim %q: %s did not report %s", c.Text, x.row.Name, u.Name)
		}
	}
	if c.Op == "~" {
		for _, x := range []struct {
			row  *Row
			cell *Cell
		}{{a, ca}, {b, cb}} {
			if n := len(x.cell.Sample.Values); n < MinRuns {
				return Verdict{}, fmt.Errorf("claim %q: %s ran %d times; claiming no difference needs at least %d runs of each (raise count= in the fence)", c.Text, x.row.Name, n, MinRuns)
			}
		}
	}
	cmp := u.Assume.Compare(cb.Sample, ca.Sample)
	sig := cmp.P <= cmp.Alpha
	ratio := math.NaN()
	switch old, cur := cb.Summary.Center, ca.Summary.Center; {
	case old == cur:
		ratio = 1
	case old != 0:
		ratio = cur / old
	default: // more of something B measured none of (B/op against 0 B/op)
		ratio = math.Copysign(math.Inf(1), cur)
	}
	fig := claimRatio(ratio) + "x"
	if ca.HasCI() && cb.HasCI() && cb.Summary.Lo > 0 && cb.Summary.Hi > 0 {
		fig += fmt.Sprintf(" [%s, %s]", claimRatio(ca.Summary.Lo/cb.Summary.Hi), claimRatio(ca.Summary.Hi/cb.Summary.Lo))
	} else {
		fig += fmt.Sprintf(" (no interval: %d and %d runs)", len(ca.Sample.Values), len(cb.Sample.Values))
	}
	fig += fmt.Sprintf(", p=%.3f", cmp.P)
	if u.Name != "sec/op" || c.Unit != "" {
		fig += " (" + u.Name + ")"
	}
	v := Verdict{Figures: fig}
	k := c.Factor
	switch c.Op {
	case "~":
		v.Holds = !sig
	case "<":
		v.Holds = ratio < k
	case "<=":
		v.Holds = ratio <= k
	case ">":
		v.Holds = ratio > k
	case ">=":
		v.Holds = ratio >= k
	}
	if math.IsNaN(ratio) {
		v.Holds = false
	}
	if c.needsSignificance() && !sig {
		v.Holds = false
	}
	return v, nil
}

// claimRatio formats a ratio as the table does, without its ×.
func claimRatio(r float64) string {
	if math.IsInf(r, 0) {
		return strings.TrimSuffix(strings.TrimSuffix(strconv.FormatFloat(r, 'f', -1, 64), "Inf"), "+") + "∞"
	}
	return strings.TrimSuffix(FormatRatio(r), "×")
}

// claimUnit is the unit a claim is about: its own, else sec/op, else the
// first.
func (res *Results) claimUnit(c Claim) (int, error) {
	want := c.Unit
	if want == "" {
		if ui := res.TimeUnit(); ui >= 0 {
			return ui, nil
		}
		return 0, nil
	}
	var names []string
	for i, u := range res.Units {
		if u.Name == want {
			return i, nil
		}
		names = append(names, u.Name)
	}
	return 0, fmt.Errorf("claim %q: the results have no unit %s (they have %s)", c.Text, want, strings.Join(names, ", "))
}

// claimRows are the rows a claim's name stands for: its base name, its
// series (with the sub-benchmark configuration) or its full name.
func (res *Results) claimRows(name string) []*Row {
	var out []*Row
	for _, r := range res.Rows {
		if r.Base == name || r.Series() == name || r.Name == name {
			out = append(out, r)
		}
	}
	return out
}

// claimKey is what of a row's configuration the claim's name left open;
// the two sides of a claim are compared where it is equal.
func claimKey(r *Row, name string) string {
	switch name {
	case r.Series():
		return "\x00" + strconv.Itoa(r.Procs)
	case r.Base:
		return r.Config + "\x00" + strconv.Itoa(r.Procs)
	}
	return "" // the full name, GOMAXPROCS included
}

func (res *Results) seriesNames() []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range res.Rows {
		if !seen[r.Base] {
			seen[r.Base] = true
			out = append(out, r.Base)
		}
	}
	return out
}

// Error is how a build reports a claim that does not hold, after the
// position: claim "Sharded <= 0.3x Mutex" no longer holds: 0.41x [0.38,
// 0.44], p=0.002.
func (v Verdict) Error(c Claim) string {
	where := ""
	if v.Where != "" {
		where = " for " + v.Where
	}
	return fmt.Sprintf("claim %q no longer holds%s: %s", c.Text, where, v.Figures)
}
