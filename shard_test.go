package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/benchpress/benchpress/playground"
)

// shardSite is a site of posts with nRun small go run blocks (distinct
// programs) and nBench tiny benchmark blocks, numbered from first.
func shardSite(first, nRun, nBench int) map[string]string {
	files := map[string]string{"config.yaml": "title: Shards\nbaseURL: https://example.org/\n"}
	for i := first; i < first+nRun; i++ {
		files[fmt.Sprintf("content/posts/run%02d.md", i)] = fmt.Sprintf("---\ntitle: Run %d\ndate: 2026-01-%02d\n---\nProgram %d.\n\n```go run name=p\nfmt.Println(\"program\", %d, strings.Repeat(\"*\", %d))\n```\n", i, 1+i%28, i, i, i%7)
	}
	for i := first; i < first+nBench; i++ {
		files[fmt.Sprintf("content/posts/bench%02d.md", i)] = fmt.Sprintf("---\ntitle: Bench %d\ndate: 2026-02-%02d\n---\nBenchmark %d.\n\n```go bench name=b count=2 benchtime=100x\nfunc BenchmarkSum%d(b *testing.B) {\n\ts := 0\n\tfor i := 0; b.Loop(); i++ {\n\t\ts += i * %d\n\t}\n\t_ = s\n}\n```\n", i, 1+i%28, i, i, i)
	}
	return files
}

