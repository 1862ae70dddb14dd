package main

import (
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/benchpress/benchpress/generator/config"
	"github.com/benchpress/benchpress/generator/diag"
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
	if pcfg.Sandbox == "remote" {
		pcfg.Remote.Token = os.Getenv(playground.TokenEnv)
		pcfg.Remote.Vouched = os.Getenv(playground.RunnerURLEnv)
		pcfg.Remote.Version = benchpressVersion()
	}
	r, err := playground.New(pcfg)
	if err != nil {
		return nil, diag.Errorf(config.File, 0, "%v", err)
	}
	return r, nil
}

// benchpressVersion is this binary's version, as `benchpress version`
// prints it (see versionOf).
func benchpressVersion() string {
	bi, _ := debug.ReadBuildInfo()
	return versionOf(version, bi)
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
		// A block's rounds of extra runs (liverun.ExtraRunsID) are
		// rerun with it.
		// So are an explorable block's combinations (target?vnodes=10).
		return func(id string) bool {
			return id == target || strings.HasPrefix(id, target+"#extra") || strings.HasPrefix(id, target+"?")
		}
	}
	return func(id string) bool {
		post, _, _ := strings.Cut(id, "#")
		return post == target
	}
}
