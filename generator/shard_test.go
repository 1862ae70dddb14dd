package generator

import (
	"context"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/benchpress/benchpress/generator/output"
	"github.com/benchpress/benchpress/playground"
)

// shardRunner runs the programs whose IDs it is given and leaves the
// others to another shard, as a sharded playground Runner does.
type shardRunner struct {
	mine map[string]playground.Result
}

func (r *shardRunner) RunAll(ctx context.Context, ps []playground.Program, progress func(playground.Progress)) ([]playground.Result, []error) {
	res := make([]playground.Result, len(ps))
	errs := make([]error, len(ps))
	for i, p := range ps {
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
