package liverun

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/benchpress/benchpress/generator/diag"
	"github.com/benchpress/benchpress/generator/snippet"
	"github.com/benchpress/benchpress/internal/benchreport"
	"github.com/benchpress/benchpress/internal/benchstats"
	"github.com/benchpress/benchpress/playground"
)

// benchBlock is a bench block whose output was read, on its way to its
// report: its claims are judged first, with extra runs where they are
// inconclusive, since the report says which could not be confirmed.
type benchBlock struct {
	sn  *snippet.Snippet
	res *benchstats.Results // the block's own runs, for its report

	pooled string              // its own output and every extra round's
	claims []*judgedClaim      // in the fence's order
	stop   bool                // no more rounds: one failed or could not run
	pool   *benchstats.Results // pooled, analysed

	// ranHere: this build made some of its runs (its own or a round's)
	// rather than taking them all from the store, so no other shard has
	// them: its rounds are this build's to run, whatever the shard
	// assignment says.
	ranHere bool
	// elsewhere: another shard runs its rounds (a --shard build), and so
	// judges its undecided claims.
	elsewhere bool
}

// judgedClaim is one claim and its latest verdict.
type judgedClaim struct {
	c       benchstats.Claim
	v       benchstats.Verdict
	err     error
	decided bool // a verdict other than inconclusive, or an error: looked at no more
	rounds  int  // rounds of extra runs it was given

	fewest, most int // runs of each benchmark its latest verdict rests on
}

// judgeClaims judges every claim of the blocks: on each block's own runs,
// then, for the claims those cannot decide, on the pooled runs after each
// of up to benchstats.MaxLooks-1 rounds of extra runs. A round runs only
// the benchmarks the block's undecided claims name, Count times
// (interleaved, as every bench program), as an ordinary playground
// Program (BenchOptions.Round n), stored and keyed like any other: a
// round costs at most the block's own time, so a block with inconclusive
// claims takes at most MaxLooks times as long as its own runs. Each claim
// stops at its first verdict that is not inconclusive; every look is
// judged at the level that bounds the false-alarm rate of the whole
// sequence (benchstats.ClaimAlpha).
//
// In a --shard build a block's rounds follow its runs: a round depends on
// the verdicts of the runs before it, which only a machine holding them
// can reach. The rounds of a block this build ran any of go to Local,
// which runs them here; those of a block whose runs all came from the
// store, identical on every shard, go to Runner, which shares them out
// as it does any program (every shard asks for the same ones, so exactly
// one runs each), and a shard that is not given one leaves that block's
// undecided claims to the shard that is.
func (r *run) judgeClaims(ctx context.Context, blocks []*benchBlock) {
	for _, b := range blocks {
		b.pooled = b.sn.Result.Stdout()
		b.pool = b.res
		b.ranHere = !b.sn.Result.Cached
		for _, c := range b.sn.Opts.Claims {
			b.claims = append(b.claims, &judgedClaim{c: c})
		}
		b.judge(0)
	}
	for round := 1; round < benchstats.MaxLooks; round++ {
		// Without a Local runner (no --shard) one batch: one go build.
		var here, shared extraRuns
		for _, b := range blocks {
			if p, ok := b.extraProgram(round); ok {
				if b.ranHere && r.Local != nil {
					here.add(p, b)
				} else {
					shared.add(p, b)
				}
			}
		}
		if len(here.progs)+len(shared.progs) == 0 || ctx.Err() != nil {
			return
		}
		here.run(ctx, r.Local)
		shared.run(ctx, r.Runner)
		var n extraCounts
		for _, x := range []*extraRuns{&here, &shared} {
			x.count(&n)
		}
		elsewhere := ""
		if n.elsewhere > 0 {
			elsewhere = fmt.Sprintf(", %d left to other shards", n.elsewhere)
		}
		fmt.Fprintf(r.Log, "claims: round %d of %d of extra runs for inconclusive claims: %d bench block(s), %d run, %d stored%s\n",
			round, benchstats.MaxLooks-1, len(here.progs)+len(shared.progs), n.ran, n.stored, elsewhere)
		for _, x := range []*extraRuns{&here, &shared} {
			x.pool(round)
		}
	}
}

// extraRuns are one round's extra runs of some blocks, sent to one
// runner together, and what became of them.
type extraRuns struct {
	progs   []playground.Program
	owners  []*benchBlock // owners[i] asked for progs[i]
	results []playground.Result
	errs    []error
}

func (x *extraRuns) add(p playground.Program, b *benchBlock) {
	x.progs = append(x.progs, p)
	x.owners = append(x.owners, b)
}

func (x *extraRuns) run(ctx context.Context, runner Runner) {
	if len(x.progs) > 0 {
		x.results, x.errs = runner.RunAll(ctx, x.progs, nil)
	}
}

// extraCounts are a round's programs by what became of them, for the log.
type extraCounts struct{ ran, stored, elsewhere int }

func (x *extraRuns) count(n *extraCounts) {
	for i, res := range x.results {
		switch {
		case i < len(x.errs) && playground.IsOtherShard(x.errs[i]):
			n.elsewhere++
		case i < len(x.errs) && x.errs[i] != nil:
		case res.Cached:
			n.stored++
		default:
			n.ran++
		}
	}
}

