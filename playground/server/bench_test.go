package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkServe measures hello-world runs through the API on loopback, with
// the real sandbox and the command's default server settings (runs at once:
// the cores; a queue deep enough that nothing is refused): requests/s and
// the median and 99th-percentile latency seen by 1, 4 and 16 concurrent
// clients. Every request is a distinct program, so each one builds and
// runs; "cached" sends one program again and again, which the server
// answers from memory. `make bench` runs it once (-benchtime 1x): each
// case then sends a fixed minimum of requests, so the percentiles mean
// something.
func BenchmarkServe(b *testing.B) {
	needSandbox(b)
	cases := []struct {
		name    string
		clients int
		same    bool
	}{
		{"clients=1", 1, false},
		{"clients=4", 4, false},
		{"clients=16", 16, false},
		{"cached/clients=16", 16, true},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			cache := -1
			if bc.same {
				cache = 0
			}
			url, _ := startServer(b, Config{Concurrency: runtime.NumCPU(), Queue: 64, CacheSize: cache, PerClient: -1})
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: bc.clients}}
			defer client.CloseIdleConnections()
			if _, err := compile(client, url, helloWorld); err != nil { // warm the toolchain and build cache
				b.Fatal(err)
			}
			n := max(b.N, 2*bc.clients, 24)
			if bc.same {
				n = max(b.N, 2000)
			}
			lat := make([]time.Duration, n)
			var next atomic.Int64
			var failed atomic.Value
			var wg sync.WaitGroup
			b.ResetTimer()
			start := time.Now()
			for range bc.clients {
				wg.Go(func() {
					for {
						i := int(next.Add(1) - 1)
						if i >= n {
							return
						}
						body := helloWorld
						if !bc.same {
							body = strings.Replace(helloWorld, "hello, world", "hello "+strconv.Itoa(i), 1)
						}
						t0 := time.Now()
						if _, err := compile(client, url, body); err != nil {
							failed.Store(err)
							return
						}
						lat[i] = time.Since(t0)
					}
				})
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			if err, _ := failed.Load().(error); err != nil {
				b.Fatal(err)
			}
			slices.Sort(lat)
			ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
			b.ReportMetric(float64(elapsed.Nanoseconds())/float64(n), "ns/op")
			b.ReportMetric(float64(n)/elapsed.Seconds(), "req/s")
			b.ReportMetric(ms(lat[n/2]), "p50-ms")
			b.ReportMetric(ms(lat[(n*99+99)/100-1]), "p99-ms")
		})
	}
}

// compile posts one program and checks it printed what hello world prints.
func compile(client *http.Client, url, body string) (Response, error) {
	b, _ := json.Marshal(Request{Body: body, Version: 2})
	res, err := client.Post(url+"/compile", "application/json", bytes.NewReader(b))
	if err != nil {
		return Response{}, err
	}
	defer res.Body.Close()
	var r Response
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
		return r, err
	}
	if res.StatusCode != 200 || r.Outcome != "ok" || !strings.HasPrefix(r.stream("stdout"), "hello") {
		return r, fmt.Errorf("status %d, outcome %s: %s %s", res.StatusCode, r.Outcome, r.Errors, r.stream("stdout"))
	}
	return r, nil
}
