package parallel

import (
	"sync/atomic"
	"testing"
)

func TestFor(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 1000} {
		var calls atomic.Int64
		seen := make([]atomic.Int32, n)
		For(n, func(i int) {
			calls.Add(1)
			seen[i].Add(1)
		})
		if calls.Load() != int64(n) {
			t.Errorf("n=%d: %d calls", n, calls.Load())
		}
		for i := range seen {
			if seen[i].Load() != 1 {
				t.Errorf("n=%d: index %d ran %d times", n, i, seen[i].Load())
			}
		}
	}
}
