package main

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/benchpress/benchpress/generator"
	"github.com/benchpress/benchpress/playground"
)

// PLACEHOLDER until the playground lands: wires playground.Runner into the generator.
type runnerOptions struct {
	rerun, sandbox string
	frozen         bool
	log            io.Writer
}

type snippetRunner struct{}

func newSnippetRunner(root string, cfg *generator.Config, o runnerOptions) (*snippetRunner, error) {
	return &snippetRunner{}, nil
}

func (r *snippetRunner) RunAll(ctx context.Context, ps []playground.Program, progress func(int, int, string)) ([]playground.Result, []error) {
	errs := make([]error, len(ps))
	for i := range errs {
		errs[i] = errors.New("playground not built yet")
	}
	return make([]playground.Result, len(ps)), errs
}
func (r *snippetRunner) oldest() time.Time   { return time.Time{} }
func (r *snippetRunner) prune() (int, error) { return 0, nil }
