package benchstats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// benchText writes canned `go test -bench` output: for each benchmark
// name (as printed, GOMAXPROCS suffix included) its ns/op, one line per
// run, runs interleaved as -count does.
func benchText(series map[string][]float64, order ...string) string {
	var b strings.Builder
	b.WriteString("goos: linux\ngoarch: amd64\npkg: example\ncpu: Test CPU @ 2.00GHz\n")
	for i := 0; ; i++ {
		any := false
		for _, name := range order {
			if vs := series[name]; i < len(vs) {
				any = true
				fmt.Fprintf(&b, "Benchmark%s \t 1000000\t %g ns/op\t %d B/op\t 1 allocs/op\n", name, vs[i], 16*(len(name)%3))
			}
		}
		if !any {
			break
		}
	}
	b.WriteString("PASS\n")
	return b.String()
}

var (
	mutex   = []float64{100, 101, 99, 102, 100, 98}
	sharded = []float64{30, 31, 29, 30, 32, 30}
	atomic  = []float64{99, 103, 98, 101, 100, 104}
)

func TestJudge(t *testing.T) {
	six := benchText(map[string][]float64{"Mutex": mutex, "Sharded": sharded, "Atomic": atomic}, "Mutex", "Sharded", "Atomic")
	three := benchText(map[string][]float64{"Mutex": mutex[:3], "Sharded": sharded[:3]}, "Mutex", "Sharded")
	procs := benchText(map[string][]float64{
		"Mutex": mutex, "Sharded": sharded,
		"Mutex-4": {50, 51, 49, 50, 52, 50}, "Sharded-4": {51, 49, 50, 52, 50, 48},
	}, "Mutex", "Sharded", "Mutex-4", "Sharded-4")
	subs := benchText(map[string][]float64{
		"Mutex/n=8-2": mutex, "Sharded/n=8-2": sharded, "Mutex/n=64-2": mutex, "Sharded/n=64-2": {90, 91, 89, 90, 92, 90},
	}, "Mutex/n=8-2", "Sharded/n=8-2", "Mutex/n=64-2", "Sharded/n=64-2")
	twelve := benchText(map[string][]float64{
		"Mutex":   append(append([]float64(nil), mutex...), mutex...),
		"Sharded": append(append([]float64(nil), sharded...), sharded...),
		"Atomic":  append(append([]float64(nil), atomic...), atomic...),
	}, "Mutex", "Sharded", "Atomic")
	tests := []struct {
		raw, claim string
		want       Outcome // "" for a claim that cannot be judged
		msg        string  // the refutation, the warning (after 2 rounds) or the error
	}{
		// Differences that hold: significant, in the claimed direction.
		{six, "Sharded < Mutex", Holds, ""},
		{six, "Sharded <= 0.3x Mutex", Holds, ""},
		{six, "BenchmarkSharded<0.5x BenchmarkMutex", Holds, ""},
		{six, "Mutex > 3x Sharded", Holds, ""},
		{six, "Mutex >= 3× Sharded", Holds, ""},
		{six, "Atomic ~ Mutex", Holds, ""},
		// A bound that does not exclude 1 needs no significance.
		{six, "Atomic <= 1.1x Mutex", Holds, ""},
		{six, "Atomic >= 0.9x Mutex", Holds, ""},
		// Significant the other way: refuted, in the build's exact words.
		{six, "Mutex < Sharded", Refuted, `claim "Mutex < Sharded" is refuted by these runs: 3.33x (no interval: 6 and 6 runs), p=0.002`},
		{six, "Sharded ~ Mutex", Refuted, `claim "Sharded ~ Mutex" is refuted by these runs: 0.30x (no interval: 6 and 6 runs), p=0.002`},
		// Beyond the bound, but six runs give no interval at the claim's
		// level: inconclusive, until more runs give one that excludes it.
		{six, "Sharded <= 0.25x Mutex", Inconclusive, `claim "Sharded <= 0.25x Mutex" is inconclusive: these runs cannot tell (0.30x (no interval: 6 and 6 runs), p=0.002 after 2 rounds of extra runs)`},
		{twelve, "Sharded <= 0.25x Mutex", Refuted, `claim "Sharded <= 0.25x Mutex" is refuted by these runs: 0.30x [0.28, 0.33], p=0.000`},
		{twelve, "Mutex <= 2x Atomic", Holds, ""},
		{twelve, "Mutex >= 1.5x Atomic", Refuted, `claim "Mutex >= 1.5x Atomic" is refuted by these runs: 1.00x [0.94, 1.04], p=0.438`},
		// Not significant: the runs cannot tell a difference, whatever the medians.
		{six, "Mutex < Atomic", Inconclusive, `claim "Mutex < Atomic" is inconclusive: these runs cannot tell (1.00x (no interval: 6 and 6 runs), p=0.634 after 2 rounds of extra runs)`},
		{six, "Atomic <= 0.99x Mutex", Inconclusive, ""},
		{twelve, "Mutex < Atomic", Inconclusive, ""},
		// Equal in every run: the interval excludes "less".
		{six, "Sharded < Mutex allocs/op", Inconclusive, ""},
		{twelve, "Sharded < Mutex allocs/op", Refuted, `claim "Sharded < Mutex allocs/op" is refuted by these runs: 1.00x [1.00, 1.00], p=1.000 (allocs/op)`},
		{six, "Sharded < Mutex MB/s", "", `claim "Sharded < Mutex MB/s": the results have no unit MB/s (they have sec/op, B/op, allocs/op)`},
		// Against none of something: B/op against 0 B/op.
		{six, "Sharded > Atomic B/op", Holds, ""},
		{six, "Atomic < Sharded B/op", Holds, ""},
		{six, "Sharded < Atomic B/op", Refuted, `claim "Sharded < Atomic B/op" is refuted by these runs: ∞x (no interval: 6 and 6 runs), p=0.002 (B/op)`},
		// Too few runs: no significance is possible, and no-difference cannot be claimed.
		{three, "Sharded < Mutex", Inconclusive, ""},
		{three, "Sharded ~ Mutex", "", `claim "Sharded ~ Mutex": Sharded has 3 runs; claiming no difference needs at least 6 runs of each (raise count= in the fence)`},
		// Several configurations: the claim must hold in each.
		{procs, "Sharded < Mutex", Inconclusive, `claim "Sharded < Mutex" is inconclusive: these runs cannot tell for Sharded-4 against Mutex-4 (1.00x (no interval: 6 and 6 runs), p=0.801 after 2 rounds of extra runs)`},
		{procs, "Sharded-4 ~ Mutex-4", Holds, ""},
		{subs, "Sharded < Mutex", Holds, ""},
		{subs, "Sharded <= 0.5x Mutex", Inconclusive, ""},
		{subs, "Sharded/n=8 <= 0.5x Mutex/n=8", Holds, ""},
		// Two named series are compared at each GOMAXPROCS, whatever their configurations.
		{subs, "Sharded/n=8 < Mutex/n=64", Holds, ""},
		{subs, "Sharded/n=8 < Mutex", "", `claim "Sharded/n=8 < Mutex": Sharded/n=8 and Mutex never ran in the same configuration (sub-benchmark and GOMAXPROCS): name one of each, e.g. Sharded/n=8-2 against Mutex/n=8-2`},
		// Names the results do not have.
		{six, "Sharded < Spinlock", "", `claim "Sharded < Spinlock": the results have no benchmark Spinlock (they have Mutex, Sharded, Atomic)`},
	}
	for _, tt := range tests {
		t.Run(tt.claim, func(t *testing.T) {
			res, err := Analyse(tt.raw, "")
			if err != nil {
				t.Fatal(err)
			}
			c, err := ParseClaim(tt.claim)
			if err != nil {
				t.Fatal(err)
			}
			v, err := res.Judge(c)
			var msg string
			switch {
			case err != nil:
				msg = err.Error()
				if tt.want != "" {
					t.Fatalf("cannot be judged: %v", err)
				}
			case v.Outcome != tt.want:
				t.Fatalf("%s (%s), want %s", v.Outcome, v.Figures, tt.want)
			case v.Outcome == Refuted:
				msg = v.Error(c)
			case v.Outcome == Inconclusive:
				msg = v.Warning(c, 2)
			}
			if tt.msg != "" && msg != tt.msg {
				t.Errorf("got  %s\nwant %s", msg, tt.msg)
			}
		})
	}
}

