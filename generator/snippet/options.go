package snippet

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/benchpress/benchpress/internal/benchstats"
	"github.com/benchpress/benchpress/internal/plot"
	"github.com/benchpress/benchpress/playground"
)

// Options are the key=value words of a live fence's info string.
type Options struct {
	Name      string
	File      string
	Args      []string
	Stdin     string
	Timeout   time.Duration
	Expect    string // "", "fail", "compile-error"
	Hide      string // "", "source", "output"
	Count     int
	CPU       []int
	Benchtime string
	Baseline  string
	Uses      string
	Plot      *plot.Spec // plot=: the output is data, drawn as a chart
	// Grid is params= and default=: the block runs once per combination
	// (explore.go). FreeAxes (axes=free) lets each state's plot scale to
	// its own data instead of the range of all of them.
	Grid     *Grid
	FreeAxes bool

	// Checks of the results, judged whenever the page is built (cached and
	// --frozen results too). They are not part of the Program, so they
	// never change a result's key in the store.
	Claims       []benchstats.Claim // go bench: claim="A < B; ..."
	ExpectOutput string             // go run: a file next to the post the output must equal
	ExpectMatch  *regexp.Regexp     // go run: a pattern the output must match
}

// optionsFrom validates a live fence's options.
func optionsFrom(fi FenceInfo) (Options, error) {
	var o Options
	verb := verbNamed(fi.Verb)
	if verb == nil {
		return o, fmt.Errorf("%q is not a live verb", fi.Verb)
	}
	allowed := verb.Keys
	keys := make([]string, 0, len(fi.Opts))
	for k := range fi.Opts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := fi.Opts[k]
		if !slices.Contains(allowed, k) && k != "hl_lines" {
			return o, fmt.Errorf("unknown option %q for go %s (known: %s)", k, fi.Verb, strings.Join(allowed, ", "))
		}
		var err error
		switch k {
		case "name", "uses":
			if !nameRE.MatchString(v) {
				return o, fmt.Errorf("%s=%q: use letters, digits, - and _", k, v)
			}
			if k == "name" {
				o.Name = v
			} else {
				o.Uses = v
			}
		case "file":
			o.File = v
		case "args":
			o.Args, err = splitWords(v)
		case "stdin":
			o.Stdin = v
		case "timeout":
			o.Timeout, err = time.ParseDuration(v)
			if err == nil {
				err = playground.CheckTimeout(o.Timeout)
			}
		case "expect":
			if v != "fail" && v != "compile-error" {
				err = fmt.Errorf("use expect=fail or expect=compile-error")
			}
			o.Expect = v
		case "hide":
			if v != "source" && v != "output" {
				err = fmt.Errorf("use hide=source or hide=output")
			}
			o.Hide = v
		case "count":
			o.Count, err = strconv.Atoi(v)
			if err == nil && (o.Count < 1 || o.Count > 100) {
				err = fmt.Errorf("must be between 1 and 100")
			}
		case "cpu":
			for _, c := range strings.Split(v, ",") {
				n, e := strconv.Atoi(c)
				if e != nil || n < 1 {
					err = fmt.Errorf("write a list of GOMAXPROCS values, e.g. cpu=1,2,4")
					break
				}
				o.CPU = append(o.CPU, n)
			}
		case "benchtime":
			if !benchtimeRE.MatchString(v) {
				err = fmt.Errorf("write a duration (100ms) or an iteration count (1000x)")
			}
			o.Benchtime = v
		case "baseline":
			o.Baseline = strings.TrimPrefix(v, "Benchmark")
		case "claim":
			o.Claims, err = benchstats.ParseClaims(v)
			if err != nil {
				return o, err
			}
		case "expect-output":
			if v == "" {
				err = fmt.Errorf("name a file next to the post that holds the expected output")
			}
			o.ExpectOutput = v
		case "axes":
			if v != "fixed" && v != "free" {
				err = fmt.Errorf("use axes=free to let each state's plot scale to its own data (axes=fixed, the default, keeps one range for all)")
			}
			o.FreeAxes = v == "free"
		case "expect-match":
			if _, err = regexp.Compile(v); err == nil {
				o.ExpectMatch, err = regexp.Compile("(?m)" + v)
			}
			if err != nil {
				err = fmt.Errorf("not a regular expression: %v", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
			}
		}
		if err != nil {
			return o, fmt.Errorf("%s=%s: %v", k, v, err)
		}
	}
	return o, plotOptions(fi, &o)
}

var (
	nameRE      = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	benchtimeRE = regexp.MustCompile(`^(\d+x|\d+(\.\d+)?(ns|us|µs|ms|s|m))$`)
)
