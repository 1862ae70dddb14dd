package playground

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Measure names how benchmarks are measured, in the key of every benchmark
// result: results measured another way are rerun, not mixed with these.
const Measure = "interleaved"

// executeBench runs a benchmark block as Count passes of the test binary,
// each with -test.count=1: every benchmark of the block runs once per pass,
// A B C A B C ..., so a change in the machine's load (another process
// starting, a CPU's clock dropping) falls on all of them alike instead of
// on the ones that happened to run while it lasted, where it would read
// as a difference between them. The passes share the block's limits: the
// wall-clock limit and the output cap are budgets for all of them
// together. The output reads as one run with -test.count=Count would,
// with the file's configuration lines once and one PASS at the end.
// The machine's load over the passes goes into the stamp.
func (r *Runner) executeBench(ctx context.Context, t *task) (Result, error) {
	p := t.prog
	b := benchDefaults(p.Bench)
	argv := []string{"bench.test", "-test.run=^$", "-test.bench=" + b.Filter, "-test.benchmem", "-test.count=1"}
	if len(b.CPU) > 0 {
		cpus := make([]string, len(b.CPU))
		for i, c := range b.CPU {
			cpus[i] = strconv.Itoa(c)
		}
		argv = append(argv, "-test.cpu="+strings.Join(cpus, ","))
	}
	if b.Benchtime != "" {
		argv = append(argv, "-test.benchtime="+b.Benchtime)
	}
	argv = append(argv, p.Args...)

	lim := r.limitsFor(p)
	stopLoad := startLoad()
	start := time.Now()
	var res Result
	var out int64
	for pass := 0; pass < b.Count; pass++ {
		passLim := lim
		passLim.Timeout = lim.Timeout - time.Since(start)
		passLim.Output = lim.Output - out
		if passLim.Timeout <= 0 {
			res.Status, res.ExitCode = StatusTimeout, -1
			break
		}
		pr, err := r.executeOnce(ctx, t, argv, passLim)
		if err != nil {
			stopLoad()
			return pr, err
		}
		for _, e := range pr.Events {
			out += int64(len(e.Data))
		}
		last := pass == b.Count-1 || pr.Status != StatusOK
		res.Events = append(res.Events, passEvents(pr.Events, pass == 0, last)...)
		res.Status, res.ExitCode, res.Truncated = pr.Status, pr.ExitCode, pr.Truncated
		if pr.Status != StatusOK {
			break
		}
	}
	res.Duration = time.Since(start)
	res.Limits = lim
	// The batch's package path is not the program's business.
	for i := range res.Events {
		res.Events[i].Data = benchPkgLine.ReplaceAllString(res.Events[i].Data, "pkg: snippet")
	}
	res.Env = currentEnv()
	res.Env.GoVersion = r.goVersion()
	res.Env.Load = stopLoad()
	return res, nil
}

// benchHeader matches the configuration lines a test binary prints before
// its first result, and benchPass the PASS it ends with.
var (
	benchHeader = regexp.MustCompile(`^(goos|goarch|pkg|cpu): `)
	benchPass   = regexp.MustCompile(`^PASS$`)
)

// passEvents is one pass's output as a part of the whole: the
// configuration lines only in the first pass, PASS only in the last. A
// pass's standard output is one event (the stream's lines must be whole to
// be filtered); its standard error keeps its events.
func passEvents(evs []Event, first, last bool) []Event {
	var out []Event
	var stdout strings.Builder
	var delay time.Duration
	for _, e := range evs {
		if e.Stream != Stdout {
			out = append(out, e)
			continue
		}
		if stdout.Len() == 0 {
			delay = e.Delay
		}
		stdout.WriteString(e.Data)
	}
	var kept strings.Builder
	for _, line := range strings.SplitAfter(stdout.String(), "\n") {
		l := strings.TrimSuffix(line, "\n")
		if !first && benchHeader.MatchString(l) || !last && benchPass.MatchString(l) {
			continue
		}
		kept.WriteString(line)
	}
	if kept.Len() > 0 {
		out = append([]Event{{Stream: Stdout, Data: kept.String(), Delay: delay}}, out...)
	}
	return out
}

var benchPkgLine = regexp.MustCompile(`(?m)^pkg: snippet/p\d+$`)
