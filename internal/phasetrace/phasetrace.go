// Package phasetrace times the steps of one operation, such as serve's
// rebuild after a save, so that where the time goes can be read off one
// line: "debounce 20ms, load 2.1ms, go build 310ms, ...".
//
// A Trace travels in a context. Code on the path marks its steps with
// Begin, which costs one context lookup when nobody traces: the build's
// code needs no trace-specific arguments, and a build without a trace
// records nothing.
package phasetrace

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// A Trace collects the steps of one operation. It is safe for concurrent
// use: steps may overlap (programs run in parallel).
type Trace struct {
	start time.Time
	mu    sync.Mutex
	steps []Step
}

// Step is one timed step, relative to the trace's start.
type Step struct {
	Name       string
	Start, End time.Duration
}

// New returns a trace whose time zero is start.
func New(start time.Time) *Trace { return &Trace{start: start} }

type key struct{}

// With returns ctx carrying t.
func With(ctx context.Context, t *Trace) context.Context {
	return context.WithValue(ctx, key{}, t)
}

// From returns the trace ctx carries, or nil.
func From(ctx context.Context) *Trace {
	t, _ := ctx.Value(key{}).(*Trace)
	return t
}

// Begin starts a step named name on ctx's trace and returns the function
// that ends it; without a trace it does nothing.
func Begin(ctx context.Context, name string) func() {
	t := From(ctx)
	if t == nil {
		return func() {}
	}
	start := time.Now()
	return func() { t.Add(name, start, time.Now()) }
}

// Add records a step that ran from start to end. A nil Trace ignores it.
func (t *Trace) Add(name string, start, end time.Time) {
	if t == nil {
		return
	}
	t.mu.Lock()
	t.steps = append(t.steps, Step{Name: name, Start: start.Sub(t.start), End: end.Sub(t.start)})
	t.mu.Unlock()
}

// Steps returns the steps recorded so far, by start time; steps of the same
// name (one per program run, say) are kept apart.
func (t *Trace) Steps() []Step {
	t.mu.Lock()
	s := append([]Step(nil), t.steps...)
	t.mu.Unlock()
	sort.SliceStable(s, func(i, j int) bool { return s[i].Start < s[j].Start })
	return s
}

// Total sums the durations of the steps named name.
func (t *Trace) Total(name string) time.Duration {
	var d time.Duration
	for _, s := range t.Steps() {
		if s.Name == name {
			d += s.End - s.Start
		}
	}
	return d
}

// String is the breakdown on one line: each step with its duration and,
// in brackets, when it started, so nested and overlapping steps read
// plainly ("go build 301.2ms [@25.0ms]").
func (t *Trace) String() string {
	var b strings.Builder
	for i, s := range t.Steps() {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %v [@%v]", s.Name, round(s.End-s.Start), round(s.Start))
	}
	return b.String()
}

func round(d time.Duration) time.Duration {
	if d > 10*time.Millisecond {
		return d.Round(100 * time.Microsecond)
	}
	return d.Round(10 * time.Microsecond)
}
