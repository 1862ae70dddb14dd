package generator

import (
	"time"

	"golang.org/x/sys/windows"
)

func cpuTime() cpuTimes {
	var creation, exit, kernel, user windows.Filetime
	windows.GetProcessTimes(windows.CurrentProcess(), &creation, &exit, &kernel, &user)
	// A Filetime counts 100-ns intervals.
	ticks := func(f windows.Filetime) time.Duration {
		return time.Duration(int64(f.HighDateTime)<<32|int64(f.LowDateTime)) * 100
	}
	return cpuTimes{ticks(user), ticks(kernel)}
}
