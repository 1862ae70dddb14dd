package server

import (
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/benchpress/benchpress/internal/benchfloor"
	"github.com/benchpress/benchpress/playground"
)

// BenchmarkReaderRun is issue 34's figure for a reader's Edit & Run: an
// edited program through the API on loopback (build, sandboxed run, one
// HTTP round trip), against the floor, `go build` of the same program in
// a module and running it. Each run is paired with a floor measurement
// (ABBA); the figure is the median of the paired ratios. Also:
//
//   - first/floor: the first run of a server just started, with the Go
//     build cache warm (what `benchpress playground serve` then costs,
//     its warm-up aside), and first-empty-cache/floor: the same on a
//     machine whose build cache never built programs the playground's way
//     (the standard packages compile first), which the server's warm-up
//     at start takes off the first reader;
//   - queued/floor: one reader's run while 3 other readers keep the
//     server busy (runs at once: the cores; the rest queue).
func BenchmarkReaderRun(b *testing.B) {
	needSandbox(b)
	const reps = 9
	nonce := func() string { return strconv.FormatInt(time.Now().UnixNano(), 36) }
	edited := func(n string) string { return strings.Replace(helloWorld, "hello, world", "hello "+n, 1) }
	cfg := Config{Concurrency: runtime.NumCPU(), Queue: 64, CacheSize: -1, PerClient: -1}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	defer client.CloseIdleConnections()
	timed := func(url, body string) time.Duration {
		start := time.Now()
		if _, err := compile(client, url, body); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	for i := 0; i < b.N; i++ {
		// First runs: a new server each, its runner's first program.
		var first, firstCold []float64
		for r := 0; r < 3; r++ {
			url, _ := startServer(b, cfg)
			src := edited(nonce())
			fl := floorBuild(b, src)
			first = append(first, timed(url, src).Seconds()/fl.Seconds())

			pr, err := playground.New(playground.Config{Sandbox: "linux", CacheDir: b.TempDir(), Parallelism: cfg.Concurrency})
			if err != nil {
				b.Fatal(err)
			}
			c := cfg
			c.Runner = pr
			url, _ = startServer(b, c)
			src = edited(nonce())
			fl = floorBuild(b, src)
			firstCold = append(firstCold, timed(url, src).Seconds()/fl.Seconds())
		}

		url, _ := startServer(b, cfg)
		timed(url, edited(nonce()))
		srcs := make([]string, reps)
		for r := range srcs {
			srcs[r] = edited(nonce() + strconv.Itoa(r))
		}
		pairs := benchfloor.Paired(reps, func(r int) time.Duration { return timed(url, srcs[r]) },
			func(r int) time.Duration { return floorBuild(b, srcs[r]) })

		// Three other readers keep sending new programs meanwhile.
		var stop atomic.Bool
		var wg sync.WaitGroup
		for range 3 {
			wg.Go(func() {
				for !stop.Load() {
					compile(client, url, edited(nonce()))
				}
			})
		}
		// Against the floor measured without them: what the reader waits.
		var queued []float64
		for r := 0; r < 5; r++ {
			queued = append(queued, timed(url, edited(nonce())).Seconds()/benchfloor.Median(pairs.Floors).Seconds())
		}
		stop.Store(true)
		wg.Wait()

		b.ReportMetric(benchfloor.Ms(benchfloor.Median(pairs.Measured)), "run-ms")
		b.ReportMetric(benchfloor.Ms(benchfloor.Median(pairs.Floors)), "floor-ms")
		b.ReportMetric(benchfloor.Median(pairs.Ratios), "run/floor")
		b.ReportMetric(benchfloor.Median(first), "first/floor")
		b.ReportMetric(benchfloor.Median(firstCold), "first-empty-cache/floor")
		b.ReportMetric(benchfloor.Median(queued), "queued/floor")
		b.ReportMetric(benchfloor.LoadAvg(), "load-avg")
	}
}

// floorBuild is the floor for a one-file program (benchfloor.Floor).
func floorBuild(b *testing.B, src string) time.Duration {
	return benchfloor.Floor(b, playground.Program{Files: []playground.File{{Name: "main.go", Data: []byte(src)}}})
}
