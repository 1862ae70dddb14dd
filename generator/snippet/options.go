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
		set := optionSetters[k]
		if set == nil {
			continue
		}
		if err := set(&o, v); err != nil {
			if whole, ok := err.(optionError); ok {
				return o, whole.error
			}
			return o, fmt.Errorf("%s=%s: %v", k, v, err)
		}
	}
	if o.Expect == "compile-error" && o.Hide == "output" {
		return o, fmt.Errorf("expect=compile-error with hide=output: the compiler's errors are the block's only output, and the page would show none; leave out hide=output")
	}
	return o, plotOptions(fi, &o)
}

// optionError is a setter's error that already names its option, reported
// as it is rather than after KEY=VALUE.
type optionError struct{ error }

// optionSetters check an option's value and keep it in Options, by key.
// The options not here are read elsewhere: linenos and hl by
// ParseFenceInfo, plot's by plotOptions, params=, default= and axes= by
// paramOptions (axes= is also checked here, where every value is). A
// setter's error is reported as KEY=VALUE: ERROR unless it is an
// optionError.
var optionSetters = map[string]func(o *Options, v string) error{
	"name": func(o *Options, v string) (err error) {
		o.Name, err = checkName("name", v)
		return err
	},
	"uses": func(o *Options, v string) (err error) {
		o.Uses, err = checkName("uses", v)
		return err
	},
	"file":  func(o *Options, v string) error { o.File = v; return nil },
	"stdin": func(o *Options, v string) error { o.Stdin = v; return nil },
	"args": func(o *Options, v string) (err error) {
		o.Args, err = splitWords(v)
		return err
	},
	"timeout": func(o *Options, v string) (err error) {
		if o.Timeout, err = time.ParseDuration(v); err != nil {
			return fmt.Errorf("not a duration: write e.g. timeout=30s (units ms, s, m, h)")
		}
		return playground.CheckTimeout(o.Timeout)
	},
	"expect": func(o *Options, v string) error {
		o.Expect = v
		if v != "fail" && v != "compile-error" {
			return fmt.Errorf("use expect=fail or expect=compile-error")
		}
		return nil
	},
	"hide": func(o *Options, v string) error {
		o.Hide = v
		if v != "source" && v != "output" {
			return fmt.Errorf("use hide=source or hide=output")
		}
		return nil
	},
	"count": func(o *Options, v string) (err error) {
		if o.Count, err = strconv.Atoi(v); err != nil {
			return fmt.Errorf("must be a whole number between 1 and 100, e.g. count=6")
		}
		if o.Count < 1 || o.Count > 100 {
			return fmt.Errorf("must be between 1 and 100")
		}
		return nil
	},
	"cpu": func(o *Options, v string) error {
		for _, c := range strings.Split(v, ",") {
			n, err := strconv.Atoi(c)
			if err != nil || n < 1 {
				return fmt.Errorf("write a list of GOMAXPROCS values, e.g. cpu=1,2,4")
			}
			o.CPU = append(o.CPU, n)
		}
		return nil
	},
	"benchtime": func(o *Options, v string) error {
		o.Benchtime = v
		if !benchtimeRE.MatchString(v) {
			return fmt.Errorf("write a duration (100ms) or an iteration count (1000x)")
		}
		return nil
	},
	"baseline": func(o *Options, v string) error {
		o.Baseline = strings.TrimPrefix(v, "Benchmark")
		return nil
	},
	"claim": func(o *Options, v string) (err error) {
		if o.Claims, err = benchstats.ParseClaims(v); err != nil {
			return optionError{err} // it quotes the claim
		}
		return nil
	},
	"expect-output": func(o *Options, v string) error {
		o.ExpectOutput = v
		if v == "" {
			return fmt.Errorf("name a file next to the post that holds the expected output")
		}
		return nil
	},
	"expect-match": func(o *Options, v string) error {
		_, err := regexp.Compile(v)
		if err == nil {
			o.ExpectMatch, err = regexp.Compile("(?m)" + v)
		}
		if err != nil {
			return fmt.Errorf("not a regular expression: %v", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		}
		return nil
	},
	// linenos and hl are read by ParseFenceInfo, which shows a plain fence
	// whatever they hold; a live fence is strict, so a value it would
	// ignore (linenos=yes left line numbers off) is an error.
	"linenos": func(o *Options, v string) error {
		switch v {
		case "", "true", "false", "table", "inline":
			return nil
		}
		return fmt.Errorf("write linenos (or linenos=true) for line numbers, or leave it out")
	},
	"hl":       checkHighlight,
	"hl_lines": checkHighlight,
	"axes": func(o *Options, v string) error {
		o.FreeAxes = v == "free"
		if v != "fixed" && v != "free" {
			return fmt.Errorf("use axes=free to let each state's plot scale to its own data (axes=fixed, the default, keeps one range for all)")
		}
		return nil
	},
}

// checkHighlight refuses hl= ranges that highlight nothing: a line 0, or
// a range whose end comes before its start (hl=5-2). ParseFenceInfo has
// refused what is not a number already.
func checkHighlight(o *Options, v string) error {
	r, err := parseRanges(strings.Trim(v, "[]\""))
	if err != nil {
		return err
	}
	for _, lr := range r {
		if lr[0] < 1 || lr[1] < lr[0] {
			return fmt.Errorf("lines are numbered from 1 and a range runs from its first line to its last (write e.g. hl=2-4,7)")
		}
	}
	return nil
}

// checkName is the value of a name= or uses=, refused ("" and an error)
// when it is not a plain word.
func checkName(key, v string) (string, error) {
	if !nameRE.MatchString(v) {
		return "", optionError{fmt.Errorf("%s=%q: use letters, digits, - and _", key, v)}
	}
	return v, nil
}

var (
	nameRE      = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	benchtimeRE = regexp.MustCompile(`^(\d+x|\d+(\.\d+)?(ns|us|µs|ms|s|m))$`)
)

// BenchOptions checks the values of a go bench fence's count=, cpu= and
// benchtime= (keys of opts; a key left out keeps go test's default) with
// the fence's own rules, and returns them as the playground takes them:
// benchpress run --bench takes the same values as a fence, and is refused
// what a fence would be.
func BenchOptions(opts map[string]string) (playground.BenchOptions, error) {
	var o Options
	for _, k := range []string{"count", "cpu", "benchtime"} {
		v, ok := opts[k]
		if !ok {
			continue
		}
		if err := optionSetters[k](&o, v); err != nil {
			return playground.BenchOptions{}, fmt.Errorf("%s=%s: %v", k, v, err)
		}
	}
	return playground.BenchOptions{Count: o.Count, CPU: o.CPU, Benchtime: o.Benchtime}, nil
}