// TestBenchmarks checks what a round of extra runs runs for a claim: the
// base names of both sides, whatever the claim narrowed.
func TestBenchmarks(t *testing.T) {
	subs := benchText(map[string][]float64{"Mutex/n=8-2": mutex, "Sharded/n=8-2": sharded, "Atomic/n=8-2": atomic},
		"Mutex/n=8-2", "Sharded/n=8-2", "Atomic/n=8-2")
	res, err := Analyse(subs, "")
	if err != nil {
		t.Fatal(err)
	}
	c, _ := ParseClaim("Sharded/n=8 < Mutex/n=8-2")
	if got := strings.Join(res.Benchmarks(c), " "); got != "Sharded Mutex" {
		t.Errorf("Benchmarks = %s, want Sharded Mutex", got)
	}
}

// TestClaimRuns: the runs a claim is judged on are those of the rows it
// compares, in its unit, however many the block's other benchmarks have.
func TestClaimRuns(t *testing.T) {
	res, err := Analyse(benchText(map[string][]float64{"Mutex": append(mutex, mutex[:3]...), "Sharded": append(sharded, sharded...), "Atomic": atomic[:3]},
		"Mutex", "Sharded", "Atomic"), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		claim        string
		fewest, most int
	}{
		{"Sharded < Mutex", 9, 12},
		{"Sharded < Mutex B/op", 9, 12},
		{"Atomic ~ Mutex", 3, 9},
		{"Sharded < Spin", 0, 0},
		{"Sharded < Mutex MB/s", 0, 0},
	} {
		c, err := ParseClaim(tt.claim)
		if err != nil {
			t.Fatal(err)
		}
		if fewest, most := res.ClaimRuns(c); fewest != tt.fewest || most != tt.most {
			t.Errorf("ClaimRuns(%s) = %d, %d, want %d, %d", tt.claim, fewest, most, tt.fewest, tt.most)
		}
	}
}

