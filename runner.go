package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/benchpress/benchpress/generator"
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
func newSnippetRunner(root string, cfg *generator.Config, o runnerOptions) (*playground.Runner, error) {
	pc := cfg.Playground
	sandbox := pc.Sandbox
	if o.sandbox != "" {
		sandbox = o.sandbox
	}
	pcfg := playground.Config{
		Sandbox:     sandbox,
		Limits:      playground.Limits{Timeout: pc.Timeout, Memory: int64(pc.Memory), Output: int64(pc.Output)},
		Parallelism: pc.Parallelism,
		Results:     filepath.Join(root, pc.Results),
		Frozen:      o.frozen,
		Shard:       o.shard,
		Rerun:       rerunMatcher(o.rerun),
		Log:         o.log,
	}
	if pc.Modules != "" {
		pcfg.Modules = filepath.Join(root, pc.Modules)
	}
	r, err := playground.New(pcfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", generator.ConfigFile, err)
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
		return func(id string) bool { return id == target }
	}
	return func(id string) bool {
		post, _, _ := strings.Cut(id, "#")
		return post == target
	}
}
