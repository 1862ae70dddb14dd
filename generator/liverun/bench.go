package liverun

// A go bench block's report: the statistics are internal/benchstats's and
// the HTML internal/benchreport's; this file describes the block to them,
// warns of noisy rows and a busy machine, and finds where a benchmark is
// declared, for those warnings.

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/benchpress/benchpress/generator/diag"
	"github.com/benchpress/benchpress/generator/snippet"
	"github.com/benchpress/benchpress/internal/benchreport"
	"github.com/benchpress/benchpress/internal/benchstats"
	"github.com/benchpress/benchpress/playground"
)

// analyseBench reads a bench block's raw output. noise is the widest
// interval (a fraction of the median: 0.1 for ±10%) a time measurement may
// have before the report calls it noisy. An error is the author's to fix
// (no results, an unknown baseline); the caller reports it at the fence.
func analyseBench(sn *snippet.Snippet, noise float64) (*benchstats.Results, error) {
	res, err := benchstats.Analyse(sn.Result.Stdout(), sn.Opts.Baseline)
	if err != nil {
		return nil, err
	}
	res.Noise = noise
	return res, nil
}

// renderBenchReport writes a bench block's table, chart and environment
// stamp, the claims its runs could not confirm, and which runs the claims
// judged on extra runs rest on.
func renderBenchReport(res *benchstats.Results, sn *snippet.Snippet, unconfirmed []benchreport.Unconfirmed, pooled []benchreport.Pooled) template.HTML {
	blk := benchreport.Block{ID: sn.Anchor(), Benchtime: sn.Program.Bench.Benchtime, RawRef: sn.RawRef, Unconfirmed: unconfirmed, Pooled: pooled}
	if r := sn.Result; r != nil {
		blk.Env = benchreport.Env{GoVersion: r.Env.GoVersion, GOOS: r.Env.GOOS, GOARCH: r.Env.GOARCH, CPU: r.Env.CPU,
			Machine: r.Env.Machine, RanAt: r.Env.RanAt, Load: r.Env.Load.String(), Busy: r.Env.Load.Busy()}
	}
	return benchreport.Render(res, blk)
}

// benchLine is where a benchmark's function is declared in the site (the
// post's line for a fence body), for warnings; the fence's line when it
// cannot be found. name is as go test printed it: Sharded/parts=8-4.
func benchLine(sn *snippet.Snippet, name string) (string, int) {
	base := name
	if i := strings.IndexAny(base, "/"); i >= 0 {
		base = base[:i]
	} else if i := strings.LastIndexByte(base, '-'); i > 0 {
		if _, err := strconv.Atoi(base[i+1:]); err == nil {
			base = base[:i]
		}
	}
	decl := "func Benchmark" + base + "("
	for _, f := range sn.Program.Files {
		for i, l := range strings.Split(string(f.Data), "\n") {
			if strings.HasPrefix(l, decl) {
				return sn.Pos(playground.Diagnostic{File: f.Name, Line: i + 1})
			}
		}
	}
	return sn.File, sn.Line
}

// renderBench writes a benchmark block's report, with its verdicts: its
// refuted claims are errors, its inconclusive ones warnings the report
// repeats; it warns about noisy rows and a busy machine.
func (r *run) renderBench(b *benchBlock, errs *diag.List) {
	sn := b.sn
	sn.RawRef = sn.Anchor() + ".txt"
	unconfirmed, pooled := b.report(r, errs)
	for _, n := range b.res.NoisyRows() {
		file, line := benchLine(sn, n.Name)
		r.Warn(diag.Warning{File: file, Line: line, Stored: sn.Result.Cached,
			Msg: fmt.Sprintf("Benchmark%s is noisy (±%s): rerun on a quieter machine", n.Name, n.Spread)})
	}
	if l := sn.Result.Env.Load; l.Busy() {
		r.Warn(diag.Warning{File: sn.File, Line: sn.Line, Stored: sn.Result.Cached,
			Msg: fmt.Sprintf("the machine was busy while these benchmarks ran (%s; busy means others above %s of the CPUs or steal above %s): rerun on a quieter machine",
				l, benchstats.Pct(playground.BusyOthers), benchstats.Pct(playground.BusySteal))})
	}
	sn.Bench = string(renderBenchReport(b.res, sn, unconfirmed, pooled))
}
