// Package liverun is the build's run stage: it runs every program of a
// site's live blocks through a Runner (the playground, cached, in
// parallel) in one batch, gives each block its results, and checks them
// against what its fence expects. A bench block's runs are analysed, its
// claims judged (with rounds of extra runs where they are inconclusive,
// claims.go) and its report drawn (bench.go); a plot or an explorable
// block's states are drawn from its output.
//
// It knows snippets and the playground's programs, not markdown, pages or
// posts: what it is handed is a list of blocks, what it leaves is their
// results and HTML fragments, ready for the pipeline to render.
package liverun

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/benchpress/benchpress/generator/config"
	"github.com/benchpress/benchpress/generator/diag"
	"github.com/benchpress/benchpress/generator/snippet"
	"github.com/benchpress/benchpress/playground"
)

// A Runner runs programs; the playground's Runner is the real one, tests
// use fakes. results[i] and errs[i] belong to progs[i].
type Runner interface {
	RunAll(ctx context.Context, progs []playground.Program, progress func(playground.Progress)) ([]playground.Result, []error)
}

// Progress is one live block finished (run, or its result taken from the
// store), for a progress display: the count done so far, where the block
// is and how it ended.
type Progress struct {
	Done, Total int
	File        string // content/posts/x.md
	Line        int    // the opening fence
	Name        string // the block's name=, if it has one
	// Result is the block's result (Cached: from the store), or nil when
	// Err is set (an infrastructure fault, or another shard runs it).
	Result *playground.Result
	Err    error
}

// Options configure a run.
type Options struct {
	Runner Runner // nil: a site with live blocks cannot build
	// Local, in a --shard build (whose Runner runs only its shard's part
	// of what must run), runs every program it is given: the rounds of
	// extra runs of the bench blocks this shard ran, which no other shard
	// can judge (see judgeClaims). nil: Runner runs them.
	Local Runner
	// Progress is called after each program, by one goroutine at a time.
	Progress func(Progress)
	// Explain logs, for every program that ran, why it was not cached.
	Explain bool
	Log     io.Writer          // progress of claims' extra runs, Explain's lines
	Warn    func(diag.Warning) // problems that do not fail the build
	Bench   config.Bench       // bench.noise and bench.inconclusive
}

// Counts are a run's programs: one a block, one a combination of an
// explorable block.
type Counts struct {
	Programs int
	Run      int // executed in this build
	Cached   int // taken from the results store
	// Elsewhere are left to other shards (a --shard build).
	Elsewhere int
}

// run is one Run: its options and counts.
type run struct {
	Options
	counts Counts
}

// Run runs every program of the blocks through the runner in one batch,
// then checks each block's results against what its fence expects. Every
// failing block is reported, not just the first; the counts are returned
// with the error.
func Run(ctx context.Context, blocks []*snippet.Snippet, opts Options) (Counts, error) {
	r := &run{Options: opts}
	r.counts.Programs = len(blocks)
	if len(blocks) == 0 {
		return r.counts, nil
	}
	if r.Runner == nil {
		sn := blocks[0]
		return r.counts, diag.Errorf(sn.File, sn.Line, "live code blocks need the playground, but this build has none")
	}
	var progs []playground.Program
	for _, sn := range blocks {
		progs = append(progs, sn.Programs()...)
	}
	r.counts.Programs = len(progs)
	results, errs := r.Runner.RunAll(ctx, progs, r.progress(blocks))
	var list diag.List
	var benches []*benchBlock
	i := 0
	for _, sn := range blocks {
		n := len(sn.Programs())
		elsewhere := r.record(sn, progs[i:i+n], results, errs, i)
		i += n
		if elsewhere && sn.States == nil {
			continue
		}
		// An explorable block's combinations run here are checked here;
		// those of other shards are checked where the merged store is
		// built from, and its page only there.
		errsOf, bench := r.check(sn, elsewhere)
		if bench != nil {
			benches = append(benches, bench)
		}
		list.Add(errsOf)
	}
	// Claims are judged before the reports are written: a report says
	// which of its block's claims these runs could not confirm.
	r.judgeClaims(ctx, benches)
	for _, b := range benches {
		r.renderBench(b, &list)
	}
	if ctx.Err() != nil {
		return r.counts, ctx.Err()
	}
	return r.counts, list.Err()
}