func TestParseClaims(t *testing.T) {
	tests := []struct {
		in   string
		want string // the claims as A|OP|K|B|UNIT, or the error
	}{
		{"Sharded < Mutex", "Sharded|<|1|Mutex|"},
		{"  Sharded<Mutex ", "Sharded|<|1|Mutex|"},
		{"Sharded <= 0.3x Mutex", "Sharded|<=|0.3|Mutex|"},
		{"Sharded <= .3x Mutex", "Sharded|<=|0.3|Mutex|"},
		{"Mutex >= 4× Sharded", "Mutex|>=|4|Sharded|"},
		{"A ~ B", "A|~|1|B|"},
		{"BenchmarkA > BenchmarkB B/op", "A|>|1|B|B/op"},
		{"Keys/parts=8-2 < Sprintf/parts=8-2", "Keys/parts=8-2|<|1|Sprintf/parts=8-2|"},
		{"A < B; A <= 0.5x B;", "A|<|1|B| A|<=|0.5|B|"},
		{"", `no claim: write e.g. claim="Sharded < Mutex" (several separated by ;)`},
		{" ; ", `no claim: write e.g. claim="Sharded < Mutex" (several separated by ;)`},
		{"A", `claim "A": want <, <=, >, >= or ~ after A (write e.g. "Sharded < Mutex", "Sharded <= 0.3x Mutex" or "A ~ B")`},
		{"< B", `claim "< B": no benchmark before < (write e.g. "Sharded < Mutex", "Sharded <= 0.3x Mutex" or "A ~ B")`},
		{"A <", `claim "A <": no benchmark after < (write e.g. "Sharded < Mutex", "Sharded <= 0.3x Mutex" or "A ~ B")`},
		{"A < B < C", `claim "A < B < C": one comparison per claim: separate claims with ; (write e.g. "Sharded < Mutex", "Sharded <= 0.3x Mutex" or "A ~ B")`},
		{"A ~ 2x B", `claim "A ~ 2x B": ~ takes no factor: it claims no significant difference (write e.g. "Sharded < Mutex", "Sharded <= 0.3x Mutex" or "A ~ B")`},
		{"A < A", `claim "A < A": compares A with itself (write e.g. "Sharded < Mutex", "Sharded <= 0.3x Mutex" or "A ~ B")`},
		{"A < B sec/op extra", `claim "A < B sec/op extra": unexpected "extra" (write e.g. "Sharded < Mutex", "Sharded <= 0.3x Mutex" or "A ~ B")`},
		{"0.3x < B", `claim "0.3x < B": the factor goes before the second benchmark: A <= 0.3x B (write e.g. "Sharded < Mutex", "Sharded <= 0.3x Mutex" or "A ~ B")`},
		{"A <= -1x B", `claim "A <= -1x B": factor -1x: want a positive number followed by x, e.g. 0.3x (write e.g. "Sharded < Mutex", "Sharded <= 0.3x Mutex" or "A ~ B")`},
		{"A <= 0x B", `claim "A <= 0x B": factor 0x: want a positive number followed by x, e.g. 0.3x (write e.g. "Sharded < Mutex", "Sharded <= 0.3x Mutex" or "A ~ B")`},
		{"A <= Infx B", "A|<=|1|Infx|B"}, // a benchmark Infx and a unit B, which judging refuses
		{"A => B", `claim "A => B": want <, <=, >, >= or ~ after A (write e.g. "Sharded < Mutex", "Sharded <= 0.3x Mutex" or "A ~ B")`},
	}
	for _, tt := range tests {
		cs, err := ParseClaims(tt.in)
		var got string
		if err != nil {
			got = err.Error()
		} else {
			var parts []string
			for _, c := range cs {
				parts = append(parts, fmt.Sprintf("%s|%s|%g|%s|%s", c.A, c.Op, c.Factor, c.B, c.Unit))
			}
			got = strings.Join(parts, " ")
		}
		if got != tt.want {
			t.Errorf("ParseClaims(%q)\n got %s\nwant %s", tt.in, got, tt.want)
		}
	}
}

