package phasetrace

import (
	"context"
	"sync"
	"testing"
	"time"
)

func TestTrace(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tr := New(t0)
	tr.Add("run", t0.Add(30*time.Millisecond), t0.Add(40*time.Millisecond))
	tr.Add("debounce", t0, t0.Add(20*time.Millisecond))
	tr.Add("run", t0.Add(35*time.Millisecond), t0.Add(38*time.Millisecond))
	tr.Add("go build", t0.Add(20*time.Millisecond), t0.Add(20*time.Millisecond+1500*time.Microsecond))
	want := "debounce 20ms [@0s], go build 1.5ms [@20ms], run 10ms [@30ms], run 3ms [@35ms]"
	if got := tr.String(); got != want {
		t.Errorf("String() = %q\nwant       %q", got, want)
	}
	if got := tr.Total("run"); got != 13*time.Millisecond {
		t.Errorf("Total(run) = %v, want 13ms", got)
	}
	if got := tr.Total("absent"); got != 0 {
		t.Errorf("Total(absent) = %v, want 0", got)
	}
}

// TestBegin: without a trace in the context Begin records nothing (and
// a nil Trace ignores Add); with one, steps from many goroutines all land.
func TestBegin(t *testing.T) {
	Begin(context.Background(), "nothing")()
	var none *Trace
	none.Add("x", time.Now(), time.Now())
	if From(context.Background()) != nil {
		t.Fatal("From found a trace in an empty context")
	}

	tr := New(time.Now())
	ctx := With(context.Background(), tr)
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() { Begin(ctx, "step")() })
	}
	wg.Wait()
	if n := len(tr.Steps()); n != 50 {
		t.Errorf("%d steps recorded, want 50", n)
	}
	for _, s := range tr.Steps() {
		if s.Name != "step" || s.End < s.Start || s.Start < 0 {
			t.Errorf("bad step %+v", s)
		}
	}
}
