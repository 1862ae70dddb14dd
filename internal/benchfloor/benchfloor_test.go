package benchfloor

import (
	"slices"
	"testing"
	"time"
)

// TestPaired: the floor goes first on even pairs and second on odd ones,
// and each ratio is its own pair's.
func TestPaired(t *testing.T) {
	var order []string
	p := Paired(4, func(r int) time.Duration {
		order = append(order, "m")
		return time.Duration(2*(r+1)) * time.Millisecond
	}, func(r int) time.Duration {
		order = append(order, "f")
		return time.Duration(r+1) * time.Millisecond
	})
	if want := []string{"f", "m", "m", "f", "f", "m", "m", "f"}; !slices.Equal(order, want) {
		t.Errorf("order %v, want %v", order, want)
	}
	if !slices.Equal(p.Ratios, []float64{2, 2, 2, 2}) || len(p.Measured) != 4 || p.Floors[3] != 4*time.Millisecond {
		t.Errorf("pairs %+v", p)
	}
}

func TestMedian(t *testing.T) {
	xs := []float64{3, 1, 2}
	if got := Median(xs); got != 2 {
		t.Errorf("Median = %v, want 2", got)
	}
	if !slices.Equal(xs, []float64{3, 1, 2}) {
		t.Error("Median sorted its argument")
	}
	if got := Median([]int{4, 1, 3, 2}); got != 3 {
		t.Errorf("Median of an even count = %v, want the upper middle 3", got)
	}
}
