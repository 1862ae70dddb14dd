package benchstats

import (
	"errors"
	"fmt"
	"math"
	"slices"
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
// baseline, and "significant" is the table's test, Mann-Whitney U, at the
// claim's own level (see ClaimAlpha: stricter than the table's 0.05, for a
// build may look at a claim more than once). A claim whose bound excludes
// a ratio of 1 (A < kx B or A <= kx B with k <= 1; A > kx B or A >= kx B
// with k >= 1) claims a difference and holds when the median ratio meets
// the bound and the difference is significant; one that does not (A <=
// 1.1x B: "at most 10% slower") is a bound on the median ratio only. A
// claim is refuted when the data support the opposite: a claimed
// difference is significant the other way, or the ratio's interval lies
// wholly beyond the bound. Anything between is inconclusive: the runs
// cannot tell. A ~ B holds without a significant difference, is refuted
// by one, and needs at least MinRuns runs of each, so that "no
// difference" is not merely "too few runs to tell".
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

// Outcome is what the runs say of a claim.
type Outcome string

const (
	// Holds: the data support the claim.
	Holds Outcome = "holds"
	// Refuted: the data support the opposite: the difference is
	// significant the other way, or the interval of the ratio lies wholly
	// on the wrong side of the bound.
	Refuted Outcome = "refuted"
	// Inconclusive: the runs cannot tell.
	Inconclusive Outcome = "inconclusive"
)

// ClaimAlpha is the false-alarm rate of a claim's verdict over everything a
// build does to reach it, and MaxLooks the most times a build may judge one
// claim: on the block's own runs, then on the pooled runs after each of up
// to MaxLooks-1 rounds of extra runs, stopping at the first verdict that
// is not inconclusive.
//
// Looking again after an inconclusive verdict raises the chance that one
// of the looks finds a difference by chance, so every look is held to a
// Bonferroni share of ClaimAlpha (Pocock-style: the same level at each
// look): a look decides a difference at p <= ClaimAlpha/MaxLooks, and the
// chance that any look of the sequence decides wrongly is at most
// ClaimAlpha. A claim covering several configurations is refuted when any
// of them is, so refutation divides its share again among them; a claim
// holds only when every configuration holds, which needs no correction.
// The interval of a ratio A/B, [lo(A)/hi(B), hi(A)/lo(B)], is made of two
// medians' intervals each at confidence 1 - share/2, so that it covers the
// true ratio with probability at least 1 - share.
const (
	ClaimAlpha = 0.05
	MaxLooks   = 3
)

// Verdict is a judged claim.
type Verdict struct {
	Outcome Outcome
	// Figures are the measurements that decided it, for the deciding
	// configuration or, when it holds, the first: 0.41x [0.38, 0.44],
	// p=0.002. The interval is the one the claim was judged with (see
	// ClaimAlpha), wider than the table's 95%.
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
	pairs, err := res.claimPairs(c)
	if err != nil {
		return Verdict{}, err
	}
	var first, undecided *Verdict
	for _, p := range pairs {
		v, err := res.judgePair(c, ui, p[0], p[1], len(pairs))
		if err != nil {
			return Verdict{}, err
		}
		if len(pairs) > 1 {
			v.Where = p[0].Name + " against " + p[1].Name
		}
		switch {
		case v.Outcome == Refuted:
			return v, nil
		case v.Outcome == Inconclusive && undecided == nil:
			undecided = &v
		case first == nil:
			first = &v
		}
	}
	if undecided != nil {
		return *undecided, nil
	}
	return *first, nil
}

// claimPairs are the rows a claim compares: the two sides' rows of each
// configuration both ran.
func (res *Results) claimPairs(c Claim) ([][2]*Row, error) {
	as, bs := res.claimRows(c.A), res.claimRows(c.B)
	for _, x := range []struct {
		name string
		rows []*Row
	}{{c.A, as}, {c.B, bs}} {
		if len(x.rows) == 0 {
			return nil, fmt.Errorf("claim %q: the results have no benchmark %s (they have %s)", c.Text, x.name, strings.Join(res.seriesNames(), ", "))
		}
	}
	var pairs [][2]*Row
	for _, a := range as {
		for _, b := range bs {
			if claimKey(a, c.A) == claimKey(b, c.B) {
				pairs = append(pairs, [2]*Row{a, b})
			}
		}
	}
	if len(pairs) == 0 {
		return nil, fmt.Errorf("claim %q: %s and %s never ran in the same configuration (sub-benchmark and GOMAXPROCS): name one of each, e.g. %s against %s", c.Text, c.A, c.B, as[0].Name, bs[0].Name)
	}
	return pairs, nil
}

// Benchmarks are the benchmark functions a claim needs (Benchmark and its
// base name), as the results name them: what a round of extra runs runs.
func (res *Results) Benchmarks(c Claim) []string {
	var out []string
	for _, name := range []string{c.A, c.B} {
		for _, r := range res.claimRows(name) {
			if !slices.Contains(out, r.Base) {
				out = append(out, r.Base)
			}
		}
	}
	return out
}

// ClaimRuns are the fewest and most runs of any benchmark the claim
// compares, in its unit: the runs it is judged on. Both are 0 when it
// cannot be judged (a benchmark or unit the results lack).
func (res *Results) ClaimRuns(c Claim) (fewest, most int) {
	ui, err := res.claimUnit(c)
	if err != nil {
		return 0, 0
	}
	pairs, err := res.claimPairs(c)
	if err != nil {
		return 0, 0
	}
	fewest = math.MaxInt
	for _, p := range pairs {
		for _, r := range p {
			if cell := r.Cells[ui]; cell != nil {
				fewest = min(fewest, len(cell.Sample.Values))
				most = max(most, len(cell.Sample.Values))
			}
		}
	}
	if most == 0 {
		return 0, 0
	}
	return fewest, most
}

// judgePair judges the claim on one configuration of the m it covers.
func (res *Results) judgePair(c Claim, ui int, a, b *Row, m int) (Verdict, error) {
	u := res.Units[ui]
	ca, cb := a.Cells[ui], b.Cells[ui]
	if err := c.checkCells(u, a, b, ca, cb); err != nil {
		return Verdict{}, err
	}
	// Each look's share of the false-alarm rate; refuting, which any one
	// configuration may do, shares it again among them.
	holdAlpha := ClaimAlpha / MaxLooks
	refuteAlpha := holdAlpha / float64(m)
	cmp := u.Assume.Compare(cb.Sample, ca.Sample)
	ratio := centerRatio(ca.Summary.Center, cb.Summary.Center)
	// The ratio's interval at the refuting level: refuting by interval is
	// the verdict a wrong interval would make falsely.
	lo, hi, haveCI := math.Inf(-1), math.Inf(1), false
	conf := 1 - refuteAlpha/2
	sa, sb := u.Assume.Summary(ca.Sample, conf), u.Assume.Summary(cb.Sample, conf)
	if finite(sa.Lo, sa.Hi, sb.Lo, sb.Hi) && sb.Lo > 0 && sa.Lo >= 0 {
		lo, hi, haveCI = sa.Lo/sb.Hi, sa.Hi/sb.Lo, true
	}
	fig := claimRatio(ratio) + "x"
	if haveCI {
		fig += fmt.Sprintf(" [%s, %s]", claimRatio(lo), claimRatio(hi))
	} else {
		fig += fmt.Sprintf(" (no interval: %d and %d runs)", len(ca.Sample.Values), len(cb.Sample.Values))
	}
	fig += fmt.Sprintf(", p=%.3f", cmp.P)
	if u.Name != "sec/op" || c.Unit != "" {
		fig += " (" + u.Name + ")"
	}
	v := Verdict{Figures: fig, Outcome: Inconclusive}
	k := c.Factor
	var meets, excluded bool // the median ratio meets the bound; the interval lies beyond it
	var otherWay bool        // the difference goes against the claimed direction
	switch c.Op {
	case "~":
		switch {
		case cmp.P <= refuteAlpha:
			v.Outcome = Refuted
		case cmp.P > holdAlpha:
			v.Outcome = Holds
		}
		return v, nil
	case "<":
		meets, excluded, otherWay = ratio < k, lo >= k, ratio > 1
	case "<=":
		meets, excluded, otherWay = ratio <= k, lo > k, ratio > 1
	case ">":
		meets, excluded, otherWay = ratio > k, hi <= k, ratio < 1
	case ">=":
		meets, excluded, otherWay = ratio >= k, hi < k, ratio < 1
	}
	switch {
	case math.IsNaN(ratio):
	case haveCI && excluded,
		c.needsSignificance() && otherWay && cmp.P <= refuteAlpha:
		v.Outcome = Refuted
	case meets && (!c.needsSignificance() || cmp.P <= holdAlpha):
		v.Outcome = Holds
	}
	return v, nil
}

// checkCells refuses a claim on a unit one of the two rows did not
// report, and a claim of no difference with too few runs to support it.
func (c Claim) checkCells(u Unit, a, b *Row, ca, cb *Cell) error {
	pairs := []struct {
		row  *Row
		cell *Cell
	}{{a, ca}, {b, cb}}
	for _, x := range pairs {
		if x.cell == nil {
			return fmt.Errorf("claim %q: %s did not report %s", c.Text, x.row.Name, u.Name)
		}
	}
	if c.Op == "~" {
		for _, x := range pairs {
			if n := len(x.cell.Sample.Values); n < MinRuns {
				return fmt.Errorf("claim %q: %s has %s; claiming no difference needs at least %d runs of each (raise count= in the fence)", c.Text, x.row.Name, Runs(n), MinRuns)
			}
		}
	}
	return nil
}

// centerRatio is cur/old, 1 when they are equal, and +Inf (or -Inf) for
// more of something old measured none of (B/op against 0 B/op).
func centerRatio(cur, old float64) float64 {
	switch {
	case old == cur:
		return 1
	case old != 0:
		return cur / old
	}
	return math.Copysign(math.Inf(1), cur)
}

func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return false
		}
	}
	return true
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

// Error is how a build reports a refuted claim, after the position:
// claim "Sharded <= 0.3x Mutex" is refuted by these runs: 0.41x [0.38,
// 0.44], p=0.002.
func (v Verdict) Error(c Claim) string {
	return fmt.Sprintf("claim %q is refuted by these runs%s: %s", c.Text, v.where(), v.Figures)
}

// Warning is how a build reports a claim still inconclusive after the
// extra runs it was given (rounds of them), after the position.
func (v Verdict) Warning(c Claim, rounds int) string {
	extra := "no extra runs"
	switch rounds {
	case 0:
	case 1:
		extra = "1 round of extra runs"
	default:
		extra = fmt.Sprintf("%d rounds of extra runs", rounds)
	}
	return fmt.Sprintf("claim %q is inconclusive: these runs cannot tell%s (%s after %s)", c.Text, v.where(), v.Figures, extra)
}

func (v Verdict) where() string {
	if v.Where != "" {
		return " for " + v.Where
	}
	return ""
}
