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
}

// judgedClaim is one claim and its latest verdict.
type judgedClaim struct {
	c       benchstats.Claim
	v       benchstats.Verdict
	err     error
	decided bool // a verdict other than inconclusive, or an error: looked at no more
	rounds  int  // rounds of extra runs it was given
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
func (r *run) judgeClaims(ctx context.Context, blocks []*benchBlock) {
	for _, b := range blocks {
		b.pooled = b.sn.Result.Stdout()
		b.pool = b.res
		for _, c := range b.sn.Opts.Claims {
			b.claims = append(b.claims, &judgedClaim{c: c})
		}
		b.judge(0)
	}
	for round := 1; round < benchstats.MaxLooks; round++ {
		var progs []playground.Program
		var owners []*benchBlock
		for _, b := range blocks {
			if p, ok := b.extraProgram(round); ok {
				progs = append(progs, p)
				owners = append(owners, b)
			}
		}
		if len(progs) == 0 || ctx.Err() != nil {
			return
		}
		results, errs := r.Runner.RunAll(ctx, progs, nil)
		ran, stored := 0, 0
		for i, res := range results {
			switch {
			case i < len(errs) && errs[i] != nil:
			case res.Cached:
				stored++
			default:
				ran++
			}
		}
		fmt.Fprintf(r.Log, "claims: round %d of %d of extra runs for inconclusive claims: %d bench block(s), %d run, %d stored\n",
			round, benchstats.MaxLooks-1, len(progs), ran, stored)
		for i, b := range owners {
			var res playground.Result
			if i < len(results) {
				res = results[i]
			}
			if i < len(errs) && errs[i] != nil || res.Status != playground.StatusOK {
				// No verdict rests on a round that did not run to the end
				// (a timeout on a busy machine, a --frozen build without
				// it): the claims stay as the earlier looks left them.
				b.stop = true
				continue
			}
			b.pooled += res.Stdout()
			pool, err := benchstats.Analyse(b.pooled, "")
			if err != nil {
				b.stop = true
				continue
			}
			b.pool = pool
			b.judge(round)
		}
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
// inconclusive ones, and returns those for the report to mention.
func (b *benchBlock) report(r *run, errs *diag.List) []benchreport.Unconfirmed {
	sn := b.sn
	var out []benchreport.Unconfirmed
	for _, jc := range b.claims {
		switch {
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
			out = append(out, benchreport.Unconfirmed{Claim: jc.c.Text, Where: jc.v.Where, Figures: jc.v.Figures, Rounds: jc.rounds})
		}
	}
	return out
}
