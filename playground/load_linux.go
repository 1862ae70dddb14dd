package playground

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// userHZ is the unit of /proc/stat's counters: USER_HZ, 100 on every Linux
// architecture Go supports.
const userHZ = 100

// startLoad begins sampling the machine's load: the CPU counters of
// /proc/stat now and when stop is called, our own CPU time (this process
// and the children it has waited for) over the same span, and the load
// average once a second. stop returns nil when the counters cannot be
// read.
func startLoad() (stop func() *Load) {
	before, okBefore := readCPUStat()
	ownBefore := ownCPU()
	var mu sync.Mutex
	maxAvg := readLoadAvg()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				a := readLoadAvg()
				mu.Lock()
				maxAvg = max(maxAvg, a)
				mu.Unlock()
			}
		}
	}()
	return func() *Load {
		close(done)
		wg.Wait()
		after, okAfter := readCPUStat()
		own := ownCPU() - ownBefore
		if !okBefore || !okAfter {
			return nil
		}
		total := after.total - before.total
		if total <= 0 {
			return nil
		}
		busy := (after.busy - before.busy) - own.Seconds()*userHZ
		return &Load{
			Avg:    max(maxAvg, readLoadAvg()),
			Others: clamp01(busy / total),
			Steal:  clamp01((after.steal - before.steal) / total),
			CPUs:   after.cpus,
		}
	}
}

func clamp01(f float64) float64 { return min(max(f, 0), 1) }

// cpuStat is the all-CPUs line of /proc/stat, in USER_HZ ticks.
type cpuStat struct {
	total, busy, steal float64
	cpus               int
}

func readCPUStat() (cpuStat, bool) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return cpuStat{}, false
	}
	var s cpuStat
	ok := false
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if f[0] != "cpu" {
			if strings.HasPrefix(f[0], "cpu") {
				s.cpus++
			}
			continue
		}
		// user nice system idle iowait irq softirq steal [guest guest_nice]:
		// guest time is already counted in user and nice.
		var v [8]float64
		for i := 0; i < len(v) && i+1 < len(f); i++ {
			v[i], _ = strconv.ParseFloat(f[i+1], 64)
		}
		s.busy = v[0] + v[1] + v[2] + v[5] + v[6]
		s.steal = v[7]
		for _, x := range v {
			s.total += x
		}
		ok = len(f) >= 5
	}
	if s.cpus == 0 {
		s.cpus = runtime.NumCPU()
	}
	return s, ok
}

// ownCPU is the CPU time of this process and of every child it has
// waited for (a sandbox's init counts its program's time in turn).
func ownCPU() time.Duration {
	var self, kids syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &self) != nil || syscall.Getrusage(syscall.RUSAGE_CHILDREN, &kids) != nil {
		return 0
	}
	tv := func(t syscall.Timeval) time.Duration { return time.Duration(t.Nano()) }
	return tv(self.Utime) + tv(self.Stime) + tv(kids.Utime) + tv(kids.Stime)
}

// readLoadAvg is the one-minute load average, 0 if unreadable.
func readLoadAvg() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0
	}
	a, _ := strconv.ParseFloat(f[0], 64)
	return a
}