// FuzzParseClaims: claims are author input. Whatever is written, parsing
// returns claims or an error, never panics; a parsed claim is well formed
// and parses again to itself from its own text.
func FuzzParseClaims(f *testing.F) {
	for _, s := range []string{"Sharded < Mutex", "Sharded <= 0.3x Mutex; A ~ B", "A>=2×B allocs/op", "<<=~", "A < 1e9x B", ";;", "A ~ B ~ C"} {
		f.Add(s)
	}
	res, err := Analyse(benchText(map[string][]float64{"A": mutex, "B": sharded}, "A", "B"), "")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cs, err := ParseClaims(s)
		if err != nil {
			return
		}
		for _, c := range cs {
			if c.A == "" || c.B == "" || c.A == c.B || !isOp(c.Op) || !(c.Factor > 0) {
				t.Fatalf("ParseClaims(%q) gave a malformed claim %+v", s, c)
			}
			again, err := ParseClaim(c.Text)
			if err != nil || again != c {
				t.Fatalf("claim %+v reparses from %q as %+v, %v", c, c.Text, again, err)
			}
			res.Judge(c) // any claim is judged or refused, never a panic
		}
	})
}

// TestClaimFalseAlarms simulates what a build does with a claim between two
// benchmarks that do not differ: judge it on 6 runs of each, and while it
// is inconclusive add 6 more and judge again, up to MaxLooks looks. The
// share of such claims that come out other than inconclusive (held or
// refuted, both false alarms here) must stay within ClaimAlpha, the bound
// the level of each look is chosen for. The noise is drawn from a fixed
// seed, so the test is deterministic.
func TestClaimFalseAlarms(t *testing.T) {
	rng := rand.New(rand.NewPCG(29, 1))
	noise := func() float64 { return 100 * math.Exp(0.1*rng.NormFloat64()) }
	const trials = 400
	for _, claim := range []string{"A < B", "A > B", "A <= 0.99x B"} {
		c, err := ParseClaim(claim)
		if err != nil {
			t.Fatal(err)
		}
		alarms := 0
		for range trials {
			var a, b []float64
			for look := 1; look <= MaxLooks; look++ {
				for range 6 {
					a, b = append(a, noise()), append(b, noise())
				}
				res, err := Analyse(benchText(map[string][]float64{"A": a, "B": b}, "A", "B"), "")
				if err != nil {
					t.Fatal(err)
				}
				v, err := res.Judge(c)
				if err != nil {
					t.Fatal(err)
				}
				if v.Outcome != Inconclusive {
					alarms++
					break
				}
			}
		}
		rate := float64(alarms) / trials
		t.Logf("%s between identical benchmarks: %d of %d decided (%.1f%%)", claim, alarms, trials, 100*rate)
		if rate > ClaimAlpha {
			t.Errorf("%s: false-alarm rate %.1f%% over %d looks, above the %.0f%% bound", claim, 100*rate, MaxLooks, 100*ClaimAlpha)
		}
	}
}
