package playground

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
)

func TestParseShard(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Shard
		err  string
	}{
		{in: "1/1", want: Shard{1, 1}},
		{in: "2/4", want: Shard{2, 4}},
		{in: " 4/4 ", want: Shard{4, 4}},
		{in: "0/4", err: `--shard "0/4": shards are numbered from 1 to 4 (--shard 1/4 ... 4/4)`},
		{in: "5/4", err: `--shard "5/4": shards are numbered from 1 to 4 (--shard 1/4 ... 4/4)`},
		{in: "-1/4", err: `--shard "-1/4": shards are numbered from 1 to 4 (--shard 1/4 ... 4/4)`},
		{in: "1/0", err: `--shard "1/0": the number of shards must be at least 1`},
		{in: "2", err: `--shard "2": want I/N, the shard I of N shards, numbered from 1 (e.g. --shard 2/4)`},
		{in: "", err: `--shard "": want I/N, the shard I of N shards, numbered from 1 (e.g. --shard 2/4)`},
		{in: "a/4", err: `--shard "a/4": want I/N with I and N whole numbers (e.g. --shard 2/4)`},
		{in: "1/4/2", err: `--shard "1/4/2": want I/N with I and N whole numbers (e.g. --shard 2/4)`},
		{in: "1/1000", err: `--shard "1/1000": at most 256 shards`},
	} {
		got, err := ParseShard(tc.in)
		switch {
		case tc.err != "":
			if err == nil || err.Error() != tc.err {
				t.Errorf("ParseShard(%q) = %v, %v; want error %s", tc.in, got, err, tc.err)
			}
		case err != nil || got != tc.want:
			t.Errorf("ParseShard(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

// randomItems makes n items with random keys (like hashes) and weights
// between lo and hi.
func randomItems(r *rand.Rand, n int, lo, hi int64) []shardItem {
	items := make([]shardItem, n)
	for i := range items {
		items[i] = shardItem{key: fmt.Sprintf("%016x%016x", r.Uint64(), r.Uint64()), weight: lo + r.Int64N(hi-lo+1)}
	}
	return items
}

func loads(items []shardItem, assign []int, n int) []int64 {
	l := make([]int64, n)
	for i, s := range assign {
		l[s] += items[i].weight
	}
	return l
}

// Every shard's load is at most total/n plus the heaviest item, for any
// weights; with equal weights the counts differ by at most one.
func TestAssignShardsBalanced(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 500 {
		n := 1 + r.IntN(8)
		lo, hi := int64(1000), int64(1000)
		if trial%2 == 1 {
			lo, hi = 1000, 1000+r.Int64N(200000) // benchmark blocks among cheap runs
		}
		items := randomItems(r, 1+r.IntN(60), lo, hi)
		assign := assignShards(items, n)
		var total, heaviest int64
		for _, it := range items {
			total += it.weight
			heaviest = max(heaviest, it.weight)
		}
		for s, l := range loads(items, assign, n) {
			if l*int64(n) > total+heaviest*int64(n) {
				t.Fatalf("trial %d: shard %d of %d has load %d > total/n %d + heaviest %d", trial, s+1, n, l, total/int64(n), heaviest)
			}
		}
		if lo == hi {
			counts := make([]int, n)
			for _, s := range assign {
				counts[s]++
			}
			if slices.Max(counts)-slices.Min(counts) > 1 {
				t.Fatalf("trial %d: equal weights, %d items over %d shards: counts %v", trial, len(items), n, counts)
			}
		}
	}
}

// The assignment is a function of the set of items: the order a site
// lists them in does not matter, so every shard computes the same one.
func TestAssignShardsDeterministic(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	items := randomItems(r, 40, 1000, 30000)
	want := map[string]int{}
	for i, s := range assignShards(items, 4) {
		want[items[i].key] = s
	}
	for range 20 {
		r.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
		for i, s := range assignShards(items, 4) {
			if want[items[i].key] != s {
				t.Fatalf("item %s: shard %d after a shuffle, %d before", items[i].key, s, want[items[i].key])
			}
		}
	}
}

// Adding one program moves only programs next to the cuts: at most about
// the new program's weight, plus one straddling program, per cut. A
// round-robin deal would move most of them.
func TestAssignShardsStable(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for trial := range 500 {
		n := 2 + r.IntN(6)
		items := randomItems(r, 10+r.IntN(80), 1000, 1000+r.Int64N(20000))
		before := assignShards(items, n)
		extra := randomItems(r, 1, 1000, 1000+r.Int64N(20000))[0]
		after := assignShards(append(items[:len(items):len(items)], extra), n)
		var moved, heaviest int64
		for i, it := range items {
			heaviest = max(heaviest, it.weight)
			if before[i] != after[i] {
				moved += it.weight
			}
		}
		if limit := int64(n-1) * (extra.weight + 2*heaviest); moved > limit {
			t.Fatalf("trial %d: adding one item of weight %d to %d items on %d shards moved weight %d (limit %d)", trial, extra.weight, len(items), n, moved, limit)
		}
	}
}

func TestShardWeight(t *testing.T) {
	bench := func(opts BenchOptions, funcs int) *Program {
		src := "package snippet\n"
		for i := range funcs {
			src += fmt.Sprintf("func Benchmark%d(b *testing.B) {}\n", i)
		}
		return &Program{Mode: ModeBench, Bench: opts, Files: []File{{Name: "bench_test.go", Data: []byte(src)}}}
	}
	run := &Program{Mode: ModeRun, Files: []File{{Name: "main.go", Data: []byte("package main\nfunc main() {}\n")}}}
	for _, tc := range []struct {
		name   string
		p      *Program
		prevMS float64
		want   int64
	}{
		{"run, unmeasured", run, -1, compileCost + unknownRunCost},
		{"run, measured", run, 250.7, compileCost + 250},
		{"bench, measured", bench(BenchOptions{}, 3), 42000, compileCost + 42000},
		// 2 benchmarks x 6 counts x 1s x 1.5
		{"bench, defaults", bench(BenchOptions{}, 2), -1, compileCost + 18000},
		// 1 x 3 x 2 cpus x 100ms x 1.5
		{"bench, options", bench(BenchOptions{Count: 3, CPU: []int{1, 4}, Benchtime: "100ms"}, 1), -1, compileCost + 900},
		{"bench, iterations", bench(BenchOptions{Count: 1, Benchtime: "10x"}, 1), -1, compileCost + 150},
		{"bench, no benchmark found", bench(BenchOptions{Count: 1}, 0), -1, compileCost + 1500},
	} {
		if got := shardWeight(tc.p, tc.prevMS); got != tc.want {
			t.Errorf("%s: weight %d, want %d", tc.name, got, tc.want)
		}
	}
}

// TestRunAllShards: three Runners, each its own store copied from one base
// (three machines), run a shard each at once. Every program that is not
// stored runs on exactly one shard, the others name that shard; a stored
// one is every shard's; identical programs go together.
func TestRunAllShards(t *testing.T) {
	needSandbox(t)
	prog := func(id, msg string) Program {
		return Program{ID: id, Mode: ModeRun, Files: []File{{Name: "main.go", Data: []byte(fmt.Sprintf("package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(%q) }\n", msg))}}}
	}
	progs := []Program{prog("a", "a"), prog("b", "b"), prog("c", "c"), prog("d", "d"), prog("e", "e"), prog("f", "f"), prog("g", "b")}
	base := t.TempDir()
	r0, err := New(Config{Results: base})
	if err != nil {
		t.Fatal(err)
	}
	if _, errs := r0.RunAll(context.Background(), progs[:1], nil); errs[0] != nil {
		t.Fatal(errs[0])
	}
	entries, _ := os.ReadDir(base)
	const n = 3
	runners := make([]*Runner, n)
	results := make([][]Result, n)
	errs := make([][]error, n)
	var wg sync.WaitGroup
	for i := range n {
		dir := t.TempDir()
		for _, e := range entries {
			b, _ := os.ReadFile(filepath.Join(base, e.Name()))
			os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644)
		}
		runners[i], err = New(Config{Results: dir, Shard: Shard{i + 1, n}})
		if err != nil {
			t.Fatal(err)
		}
		wg.Go(func() { results[i], errs[i] = runners[i].RunAll(context.Background(), progs, nil) })
	}
	wg.Wait()
	execs := 0
	for i := range n {
		execs += runners[i].Execs()
	}
	if execs != 5 {
		t.Errorf("%d programs ran, want 5 (a is stored, g is b)", execs)
	}
	ranOn := make([]int, len(progs))
	for p := range progs {
		for i := range n {
			r, err := results[i][p], errs[i][p]
			var other *OtherShardError
			switch {
			case err == nil && r.Cached:
				if p != 0 {
					t.Errorf("%s: cached on shard %d", progs[p].ID, i+1)
				}
			case err == nil:
				if ranOn[p] != 0 {
					t.Errorf("%s ran on shards %d and %d", progs[p].ID, ranOn[p], i+1)
				}
				ranOn[p] = i + 1
				if r.Stdout() == "" || r.Env.Machine == "" {
					t.Errorf("%s on shard %d: stdout %q, machine %q", progs[p].ID, i+1, r.Stdout(), r.Env.Machine)
				}
			case IsOtherShard(err) && errors.As(err, &other):
				if other.Shard.Count != n || other.Shard.Index == i+1 {
					t.Errorf("%s on shard %d: %v", progs[p].ID, i+1, err)
				}
			default:
				t.Errorf("%s on shard %d: %v", progs[p].ID, i+1, err)
			}
		}
	}
	for p := 1; p < len(progs); p++ {
		if ranOn[p] == 0 {
			t.Errorf("%s ran nowhere", progs[p].ID)
			continue
		}
		for i := range n {
			if other, ok := errs[i][p].(*OtherShardError); ok && other.Shard.Index != ranOn[p] {
				t.Errorf("%s: shard %d says shard %d runs it, but shard %d did", progs[p].ID, i+1, other.Shard.Index, ranOn[p])
			}
		}
	}
	if ranOn[1] != ranOn[6] {
		t.Errorf("identical programs b and g ran on shards %d and %d", ranOn[1], ranOn[6])
	}
}

// machineID is the same for one machine, differs with the machine ID or
// the host name, and shows neither.
func TestMachineID(t *testing.T) {
	a := machineID("4f1c2d0e9b8a7f6e5d4c3b2a19080706", "runner-1")
	for _, tc := range []struct {
		secret, host string
		same         bool
	}{
		{"4f1c2d0e9b8a7f6e5d4c3b2a19080706", "runner-1", true},
		{"4f1c2d0e9b8a7f6e5d4c3b2a19080706", "runner-2", false}, // one image, two runners
		{"00000000000000000000000000000001", "runner-1", false},
	} {
		if got := machineID(tc.secret, tc.host); (got == a) != tc.same || len(got) != 8 {
			t.Errorf("machineID(%q, %q) = %q; the first machine is %q", tc.secret, tc.host, got, a)
		}
	}
	if got := machineID("", ""); got != "" {
		t.Errorf("nothing to tell machines apart by: %q, want none", got)
	}
	if id := MachineID(); id != MachineID() || len(id) != 8 {
		t.Errorf("MachineID() = %q, want 8 hex digits, the same every time", id)
	}
}
