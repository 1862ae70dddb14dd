package benchstats

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"golang.org/x/perf/benchunit"
)

func TestFormatRatio(t *testing.T) {
	for _, tt := range []struct {
		r    float64
		want string
	}{{1, "1.00×"}, {0.5, "0.50×"}, {0.2412, "0.24×"}, {4.1943, "4.19×"}, {9.996, "10.0×"}, {12.34, "12.3×"}, {230.4, "230×"},
		{0.05, "0.05×"}, {0.0567, "0.057×"}, {0.0012, "0.0012×"}, {0, "0.00×"}, {math.NaN(), "?"}} {
		if got := FormatRatio(tt.r); got != tt.want {
			t.Errorf("FormatRatio(%v) = %s, want %s", tt.r, got, tt.want)
		}
	}
}

func TestSpellValue(t *testing.T) {
	unit := func(name string) Unit { return Unit{Name: name, Class: benchunit.ClassOf(name)} }
	for _, tt := range []struct {
		v     float64
		unit  string
		perOp bool
		want  string
	}{
		{32.42e-9, "sec/op", true, "32.42 ns/op"}, {1.539e-6, "sec/op", true, "1.539 µs/op"}, {2.5, "sec/op", true, "2.500 s/op"},
		{100e-9, "sec/op", false, "100.0 ns"}, {0, "B/op", true, "0 B/op"}, {192, "B/op", true, "192 B/op"},
		{192.5, "B/op", true, "192.5 B/op"}, {2048, "B/op", true, "2.000 KiB/op"}, {0, "allocs/op", true, "0 allocs/op"},
		{3, "allocs/op", false, "3 allocs"}, {12.5e6, "B/s", true, "11.92 MiB/s"}, {1.2e6, "incs/s", true, "1.200M incs/s"},
		{math.NaN(), "sec/op", true, "?"},
	} {
		if got := SpellValue(tt.v, unit(tt.unit), tt.perOp); got != tt.want {
			t.Errorf("SpellValue(%v, %s, %v) = %q, want %q", tt.v, tt.unit, tt.perOp, got, tt.want)
		}
	}
}

// TestWarnings: the reader's Rerun gets the page's cautions as plain
// sentences.
func TestWarnings(t *testing.T) {
	raw := "goos: linux\ngoarch: amd64\nBenchmarkA-2 \t 1000\t 100 ns/op\nBenchmarkA-2 \t 1000\t 101 ns/op\nBenchmarkA-2 oops\n"
	res, err := Analyse(raw, "")
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(res.Warnings(), "\n")
	want := "Too few runs for a confidence interval. Every benchmark ran fewer than 6 times, so no interval is shown. Their medians may be noise.\n" +
		"1 line of output could not be read as a result and is left out (line 5: parsing iteration count: invalid syntax)."
	if got != want {
		t.Errorf("warnings:\n%s\nwant:\n%s", got, want)
	}
	var noisy strings.Builder
	for _, v := range []int{100, 180, 90, 250, 110, 60} {
		fmt.Fprintf(&noisy, "BenchmarkA-2 \t 1000\t %d ns/op\n", v)
	}
	if res, err = Analyse(noisy.String(), ""); err != nil {
		t.Fatal(err)
	}
	res.Noise = 0.1
	want = "Noisy measurements. The time of A (±138%) varied more than ±10% between runs, so its median is uncertain and may move on a rerun."
	if got := strings.Join(res.Warnings(), "\n"); got != want {
		t.Errorf("noise warning:\n%s\nwant:\n%s", got, want)
	}
}
