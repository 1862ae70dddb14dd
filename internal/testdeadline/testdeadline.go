// Package testdeadline scales the deadlines of tests that wait for
// something (a browser step, a program to reach its memory cap, a file
// watcher's event) to how busy the machine is, so that a test which waits
// for a condition fails when the condition never comes, not when the
// machine is slow to bring it.
//
// The factor is BENCHPRESS_TEST_SLOWDOWN when set (a number, at least 1:
// a CI runner known to be slow sets it once); otherwise the machine's
// one-minute load average per CPU, read from /proc/loadavg where there is
// one, at least 1 and at most MaxFactor. A quiet machine gets the
// deadlines as written.
package testdeadline

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// MaxFactor bounds the factor taken from the load, so that a test stuck
// for real still fails in reasonable time on a machine that is swamped.
const MaxFactor = 10

// Scale returns d times Factor().
func Scale(d time.Duration) time.Duration {
	return time.Duration(float64(d) * Factor())
}

// Factor is how much slower than a quiet machine this one is taken to be:
// BENCHPRESS_TEST_SLOWDOWN, else the load average per CPU, at least 1.
func Factor() float64 {
	if f, ok := parseFactor(os.Getenv("BENCHPRESS_TEST_SLOWDOWN")); ok {
		return f
	}
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 1
	}
	return loadFactor(string(b), runtime.NumCPU())
}

// parseFactor reads BENCHPRESS_TEST_SLOWDOWN; a value below 1 counts as 1.
func parseFactor(s string) (float64, bool) {
	if s == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != f {
		return 0, false
	}
	return max(f, 1), true
}

// loadFactor is the one-minute load average of a /proc/loadavg line per
// CPU, between 1 and MaxFactor.
func loadFactor(loadavg string, cpus int) float64 {
	fields := strings.Fields(loadavg)
	if len(fields) == 0 || cpus < 1 {
		return 1
	}
	load, err := strconv.ParseFloat(fields[0], 64)
	if err != nil || load != load {
		return 1
	}
	return min(max(load/float64(cpus), 1), MaxFactor)
}
