package playground

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Shard selects the part of a build's programs one machine runs: shard
// Index of Count, numbered from 1 (the numbering of CI matrices and of
// `go test`-like tools: --shard 1/4 ... 4/4). The zero Shard runs
// everything.
//
// Every shard computes the same assignment from the same inputs: the
// programs (the site, identical in every checkout) and the results store
// (identical if every shard starts from the same store: the committed one,
// or one artifact or cache entry). Only programs that must run are
// assigned; stored results are every shard's alike. See assignShards.
type Shard struct {
	Index, Count int
}

// IsZero reports whether s is no sharding at all.
func (s Shard) IsZero() bool { return s.Count == 0 }

func (s Shard) String() string { return strconv.Itoa(s.Index) + "/" + strconv.Itoa(s.Count) }

// ParseShard parses "I/N", 1 <= I <= N.
func ParseShard(v string) (Shard, error) {
	i, n, ok := strings.Cut(strings.TrimSpace(v), "/")
	if !ok {
		return Shard{}, fmt.Errorf("--shard %q: want I/N, the shard I of N shards, numbered from 1 (e.g. --shard 2/4)", v)
	}
	index, err1 := strconv.Atoi(i)
	count, err2 := strconv.Atoi(n)
	switch {
	case err1 != nil || err2 != nil:
		return Shard{}, fmt.Errorf("--shard %q: want I/N with I and N whole numbers (e.g. --shard 2/4)", v)
	case count < 1:
		return Shard{}, fmt.Errorf("--shard %q: the number of shards must be at least 1", v)
	case count > maxShards:
		return Shard{}, fmt.Errorf("--shard %q: at most %d shards", v, maxShards)
	case index < 1 || index > count:
		return Shard{}, fmt.Errorf("--shard %q: shards are numbered from 1 to %d (--shard 1/%d ... %d/%d)", v, count, count, count, count)
	}
	return Shard{Index: index, Count: count}, nil
}

// maxShards bounds N: more shards than a CI matrix holds (256 jobs) is a
// typo.
const maxShards = 256

// OtherShardError is the error RunAll returns for a program that another
// shard runs: not a failure, the program's result is simply not made here.
type OtherShardError struct {
	Shard Shard // the shard that runs it
}

func (e *OtherShardError) Error() string { return "run by shard " + e.Shard.String() }

// IsOtherShard reports whether err says another shard runs the program.
func IsOtherShard(err error) bool {
	var e *OtherShardError
	return errors.As(err, &e)
}

// shardItem is one program that must run, for the assignment.
type shardItem struct {
	key    string // the portable key: the same on every machine
	weight int64  // estimated milliseconds of the shard's time
}

// assignShards returns, for each item, the shard (0 to n-1) that runs it.
//
// Items are ordered by their portable key (a hash of the program's inputs
// that leaves out the machine's Go version and platform), which is a
// random-looking order that every shard computes alike. That sequence is
// cut into n runs of nearly equal total weight: an item goes to the shard
// its weight's midpoint falls in. So every shard's load is at most
// total/n plus the heaviest item, whatever the weights; and adding or
// removing one program moves only programs next to the cuts, about as
// much weight as that program brings (the cuts must move to stay
// balanced), never the rest. Integer arithmetic only: a float rounding
// differently on another architecture must not change the assignment.
func assignShards(items []shardItem, n int) []int {
	out := make([]int, len(items))
	if n <= 1 || len(items) == 0 {
		return out
	}
	order := make([]int, len(items))
	var total int64
	for i := range items {
		order[i] = i
		total += items[i].weight
	}
	sort.SliceStable(order, func(a, b int) bool { return items[order[a]].key < items[order[b]].key })
	var prefix int64
	for _, i := range order {
		w := items[i].weight
		s := int((2*prefix + w) * int64(n) / (2 * total))
		out[i] = min(s, n-1)
		prefix += w
	}
	return out
}

// Weights, in milliseconds: what a program costs its shard beyond what is
// shared by all (checking out, loading the site).
const (
	// compileCost is one program's share of the batched build: compiling
	// its package and linking its binary.
	compileCost = 1000
	// unknownRunCost is the run of a go run block never measured.
	unknownRunCost = 100
)

// shardWeight estimates what p costs a shard: its measured duration when
// the store knows one (prevMS >= 0: the stored result being rerun, or the
// newest result of the same program ID before its code changed), else an
// estimate from its options. Only data every shard sees alike enter it.
func shardWeight(p *Program, prevMS float64) int64 {
	w := int64(compileCost)
	switch {
	case prevMS >= 0:
		return w + int64(prevMS)
	case p.Mode == ModeBench:
		return w + benchEstimate(p)
	}
	return w + unknownRunCost
}

var benchFunc = regexp.MustCompile(`(?m)^func Benchmark`)

// benchEstimate guesses a benchmark block's run time from its options: each
// benchmark runs count times per -cpu value, each run about 1.5 benchtimes
// (go test ramps b.N up to the benchtime).
func benchEstimate(p *Program) int64 {
	b := benchDefaults(p.Bench)
	funcs := 0
	for _, f := range p.Files {
		if strings.HasSuffix(f.Name, "_test.go") {
			funcs += len(benchFunc.FindAllIndex(f.Data, -1))
		}
	}
	per := int64(1000) // go test's default benchtime, 1s
	if bt := b.Benchtime; bt != "" {
		if d, err := time.ParseDuration(bt); err == nil {
			per = d.Milliseconds()
		} else if strings.HasSuffix(bt, "x") {
			per = 100 // a fixed iteration count: unknown, likely short
		}
	}
	return int64(max(funcs, 1)) * int64(b.Count) * int64(max(len(b.CPU), 1)) * per * 3 / 2
}
