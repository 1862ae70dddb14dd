// Package benchfloor is what the inner-loop benchmarks (issue 34) measure
// against and how: the floor, `go build` of a program in a fresh module
// with the user's own Go environment and build cache, then running it;
// measurements paired with the floor in ABBA order, so that a machine
// getting busier or quieter weighs on both alike; and medians of the
// pairs' ratios. The root package's and the playground server's
// benchmarks share it so that their figures are measured the same way.
package benchfloor

import (
	"bytes"
	"cmp"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/benchpress/benchpress/playground"
)

// Floor builds p in a fresh module with `go build` and runs it once with
// its arguments and standard input, and returns how long that took.
func Floor(tb testing.TB, p playground.Program) time.Duration {
	tb.Helper()
	dir := tb.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module floor\n\ngo 1.26\n"), 0o644)
	for _, f := range p.Files {
		name := filepath.Join(dir, filepath.FromSlash(f.Name))
		os.MkdirAll(filepath.Dir(name), 0o755)
		os.WriteFile(name, f.Data, 0o644)
	}
	bin := filepath.Join(dir, "floor.bin")
	start := time.Now()
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = dir
	if out, err := build.CombinedOutput(); err != nil {
		tb.Fatalf("floor: go build: %v\n%s", err, out)
	}
	run := exec.Command(bin, p.Args...)
	run.Dir = dir
	run.Stdin = bytes.NewReader(p.Stdin)
	if out, err := run.CombinedOutput(); err != nil {
		tb.Fatalf("floor: %v\n%s", err, out)
	}
	return time.Since(start)
}

// Pairs are measurements taken side by side with their floors.
type Pairs struct {
	Measured, Floors []time.Duration
	Ratios           []float64 // Measured[i] / Floors[i]
}

// Paired takes reps pairs: measure(r) and floor(r) for r = 0..reps-1, the
// floor first on even r and second on odd r (ABBA).
func Paired(reps int, measure, floor func(r int) time.Duration) Pairs {
	var p Pairs
	for r := range reps {
		var m, f time.Duration
		if r%2 == 0 {
			f = floor(r)
			m = measure(r)
		} else {
			m = measure(r)
			f = floor(r)
		}
		p.Measured, p.Floors = append(p.Measured, m), append(p.Floors, f)
		p.Ratios = append(p.Ratios, m.Seconds()/f.Seconds())
	}
	return p
}

// Median is the middle value of xs (the upper one of an even count).
func Median[T cmp.Ordered](xs []T) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// Ms is d in milliseconds, for b.ReportMetric.
func Ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// LoadAvg is the machine's one-minute load average (0 where unknown): the
// figures are worth comparing under similar load only.
func LoadAvg() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f, _ := strconv.ParseFloat(strings.Fields(string(b))[0], 64)
	return f
}
