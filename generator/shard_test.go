package generator

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/benchpress/benchpress/generator/output"
	"github.com/benchpress/benchpress/playground"
)

// shardRunner runs the programs whose IDs it is given (a Cached result:
// from the store every shard starts from) and leaves the others to
// another shard, as a sharded playground Runner does; it records what it
// was asked.
type shardRunner struct {
	mine  map[string]playground.Result
	asked []string
}

func (r *shardRunner) RunAll(ctx context.Context, ps []playground.Program, progress func(playground.Progress)) ([]playground.Result, []error) {
	res := make([]playground.Result, len(ps))
	errs := make([]error, len(ps))
	for i, p := range ps {
		r.asked = append(r.asked, p.ID)
		if got, ok := r.mine[p.ID]; ok {
			res[i] = got
		} else {
			errs[i] = &playground.OtherShardError{Shard: playground.Shard{Index: 2, Count: 2}}
		}
	}
	return res, errs
}

// TestLoadShard: a shard's load checks the snippets it ran (an unexpected
// failure is still the post's error) and counts the others as elsewhere,
// without checking them; a site loaded so cannot render.
func TestLoadShard(t *testing.T) {
	site := "-- config.yaml --\ntitle: T\n" +
		"-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\n---\n\n```go run name=one\nfmt.Println(1)\n```\n\n```go run name=two\nfmt.Println(2)\n```\n" +
		"-- content/posts/b.md --\n---\ntitle: B\ndate: 2026-01-02\n---\n\n```go run name=three\nfmt.Println(3)\n```\n"
	ok := playground.Result{Status: playground.StatusOK, Events: []playground.Event{{Stream: playground.Stdout, Data: "1\n"}}}
	root := writeArchive(t, txtar.Parse([]byte(site)))
	opts := Options{Root: root, Theme: testTheme, Now: testNow, Runner: &shardRunner{mine: map[string]playground.Result{"content/posts/a.md#one": ok}}}
	s, err := Load(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if st := s.Stats; st.Snippets != 3 || st.SnippetsRun != 1 || st.SnippetsElsewhere != 2 {
		t.Errorf("stats %+v, want 3 snippets, 1 run, 2 elsewhere", st)
	}
	err = s.Render(output.NewDir(t.TempDir()))
	if want := "cannot render a shard's part of the site: 2 snippets ran on other shards; merge the shards' results stores and build with --frozen"; err == nil || err.Error() != want {
		t.Errorf("Render: %v, want %s", err, want)
	}

	fail := playground.Result{Status: playground.StatusExit, ExitCode: 2, Events: []playground.Event{{Stream: playground.Stderr, Data: "boom\n"}}}
	opts.Runner = &shardRunner{mine: map[string]playground.Result{"content/posts/b.md#three": fail}}
	_, err = Load(context.Background(), opts)
	want := "content/posts/b.md:6: snippet three exited with status 2 (add expect=fail to the fence if that is intended): boom"
	if err == nil || err.Error() != want {
		t.Errorf("a failing snippet of this shard: %v, want %s", err, want)
	}
}

// fastSlow is canned `go test -bench` output: n interleaved runs of Fast
// (about 10 ns/op) and Slow (about 100 ns/op), a tenfold difference that
// n runs of each may still be too few to decide at a claim's level.
func fastSlow(n int) playground.Result {
	var b strings.Builder
	b.WriteString("goos: linux\ngoarch: amd64\npkg: example\ncpu: Test CPU @ 2.00GHz\n")
	for i := range n {
		fmt.Fprintf(&b, "BenchmarkFast \t 1000000\t %d ns/op\n", 10+i)
		fmt.Fprintf(&b, "BenchmarkSlow \t 100000\t %d ns/op\n", 100+i)
	}
	return playground.Result{Status: playground.StatusOK, Events: []playground.Event{{Stream: playground.Stdout, Data: b.String() + "PASS\n"}}}
}

// TestShardClaimRounds: in a --shard build, a bench block's rounds of
// extra runs follow its runs. The rounds of a block this shard ran are
// run here (LocalRunner) whatever the shard assignment says, and its
// claims judged and reported here, a false one failing the shard at the
// fence; those of a block whose runs all came from the store every shard
// shares go through the sharded Runner like any program, and a shard not
// given the round leaves the block's undecided claims to the one that is.
func TestShardClaimRounds(t *testing.T) {
	const id = "content/posts/a.md#c"
	cached := func(r playground.Result) playground.Result { r.Cached = true; return r }
	tests := []struct {
		name       string
		count      int // the fence's: 3 runs decide nothing, 6 a tenfold difference
		claim      string
		shard      map[string]playground.Result // the sharded Runner's
		local      map[string]playground.Result // LocalRunner's
		shardAsked []string
		localAsked []string
		err        string // the load's error, "" for none
		log        string // the claims' log line
	}{
		{name: "ran here", count: 3, claim: "Fast < Slow",
			shard: map[string]playground.Result{id: fastSlow(3)}, local: map[string]playground.Result{id + "#extra1": fastSlow(3)},
			shardAsked: []string{id}, localAsked: []string{id + "#extra1"},
			log: "claims: round 1 of 2 of extra runs for inconclusive claims: 1 bench block(s), 1 run, 0 stored\n"},
		{name: "false claim ran here", count: 3, claim: "Slow < Fast",
			shard: map[string]playground.Result{id: fastSlow(3)}, local: map[string]playground.Result{id + "#extra1": fastSlow(3)},
			shardAsked: []string{id}, localAsked: []string{id + "#extra1"},
			err: `content/posts/a.md:6: claim "Slow < Fast" is refuted by these runs: 9.18x (no interval: 6 and 6 runs), p=0.002`,
			log: "claims: round 1 of 2 of extra runs for inconclusive claims: 1 bench block(s), 1 run, 0 stored\n"},
		{name: "stored, its round on another shard", count: 3, claim: "Slow < Fast",
			shard:      map[string]playground.Result{id: cached(fastSlow(3))},
			shardAsked: []string{id, id + "#extra1"},
			log:        "claims: round 1 of 2 of extra runs for inconclusive claims: 1 bench block(s), 0 run, 0 stored, 1 left to other shards\n"},
		{name: "stored, its first round here", count: 2, claim: "Fast < Slow",
			shard:      map[string]playground.Result{id: cached(fastSlow(2)), id + "#extra1": fastSlow(2)},
			local:      map[string]playground.Result{id + "#extra2": fastSlow(2)},
			shardAsked: []string{id, id + "#extra1"}, localAsked: []string{id + "#extra2"},
			log: "claims: round 2 of 2 of extra runs for inconclusive claims: 1 bench block(s), 1 run, 0 stored\n"},
		{name: "stored with its rounds", count: 3, claim: "Slow < Fast",
			shard:      map[string]playground.Result{id: cached(fastSlow(3)), id + "#extra1": cached(fastSlow(3))},
			shardAsked: []string{id, id + "#extra1"},
			err:        `content/posts/a.md:6: claim "Slow < Fast" is refuted by these runs: 9.18x (no interval: 6 and 6 runs), p=0.002`,
			log:        "claims: round 1 of 2 of extra runs for inconclusive claims: 1 bench block(s), 0 run, 1 stored\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := fmt.Sprintf("%s-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\n---\n\n```go bench name=c count=%d claim=%q\nfunc BenchmarkFast(b *testing.B) {}\nfunc BenchmarkSlow(b *testing.B) {}\n```\n",
				okConfig, tt.count, tt.claim)
			shard := &shardRunner{mine: tt.shard}
			local := &shardRunner{mine: tt.local}
			var log strings.Builder
			_, err := Load(context.Background(), Options{Root: writeArchive(t, txtar.Parse([]byte(site))), Theme: testTheme, Now: testNow,
				Runner: shard, LocalRunner: local, Log: &log})
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.err {
				t.Errorf("load: %q, want %q", got, tt.err)
			}
			if !slices.Equal(shard.asked, tt.shardAsked) || !slices.Equal(local.asked, tt.localAsked) {
				t.Errorf("the sharded runner was asked %q and the local one %q, want %q and %q", shard.asked, local.asked, tt.shardAsked, tt.localAsked)
			}
			if !strings.Contains(log.String(), tt.log) {
				t.Errorf("log lacks %q:\n%s", tt.log, log.String())
			}
			if strings.Contains(log.String(), "inconclusive:") {
				t.Errorf("a claim was left inconclusive:\n%s", log.String())
			}
		})
	}
}