// pool adds each block's round to its runs and judges its undecided
// claims again.
func (x *extraRuns) pool(round int) {
	for i, b := range x.owners {
		var res playground.Result
		if i < len(x.results) {
			res = x.results[i]
		}
		var err error
		if i < len(x.errs) {
			err = x.errs[i]
		}
		switch {
		case playground.IsOtherShard(err):
			// The shard that runs this round has the verdicts; this one
			// reports none of the claims it would decide.
			b.elsewhere, b.stop = true, true
			continue
		case err != nil || res.Status != playground.StatusOK:
			// No verdict rests on a round that did not run to the end
			// (a timeout on a busy machine, a --frozen build without
			// it): the claims stay as the earlier looks left them.
			b.stop = true
			continue
		}
		b.pooled += res.Stdout()
		pool, perr := benchstats.Analyse(b.pooled, "")
		if perr != nil {
			b.stop = true
			continue
		}
		b.pool = pool
		b.ranHere = b.ranHere || !res.Cached
		b.judge(round)
	}
}

// judge judges the block's undecided claims on the pooled runs after the
// given number of extra rounds.
func (b *benchBlock) judge(rounds int) {
	for _, jc := range b.claims {
		if jc.decided {
			continue
		}
		jc.v, jc.err = b.pool.Judge(jc.c)
		jc.rounds = rounds
		jc.fewest, jc.most = b.pool.ClaimRuns(jc.c)
		jc.decided = jc.err != nil || jc.v.Outcome != benchstats.Inconclusive
	}
}

// extraProgram is the block's next round of extra runs: the benchmarks of
// its undecided claims, nothing else; false when it needs none.
func (b *benchBlock) extraProgram(round int) (playground.Program, bool) {
	if b.stop {
		return playground.Program{}, false
	}
	var names []string
	for _, jc := range b.claims {
		if jc.decided {
			continue
		}
		for _, n := range b.pool.Benchmarks(jc.c) {
			if q := "Benchmark" + regexp.QuoteMeta(n); !contains(names, q) {
				names = append(names, q)
			}
		}
	}
	if len(names) == 0 {
		return playground.Program{}, false
	}
	p := b.sn.Program
	p.ID = ExtraRunsID(p.ID, round)
	p.Bench.Round = round
	// Top-level names only: -test.bench matches every sub-benchmark of
	// a name it matches, and a claim's side covers all of them.
	p.Bench.Filter = "^(" + strings.Join(names, "|") + ")$"
	return p, true
}

// ExtraRunsID is the program ID of a block's nth round of extra runs: the
// block's own ID and #extraN, so that --rerun of the block or its post
// reruns them too.
func ExtraRunsID(block string, round int) string {
	return block + "#extra" + strconv.Itoa(round)
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// report adds the block's refuted claims (and, under bench.inconclusive:
// fail, its inconclusive ones) to errs at the fence, warns of its
// inconclusive ones, and returns what the report says of its claims:
// those not confirmed, and those judged on rounds of extra runs.
func (b *benchBlock) report(r *run, errs *diag.List) (unconfirmed []benchreport.Unconfirmed, pooled []benchreport.Pooled) {
	sn := b.sn
	for _, jc := range b.claims {
		switch {
		case b.elsewhere && !jc.decided:
			// Another shard runs its next round, and reports it.
			continue
		case jc.err != nil:
			errs.Add(diag.Errorf(sn.File, sn.Line, "%v", jc.err))
		case jc.v.Outcome == benchstats.Refuted:
			errs.Add(diag.Errorf(sn.File, sn.Line, "%s", jc.v.Error(jc.c)))
		case jc.v.Outcome == benchstats.Inconclusive:
			msg := jc.v.Warning(jc.c, jc.rounds)
			if r.Bench.Inconclusive == "fail" {
				errs.Add(diag.Errorf(sn.File, sn.Line, "%s (bench.inconclusive is fail)", msg))
			} else {
				r.Warn(diag.Warning{File: sn.File, Line: sn.Line, Stored: sn.Result.Cached,
					Msg: msg + "; the page says it was not confirmed (bench.inconclusive: fail makes this an error)"})
			}
			unconfirmed = append(unconfirmed, benchreport.Unconfirmed{Claim: jc.c.Text, Where: jc.v.Where, Figures: jc.v.Figures, Rounds: jc.rounds})
		}
		if jc.rounds > 0 && jc.err == nil && jc.v.Outcome != benchstats.Refuted {
			pooled = append(pooled, b.pooledClaim(jc))
		}
	}
	return unconfirmed, pooled
}

// pooledClaim describes, for the report's legend, the runs a claim judged
// on rounds of extra runs was judged on.
func (b *benchBlock) pooledClaim(jc *judgedClaim) benchreport.Pooled {
	runs := strconv.Itoa(jc.fewest)
	if jc.most != jc.fewest {
		runs += " to " + strconv.Itoa(jc.most)
	}
	return benchreport.Pooled{Claim: jc.c.Text, Holds: jc.v.Outcome == benchstats.Holds, Benchmarks: b.res.Benchmarks(jc.c),
		Rounds: jc.rounds, Runs: runs, Figures: jc.v.Figures}
}
