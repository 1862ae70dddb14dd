package testdeadline

import (
	"testing"
	"time"
)

func TestLoadFactor(t *testing.T) {
	for _, tc := range []struct {
		loadavg string
		cpus    int
		want    float64
	}{
		{"0.52 0.40 0.33 1/180 4242\n", 2, 1},
		{"2.00 1.00 1.00 3/180 4242\n", 2, 1},
		{"10.00 8.00 4.00 12/300 4242\n", 2, 5},
		{"400.00 8.00 4.00 12/300 4242\n", 2, MaxFactor},
		{"7.5 1 1 1/1 1", 3, 2.5},
		{"", 2, 1},
		{"garbage", 2, 1},
		{"NaN 1 1", 2, 1},
		{"4.0", 0, 1},
	} {
		if got := loadFactor(tc.loadavg, tc.cpus); got != tc.want {
			t.Errorf("loadFactor(%q, %d) = %v, want %v", tc.loadavg, tc.cpus, got, tc.want)
		}
	}
}

func TestParseFactor(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want float64
		ok   bool
	}{
		{"", 0, false},
		{"3", 3, true},
		{"1.5", 1.5, true},
		{"0.5", 1, true}, // never shorter than written
		{"-2", 1, true},
		{"fast", 0, false},
		{"NaN", 0, false},
	} {
		if got, ok := parseFactor(tc.s); got != tc.want || ok != tc.ok {
			t.Errorf("parseFactor(%q) = %v, %v; want %v, %v", tc.s, got, ok, tc.want, tc.ok)
		}
	}
}

func TestScaleFromEnvironment(t *testing.T) {
	t.Setenv("BENCHPRESS_TEST_SLOWDOWN", "4")
	if got := Scale(3 * time.Second); got != 12*time.Second {
		t.Errorf("Scale(3s) with BENCHPRESS_TEST_SLOWDOWN=4 = %v, want 12s", got)
	}
	t.Setenv("BENCHPRESS_TEST_SLOWDOWN", "")
	if got := Scale(time.Second); got < time.Second || got > MaxFactor*time.Second {
		t.Errorf("Scale(1s) from the load = %v, want between 1s and %ds", got, MaxFactor)
	}
}
