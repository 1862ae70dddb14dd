package playground

import (
	"fmt"
	"strconv"
)

// Load is how busy the machine was while a benchmark ran, from the
// kernel's counters read when it started and when it ended: a reader of
// its figures can tell a quiet machine from a shared CI runner.
type Load struct {
	// Avg is the highest one-minute load average seen while it ran. It is
	// shown, not judged: it counts the benchmark's own threads (a
	// RunParallel benchmark at -cpu=4 makes four) and lags a minute
	// behind, so it cannot say whether something else was busy.
	Avg float64
	// Others is the share of all the CPUs' time that went to processes
	// other than this build and the programs it ran: 0.5 on two CPUs is
	// one CPU kept busy elsewhere.
	Others float64
	// Steal is the share of all the CPUs' time the hypervisor gave to
	// other guests (0 where the kernel reports none).
	Steal float64
	// CPUs is how many CPUs the counters cover.
	CPUs int
}

// BusyOthers and BusySteal are the shares of the CPUs' time above which a
// benchmark's machine counts as busy: beyond a quarter of the machine
// working elsewhere (or a tenth stolen by the hypervisor) its figures
// measure the neighbours as much as the code.
const (
	BusyOthers = 0.25
	BusySteal  = 0.10
)

// Busy reports whether the machine was busy enough that the figures
// measured under it deserve a warning.
func (l *Load) Busy() bool {
	return l != nil && (l.Others > BusyOthers || l.Steal > BusySteal)
}

// String describes the load for a stamp or a warning: "other processes
// took 41% of 2 CPUs, steal 0%, load average 3.12".
func (l *Load) String() string {
	if l == nil {
		return ""
	}
	return fmt.Sprintf("other processes took %s of %d CPUs, steal %s, load average %s",
		pct(l.Others), l.CPUs, pct(l.Steal), strconv.FormatFloat(l.Avg, 'f', 2, 64))
}

func pct(f float64) string { return strconv.FormatFloat(f*100, 'f', 0, 64) + "%" }