// check checks one block's results and draws what its output is shown as:
// a plot, or an explorable block's states. A bench block whose output was
// read is returned, for its claims and report.
func (r *run) check(sn *snippet.Snippet, elsewhere bool) (diag.List, *benchBlock) {
	errs := sn.Check()
	if len(errs) > 0 {
		return errs, nil
	}
	var bench *benchBlock
	if sn.Verb == "bench" && sn.Result != nil {
		res, err := analyseBench(sn, float64(r.Bench.Noise))
		if err != nil {
			return diag.List{diag.Errorf(sn.File, sn.Line, "go bench: %v", err)}, nil
		}
		bench = &benchBlock{sn: sn, res: res}
	}
	if sn.Opts.Plot != nil && sn.Result != nil && sn.States == nil {
		if err := sn.RenderPlot(); err != nil {
			return diag.List{diag.Errorf(sn.File, sn.Line, "plot: %v", err)}, bench
		}
	}
	if sn.SameOutputs() {
		r.Warn(diag.Warning{File: sn.File, Line: sn.Line, Stored: sn.Result.Cached,
			Msg: "every combination of params= printed the same output: does the program read its flags (flag.Int(...), then flag.Parse())?"})
	}
	if sn.States != nil && !elsewhere {
		if err := sn.RenderStates(); err != nil {
			return diag.List{diag.Errorf(sn.File, sn.Line, "plot: %v", err)}, bench
		}
	}
	return nil, bench
}

// record gives a block the results of its programs, progs, which are
// results[first:] and errs[first:], and counts them; it reports whether
// another shard runs any of them.
func (r *run) record(sn *snippet.Snippet, progs []playground.Program, results []playground.Result, errs []error, first int) (elsewhere bool) {
	for k, p := range progs {
		i := first + k
		switch {
		case i < len(errs) && playground.IsOtherShard(errs[i]):
			// Another machine runs it; the merged store will hold it.
			r.counts.Elsewhere++
			elsewhere = true
		case i < len(errs) && errs[i] != nil:
			sn.SetRun(k, nil, errs[i])
		case i < len(results):
			res := results[i]
			sn.SetRun(k, &res, nil)
			if res.Cached {
				r.counts.Cached++
				continue
			}
			r.counts.Run++
			if r.Explain {
				fmt.Fprintf(r.Log, "%s:%d: ran%s: %s\n", sn.File, sn.Line, comboOf(sn, p.ID), cmp.Or(res.Reason, "not cached"))
			}
		}
	}
	return elsewhere
}

// progress adapts the runner's reports to Options.Progress, with each
// block's position; nil when nobody listens.
func (r *run) progress(blocks []*snippet.Snippet) func(playground.Progress) {
	if r.Progress == nil {
		return nil
	}
	byID := make(map[string]*snippet.Snippet, len(blocks))
	for _, sn := range blocks {
		for _, p := range sn.Programs() {
			if byID[p.ID] == nil {
				byID[p.ID] = sn
			}
		}
	}
	return func(p playground.Progress) {
		sp := Progress{Done: p.Done, Total: p.Total, File: p.ID, Result: p.Result, Err: p.Err}
		if sn := byID[p.ID]; sn != nil {
			sp.File, sp.Line, sp.Name = sn.File, sn.Line, sn.Opts.Name+comboOf(sn, p.ID)
		}
		r.Progress(sp)
	}
}

// comboOf names the combination of an explorable block that program id
// runs, " (vnodes=10, nodes=5)"; "" for any other program.
func comboOf(sn *snippet.Snippet, id string) string {
	if c, ok := strings.CutPrefix(id, sn.Program.ID+"?"); ok {
		return " (" + strings.ReplaceAll(c, ";", ", ") + ")"
	}
	return ""
}
