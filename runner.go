package main

import (
	"errors"
	"io"
	"time"

	"github.com/benchpress/benchpress/generator"
)

// PLACEHOLDER until the playground lands: wires playground.Runner into the generator.
type runnerOptions struct {
	rerun, sandbox string
	frozen         bool
	log            io.Writer
}

type snippetRunner struct{ generator.SnippetRunner }

func newSnippetRunner(root string, cfg *generator.Config, o runnerOptions) (*snippetRunner, error) {
	return nil, errors.New("playground not built yet")
}
func (r *snippetRunner) summary(w io.Writer, st *generator.Stats) {}
func (r *snippetRunner) oldest() time.Time                        { return time.Time{} }
func (r *snippetRunner) prune() (int, error)                      { return 0, nil }
