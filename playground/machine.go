package playground

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"
)

// MachineID is a short name for this computer in environment stamps: eight
// hex digits of an HMAC keyed by the system's machine ID (the secret that
// /etc/machine-id holds; systemd's advice for an application-specific ID),
// over benchpress's name and the host name. It is the same for every run
// on one machine and differs between machines, including CI runners
// cloned from one image (they differ in host name), and it reveals neither
// the machine ID nor the host name. Without a machine ID, the key is the
// boot ID, so the name then lasts until the next boot.
var MachineID = sync.OnceValue(func() string {
	host, _ := os.Hostname()
	return machineID(readID("/etc/machine-id", "/var/lib/dbus/machine-id", "/proc/sys/kernel/random/boot_id"), host)
})

func machineID(secret, host string) string {
	if secret == "" && host == "" {
		return ""
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("benchpress machine\x00" + host))
	return hex.EncodeToString(m.Sum(nil)[:4])
}

// readID returns the first non-empty file of paths, trimmed.
func readID(paths ...string) string {
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			if id := strings.TrimSpace(string(b)); id != "" {
				return id
			}
		}
	}
	return ""
}

// currentEnv is the environment stamp of a run made now.
func currentEnv() Env {
	return Env{
		GoVersion: runtime.Version(),
		GOOS:      runtime.GOOS,
		GOARCH:    runtime.GOARCH,
		CPU:       cpuModel(),
		NumCPU:    runtime.NumCPU(),
		RanAt:     time.Now().UTC().Truncate(time.Second),
		Machine:   MachineID(),
	}
}

var cpuModel = sync.OnceValue(func() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
})
