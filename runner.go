package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/benchpress/benchpress/generator/config"
	"github.com/benchpress/benchpress/playground"
)

// runnerOptions are the build flags that shape how snippets run.
type runnerOptions struct {
	rerun, sandbox string
	frozen         bool
	shard          playground.Shard
	log            io.Writer
}

// newSnippetRunner builds the playground Runner a site build uses, from
// config.yaml's playground section and the build flags.
func newSnippetRunner(root string, cfg *config.Config, o runnerOptions) (*playground.Runner, error) {
	pcfg := cfg.Playground.Runner(root)
	if o.sandbox != "" {
		pcfg.Sandbox = o.sandbox
	}
	pcfg.Frozen = o.frozen
	pcfg.Shard = o.shard
	pcfg.Rerun = rerunMatcher(o.rerun)
	pcfg.Log = o.log
	r, err := playground.New(pcfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", config.File, err)
	}
	return r, nil
}

// rerunMatcher turns --rerun's value into a predicate on program IDs
// ("content/posts/x.md#name" or "content/posts/x.md#3"): "all", a post, or
// one named block of a post.
func rerunMatcher(target string) func(id string) bool {
	switch target {
	case "":
		return nil
	case "all":
		return func(string) bool { return true }
	}
	target = filepath.ToSlash(filepath.Clean(target))
	if strings.Contains(target, "#") {
		// A block's rounds of extra runs (generator.ExtraRunsID) are
		// rerun with it.
		return func(id string) bool { return id == target || strings.HasPrefix(id, target+"#extra") }
	}
	return func(id string) bool {
		post, _, _ := strings.Cut(id, "#")
		return post == target
	}
}