func writeInto(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// copyTree copies the regular files under src to dst: a machine of its
// own, checking out the same site and store.
func copyTree(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(dst, filepath.Dir(rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// readTree maps every file under dir to its contents.
func readTree(t testing.TB, dir string) map[string]string {
	t.Helper()
	tree := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		tree[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	return tree
}

// cli runs the CLI in a process of its own and returns its stderr; a
// kernel without the sandbox skips the test (fails it in CI).
func cli(t testing.TB, args ...string) string {
	t.Helper()
	out, err := cliCommand(args...).CombinedOutput()
	if err != nil {
		sandboxOrSkip(t, string(out))
		t.Fatalf("benchpress %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func sandboxOrSkip(t testing.TB, out string) {
	t.Helper()
	if strings.Contains(out, "sandbox cannot run here") {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI must run the sandbox:\n%s", out)
		}
		t.Skipf("no sandbox here:\n%s", out)
	}
}

// runShard runs build --shard i/n in site, in a process of its own, and
// returns what it printed and the CPU time it and its children took.
func runShard(site string, i, n int) (string, time.Duration, error) {
	cmd := cliCommand("build", "--source", site, "--shard", fmt.Sprintf("%d/%d", i, n))
	out, err := cmd.CombinedOutput()
	var cpu time.Duration
	if ps := cmd.ProcessState; ps != nil {
		cpu = ps.UserTime() + ps.SystemTime()
	}
	return string(out), cpu, err
}

// runShards runs build --shard i/n in each site of sites at once, one
// process each, as n CI machines would, and returns their CPU time.
func runShards(t testing.TB, sites []string) ([]string, time.Duration) {
	t.Helper()
	outs := make([]string, len(sites))
	errs := make([]error, len(sites))
	cpus := make([]time.Duration, len(sites))
	var wg sync.WaitGroup
	for i, site := range sites {
		wg.Go(func() { outs[i], cpus[i], errs[i] = runShard(site, i+1, len(sites)) })
	}
	wg.Wait()
	var cpu time.Duration
	for i, err := range errs {
		if err != nil {
			sandboxOrSkip(t, outs[i])
			t.Fatalf("shard %d/%d: %v\n%s", i+1, len(sites), err, outs[i])
		}
		cpu += cpus[i]
	}
	return outs, cpu
}

func storeNames(t testing.TB, site string) []string {
	t.Helper()
	ents, err := os.ReadDir(filepath.Join(site, ".benchpress/results"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

var shardLine = regexp.MustCompile(`(?m)^shard (\d+)/4: (\d+) snippets: (\d+) run here, (\d+) cached, (\d+) left to other shards(?:, \d+ warnings?)?$`)

// TestShardedBuild simulates a CI matrix on one machine: a site whose
// store holds the results of its first posts gains more, four processes
// each run one shard (in copies of the site, as four machines would) and
// render nothing, merge-results unions their stores, and a --frozen build
// renders the merged results without running anything. Its output is byte
// for byte what a single machine's build gives from the same store.
func TestShardedBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and runs real programs in the sandbox")
	}
	const nRun, nBench = 10, 2
	site := filepath.Join(t.TempDir(), "site")
	// The store every shard starts from: the first three posts' results,
	// made by a one-shard build (which renders nothing and takes no lock).
	writeInto(t, site, shardSite(0, 3, 0))
	out := cli(t, "build", "--source", site, "--shard", "1/1")
	if !strings.Contains(out, "shard 1/1: 3 snippets: 3 run here, 0 cached, 0 left to other shards\n") || !strings.Contains(out, "nothing rendered") {
		t.Errorf("a one-shard build says:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(site, "public")); !os.IsNotExist(err) {
		t.Errorf("a shard build touched public/: %v", err)
	}
	if m, _ := filepath.Glob(filepath.Join(site, ".public*")); len(m) > 0 {
		t.Errorf("a shard build left %v", m)
	}
	base := storeNames(t, site)
	if len(base) != 3 {
		t.Fatalf("base store %v, want 3 entries", base)
	}

	writeInto(t, site, shardSite(0, nRun, nBench))
	machines := make([]string, 4)
	for i := range machines {
		machines[i] = filepath.Join(t.TempDir(), "site")
		copyTree(t, site, machines[i])
	}
	outs, _ := runShards(t, machines)
	ranHere := 0
	seen := map[string]int{} // new entry -> shard that made it
	for i, o := range outs {
		m := shardLine.FindStringSubmatch(o)
		if m == nil || m[1] != fmt.Sprint(i+1) || m[2] != fmt.Sprint(nRun+nBench) || m[4] != "3" {
			t.Fatalf("shard %d/4 says:\n%s", i+1, o)
		}
		var run, elsewhere int
		fmt.Sscan(m[3], &run)
		fmt.Sscan(m[5], &elsewhere)
		if run+elsewhere != nRun+nBench-3 {
			t.Errorf("shard %d/4: %d run + %d elsewhere, want %d", i+1, run, elsewhere, nRun+nBench-3)
		}
		ranHere += run
		for _, name := range storeNames(t, machines[i]) {
			if slices.Contains(base, name) {
				continue
			}
			if j, ok := seen[name]; ok {
				t.Errorf("%s made by shards %d and %d", name, j+1, i+1)
			}
			seen[name] = i
		}
	}
	if ranHere != nRun+nBench-3 || len(seen) != ranHere {
		t.Errorf("shards ran %d and stored %d new results, want %d", ranHere, len(seen), nRun+nBench-3)
	}

	merged := filepath.Join(t.TempDir(), "site")
	copyTree(t, site, merged)
	args := []string{"merge-results", "--source", merged}
	for _, m := range machines {
		args = append(args, filepath.Join(m, ".benchpress/results"))
	}
	// One line per new entry naming the machine that ran it (all shards
	// ran here), the summary, and the machines' summary.
	out = cli(t, args...)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	newLine := regexp.MustCompile(`^new: content/posts/(run|bench)\d\d\.md#[pb] ran \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC on machine ` + playground.MachineID() + ` \(go1\.\S+ linux/\w+, ok\), from /\S+/site/\.benchpress/results/[0-9a-f]{32}\.json$`)
	if len(lines) != ranHere+2 {
		t.Fatalf("merge-results says %d lines, want %d:\n%s", len(lines), ranHere+2, out)
	}
	for _, l := range lines[:ranHere] {
		if !newLine.MatchString(l) {
			t.Errorf("merge-results: %q does not match %s", l, newLine)
		}
	}
	if want := fmt.Sprintf("merged 4 stores into %s/.benchpress/results: %d new, 3 already there", merged, ranHere); lines[ranHere] != want {
		t.Errorf("merge-results says %q, want %q", lines[ranHere], want)
	}
	if want := fmt.Sprintf("the new results ran on 1 machine: machine %s (%d results, ", playground.MachineID(), ranHere); !strings.HasPrefix(lines[ranHere+1], want) ||
		!strings.HasSuffix(lines[ranHere+1], "UTC); the site will publish them as they are: a merged store is trusted like the jobs that made it") {
		t.Errorf("merge-results says %q, want it to start %q", lines[ranHere+1], want)
	}
	single := filepath.Join(t.TempDir(), "site")
	copyTree(t, merged, single)

	frozenOut := filepath.Join(t.TempDir(), "public")
	if out := cli(t, "build", "--source", merged, "--frozen", "--out", frozenOut); !strings.Contains(out, fmt.Sprintf("%d snippets: 0 run, %d cached", nRun+nBench, nRun+nBench)) {
		t.Errorf("the frozen render says:\n%s", out)
	}
	singleOut := filepath.Join(t.TempDir(), "public")
	if out := cli(t, "build", "--source", single, "--out", singleOut); !strings.Contains(out, fmt.Sprintf("%d snippets: 0 run, %d cached", nRun+nBench, nRun+nBench)) {
		t.Errorf("a single machine's build from the merged store ran something:\n%s", out)
	}
	a, b := readTree(t, frozenOut), readTree(t, singleOut)
	if len(a) == 0 {
		t.Fatal("the frozen render wrote nothing")
	}
	for name, data := range a {
		if b[name] != data {
			t.Errorf("%s differs between the sharded and the single-machine build", name)
		}
	}
	for name := range b {
		if _, ok := a[name]; !ok {
			t.Errorf("%s only in the single-machine build", name)
		}
	}
	// Every page shows its program's real output; benchmark stamps name
	// the machine.
	for i := range nRun {
		if page := a[fmt.Sprintf("posts/run%02d/index.html", i)]; !strings.Contains(page, fmt.Sprintf("program %d %s", i, strings.Repeat("*", i%7))) {
			t.Errorf("run%02d: no output of its program", i)
		}
	}
	for i := range nBench {
		if page := a[fmt.Sprintf("posts/bench%02d/index.html", i)]; !regexp.MustCompile(`<dt>machine</dt><dd>[0-9a-f]{8}</dd>`).MatchString(page) {
			t.Errorf("bench%02d: the environment stamp does not name the machine", i)
		}
	}
}

// claimPost is a post whose bench block (its fence on line 6, name=c)
// carries claims: Fast does a tenth of Slow's work, a difference no busy
// machine hides, and count=3 is too few runs for any claim's level (three
// runs of each give p >= 0.1), so every claim needs at least one round of
// extra runs, whatever the timings. seed makes the program distinct.
func claimPost(title, claims string, seed int) string {
	if claims != "" {
		claims = fmt.Sprintf(" claim=%q", claims)
	}
	return fmt.Sprintf("---\ntitle: %s\ndate: 2026-03-01\n---\n\n```go bench name=c count=3 benchtime=50ms%s\n", title, claims) +
		fmt.Sprintf("var sink int\n\n//go:noinline\nfunc work(n int) int {\n\ts := %d\n\tfor i := 0; i < n; i++ {\n\t\ts += i*i ^ s\n\t}\n\treturn s\n}\n\n", seed) +
		"func BenchmarkFast(b *testing.B) {\n\tfor b.Loop() {\n\t\tsink += work(100)\n\t}\n}\n\n" +
		"func BenchmarkSlow(b *testing.B) {\n\tfor b.Loop() {\n\t\tsink += work(1000)\n\t}\n}\n```\n"
}

// storeIDs maps the program ID of each entry of site's results store that
// is not in base to the entry's file name.
func storeIDs(t testing.TB, site string, base []string) map[string]string {
	t.Helper()
	ids := map[string]string{}
	for _, name := range storeNames(t, site) {
		if slices.Contains(base, name) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(site, ".benchpress/results", name))
		if err != nil {
			t.Fatal(err)
		}
		var e struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(b, &e); err != nil || e.ID == "" {
			t.Fatalf("%s: no program ID (%v)", name, err)
		}
		ids[e.ID] = name
	}
	return ids
}

// mergeInto copies site to a new directory and merges the machines'
// stores into it, as the sharded workflow's build job does.
func mergeInto(t testing.TB, site string, machines []string) string {
	t.Helper()
	merged := filepath.Join(t.TempDir(), "site")
	copyTree(t, site, merged)
	args := []string{"merge-results", "--source", merged}
	for _, m := range machines {
		if _, err := os.Stat(filepath.Join(m, ".benchpress/results")); err == nil {
			args = append(args, filepath.Join(m, ".benchpress/results"))
		}
	}
	cli(t, args...)
	return merged
}

var refutedFalse = regexp.MustCompile(`content/posts/false\.md:6: claim "Slow < Fast" is refuted by these runs: \d+\.\d+x [^\n]*p=0\.0\d\d`)

// TestShardedClaims: bench claims that need rounds of extra runs come
// out of a sharded build (four shard processes, merge-results, a --frozen
// render) as from one machine's build. A block's rounds run on the shard
// that ran the block, and are stored there for the merge; the rounds of a
// block whose runs every shard had in its store run on exactly one shard;
// the frozen build judges on the merged runs, rounds included, and runs
// nothing, and its site is byte for byte a single machine's from the same
// store. A false claim fails the shard that ran its block, at the fence,
// and the frozen build and a single build with the same figures.
func TestShardedClaims(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and runs real benchmarks in the sandbox")
	}
	site := filepath.Join(t.TempDir(), "site")
	// The store every shard starts from holds the runs of stored.md's
	// block, measured before it had a claim (a claim is judged on a
	// block's results, not part of their key), and no round.
	writeInto(t, site, shardSite(0, 2, 0))
	writeInto(t, site, map[string]string{"content/posts/stored.md": claimPost("Stored", "", 1)})
	cli(t, "build", "--source", site, "--shard", "1/1")
	base := storeNames(t, site)
	if len(base) != 3 {
		t.Fatalf("base store %v, want 3 entries", base)
	}

	writeInto(t, site, shardSite(0, 6, 0))
	writeInto(t, site, map[string]string{
		"content/posts/stored.md": claimPost("Stored", "Fast <= 0.5x Slow", 1),
		"content/posts/fresh.md":  claimPost("Fresh", "Fast < Slow", 2),
	})
	machines := make([]string, 4)
	for i := range machines {
		machines[i] = filepath.Join(t.TempDir(), "site")
		copyTree(t, site, machines[i])
	}
	outs, _ := runShards(t, machines)
	madeBy := map[string]int{} // program ID -> the shard that stored it
	for i, m := range machines {
		for id := range storeIDs(t, m, base) {
			if j, ok := madeBy[id]; ok {
				t.Errorf("%s stored by shards %d and %d", id, j+1, i+1)
			}
			madeBy[id] = i
		}
	}
	for _, block := range []string{"content/posts/fresh.md#c", "content/posts/stored.md#c"} {
		shard, ok := madeBy[block+"#extra1"]
		if !ok {
			t.Errorf("no shard stored %s's first round of extra runs:\n%s", block, strings.Join(outs, "\n"))
			continue
		}
		if j, ok := madeBy[block]; ok && j != shard {
			t.Errorf("%s ran on shard %d, its first round on shard %d", block, j+1, shard+1)
		}
		if j, ok := madeBy[block+"#extra2"]; ok && j != shard {
			t.Errorf("%s's first round ran on shard %d, its second on shard %d", block, shard+1, j+1)
		}
	}
	if _, ok := madeBy["content/posts/stored.md#c"]; ok {
		t.Errorf("a shard ran stored.md's block again")
	}
	for i, o := range outs {
		if strings.Contains(o, "refuted") {
			t.Errorf("shard %d/4 refuted a true claim:\n%s", i+1, o)
		}
	}

	merged := mergeInto(t, site, machines)
	single := filepath.Join(t.TempDir(), "site")
	copyTree(t, merged, single)
	frozenOut, singleOut := filepath.Join(t.TempDir(), "public"), filepath.Join(t.TempDir(), "public")
	frozenLog := cli(t, "build", "--source", merged, "--frozen", "--out", frozenOut)
	singleLog := cli(t, "build", "--source", single, "--out", singleOut)
	for _, log := range []string{frozenLog, singleLog} {
		if !strings.Contains(log, "8 snippets: 0 run, 8 cached") || !strings.Contains(log, "claims: round 1 of 2 of extra runs for inconclusive claims: 2 bench block(s), 0 run, 2 stored\n") {
			t.Errorf("a build from the merged store ran something:\n%s", log)
		}
	}
	a, b := readTree(t, frozenOut), readTree(t, singleOut)
	if len(a) == 0 || len(a) != len(b) {
		t.Errorf("the frozen render wrote %d files, the single build %d", len(a), len(b))
	}
	for name, data := range a {
		if b[name] != data {
			t.Errorf("%s differs between the sharded and the single-machine build", name)
		}
	}
	// Each page's legend says its claim rests on more runs than its table.
	for _, c := range []struct{ page, claim string }{{"posts/fresh/index.html", "Fast &lt; Slow"}, {"posts/stored/index.html", "Fast &lt;= 0.5x Slow"}} {
		if !regexp.MustCompile(`<dt>claims</dt><dd><q>` + regexp.QuoteMeta(c.claim) + `</q> (holds on|was not confirmed even on) more runs than the table shows: the table’s runs and (a round|2 rounds) of extra runs of Fast and Slow`).MatchString(a[c.page]) {
			t.Errorf("%s: the legend does not say which runs %s was judged on", c.page, c.claim)
		}
	}

	// A false claim in a new block: the shard that runs it fails at the
	// fence (the others pass: not theirs to judge), and so do the frozen
	// build from every shard's store and a single build, with the same
	// figures.
	writeInto(t, merged, map[string]string{"content/posts/false.md": claimPost("False", "Slow < Fast", 3)})
	for i := range machines {
		machines[i] = filepath.Join(t.TempDir(), "site")
		copyTree(t, merged, machines[i])
	}
	var refuted []string
	for i, m := range machines {
		out, _, err := runShard(m, i+1, len(machines))
		switch line := refutedFalse.FindString(out); {
		case err != nil && line != "":
			refuted = append(refuted, line)
		case err != nil:
			sandboxOrSkip(t, out)
			t.Fatalf("shard %d/4: %v\n%s", i+1, err, out)
		case line != "":
			t.Errorf("shard %d/4 passed, saying:\n%s", i+1, out)
		}
	}
	if len(refuted) != 1 {
		t.Fatalf("%d shards failed on the false claim, want 1: %q", len(refuted), refuted)
	}
	final := mergeInto(t, merged, machines)
	for _, args := range [][]string{{"--frozen"}, nil} {
		out, err := cliCommand(append([]string{"build", "--source", final, "--out", filepath.Join(t.TempDir(), "public")}, args...)...).CombinedOutput()
		if line := refutedFalse.FindString(string(out)); err == nil || line != refuted[0] {
			t.Errorf("build %s: %v, saying\n%s\nwant it to fail with\n%s", strings.Join(args, " "), err, out, refuted[0])
		}
	}
}

// TestShardFlags: --shard is checked before anything runs, and refuses
// flags that make no sense for a build that renders nothing.
func TestShardFlags(t *testing.T) {
	site := writeFiles(t, map[string]string{"config.yaml": "title: T\nplayground:\n  frozenInCI: true\n"})
	for _, tc := range []struct {
		args []string
		env  string
		code int
		want string
	}{
		{[]string{"--shard", "0/4"}, "", 2, `benchpress: --shard "0/4": shards are numbered from 1 to 4 (--shard 1/4 ... 4/4)`},
		{[]string{"--shard", "2of4"}, "", 2, `benchpress: --shard "2of4": want I/N, the shard I of N shards, numbered from 1 (e.g. --shard 2/4)`},
		{[]string{"--shard", "1/4", "--frozen"}, "", 2, `benchpress: --shard 1/4: --frozen runs no snippet: use it for the final render, after merging the shards' stores`},
		{[]string{"--shard", "1/4", "--prune"}, "", 2, `benchpress: --shard 1/4: --prune deletes what other shards need: prune after merging`},
		{[]string{"--shard", "1/4", "--out", "x"}, "", 2, `benchpress: --shard 1/4: --out: a shard build writes no output`},
		{[]string{"--shard", "1/4"}, "CI=true", 1, `benchpress: --shard runs snippets, but config.yaml sets playground.frozenInCI and CI=true makes this build --frozen: drop frozenInCI to shard the runs in CI`},
	} {
		cmd := cliCommand(append([]string{"build", "--source", site}, tc.args...)...)
		cmd.Env = append(cmd.Env, "CI=")
		if tc.env != "" {
			cmd.Env = append(cmd.Env, tc.env)
		}
		out, err := cmd.CombinedOutput()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != tc.code || strings.TrimSpace(string(out)) != tc.want {
			t.Errorf("build %s: %v\n%s\nwant exit status %d and\n%s", strings.Join(tc.args, " "), err, out, tc.code, tc.want)
		}
	}
}

// TestMergeResultsCLI: merge-results names the store it merges into and
// fails, merging nothing, on a conflict.
func TestMergeResultsCLI(t *testing.T) {
	root := t.TempDir()
	key := strings.Repeat("ab", 16)
	writeInto(t, root, map[string]string{"a/" + key + ".json": "{}", "config.yaml": "title: T\n"})
	out, err := cliCommand("merge-results", "--source", root, filepath.Join(root, "a")).CombinedOutput()
	want := fmt.Sprintf("benchpress: merge-results: 1 problem; nothing was merged:\n\t%s/a/%s.json: corrupt entry: it has no inputs or no result status\n", root, key)
	if err == nil || string(out) != want {
		t.Errorf("merge-results: %v\n%s\nwant\n%s", err, out, want)
	}
	if out, err := cliCommand("merge-results", "--source", root).CombinedOutput(); err == nil || !bytes.Contains(out, []byte("merge-results needs the stores to merge")) {
		t.Errorf("merge-results without stores: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(root, ".benchpress")); !os.IsNotExist(err) {
		t.Errorf("a failed merge created the store: %v", err)
	}
}

// BenchmarkShards prints the wall time of one shard running all 40 small
// programs of a site against four shards: run at once (four processes on
// this machine's cores, "concurrent"), and run one after another, each
// alone as on a machine of its own ("matrix": s/build is then the slowest
// shard, the wall time of a CI matrix of four machines like this one).
// Each iteration starts from an empty results store; the Go build cache
// stays warm, as a CI machine's does when it caches it.
func BenchmarkShards(b *testing.B) {
	for _, bc := range []struct {
		name   string
		n      int
		matrix bool
	}{{"shards=1", 1, false}, {"shards=4/concurrent", 4, false}, {"shards=4/matrix", 4, true}} {
		b.Run(bc.name, func(b *testing.B) {
			src := filepath.Join(b.TempDir(), "site")
			writeInto(b, src, shardSite(0, 40, 0))
			var wall, cpu time.Duration
			for b.Loop() {
				b.StopTimer()
				sites := make([]string, bc.n)
				for i := range sites {
					sites[i] = filepath.Join(b.TempDir(), "site")
					copyTree(b, src, sites[i])
				}
				b.StartTimer()
				if !bc.matrix {
					start := time.Now()
					_, c := runShards(b, sites)
					wall += time.Since(start)
					cpu += c
					continue
				}
				var slowest time.Duration
				for i, site := range sites {
					start := time.Now()
					out, c, err := runShard(site, i+1, bc.n)
					if err != nil {
						sandboxOrSkip(b, out)
						b.Fatalf("shard %d: %v\n%s", i+1, err, out)
					}
					slowest = max(slowest, time.Since(start))
					cpu += c
				}
				wall += slowest
			}
			b.ReportMetric(wall.Seconds()/float64(b.N), "s/build")
			b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/build")
		})
	}
}
