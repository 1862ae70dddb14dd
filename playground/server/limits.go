package server

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
)

// rateLimiter is a token bucket per client: each holds up to burst tokens,
// refilled at rate per second; a request takes one.
type rateLimiter struct {
	rate, burst float64
	now         func() time.Time

	mu      sync.Mutex
	clients map[string]*bucket
	sweepAt int // forget full buckets when the map reaches this size
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newRateLimiter(rate float64, burst int) *rateLimiter {
	return &rateLimiter{rate: rate, burst: float64(burst), now: time.Now, clients: map[string]*bucket{}, sweepAt: 1024}
}

// allow takes a token of client's bucket, or says how long until there is
// one.
func (l *rateLimiter) allow(client string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.clients[client]
	if b == nil {
		if len(l.clients) >= l.sweepAt {
			l.sweep(now)
		}
		b = &bucket{tokens: l.burst, last: now}
		l.clients[client] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

// sweep forgets the clients whose buckets have refilled: a new bucket is
// full, so forgetting them changes nothing. Sweeping only when the map has
// doubled keeps the cost per request constant.
func (l *rateLimiter) sweep(now time.Time) {
	refill := time.Duration(l.burst / l.rate * float64(time.Second))
	for k, b := range l.clients {
		if now.Sub(b.last) >= refill {
			delete(l.clients, k)
		}
	}
	l.sweepAt = max(1024, 2*len(l.clients))
}

func (l *rateLimiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.clients)
}

var (
	errBusy     = errors.New("too many programs running and waiting")
	errDraining = errors.New("shutting down")
)

// gate bounds the runs in progress and the requests waiting for one.
type gate struct {
	slots    chan struct{}
	queue    int
	draining chan struct{}
	drainMu  sync.Once

	mu     sync.Mutex
	wait   int
	avgRun time.Duration // moving average of run times, for Retry-After
}

func newGate(concurrency, queue int) *gate {
	return &gate{slots: make(chan struct{}, concurrency), queue: queue, draining: make(chan struct{}), avgRun: time.Second}
}

// enter waits for a run slot and returns the function that gives it back.
// It fails at once with errBusy when the queue is full, with errDraining
// when the server shuts down first, and with ctx's error when the client
// leaves.
func (g *gate) enter(ctx context.Context) (func(time.Duration), error) {
	select {
	case <-g.draining:
		return nil, errDraining
	default:
	}
	select {
	case g.slots <- struct{}{}:
		return g.leave, nil
	default:
	}
	g.mu.Lock()
	if g.wait >= g.queue {
		g.mu.Unlock()
		return nil, errBusy
	}
	g.wait++
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		g.wait--
		g.mu.Unlock()
	}()
	// A freed slot goes to a blocked sender first, so waiters are served
	// before newcomers take the fast path above.
	select {
	case g.slots <- struct{}{}:
		return g.leave, nil
	case <-g.draining:
		return nil, errDraining
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// leave frees a slot, recording how long its run took.
func (g *gate) leave(ran time.Duration) {
	g.mu.Lock()
	g.avgRun = (7*g.avgRun + ran) / 8
	g.mu.Unlock()
	<-g.slots
}

// retryAfter estimates when a refused request could be taken: the time for
// the queue ahead of it to drain, in whole seconds, at least 1.
func (g *gate) retryAfter() time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	d := g.avgRun * time.Duration(g.wait+cap(g.slots)) / time.Duration(cap(g.slots))
	return max(time.Second, min(time.Minute, d))
}

func (g *gate) drain() { g.drainMu.Do(func() { close(g.draining) }) }

func (g *gate) isDraining() bool {
	select {
	case <-g.draining:
		return true
	default:
		return false
	}
}

func (g *gate) running() int { return len(g.slots) }

func (g *gate) waiting() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.wait
}

// seconds rounds a Retry-After up to whole seconds, at least 1.
func seconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}

// ParseRate reads a rate limit written as "20/m", "1/s", "300/h" or a
// number per second; "0" or "off" turns the limit off.
func ParseRate(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "off" {
		return 0, nil
	}
	num, unit, ok := strings.Cut(s, "/")
	per := 1.0
	if ok {
		switch unit {
		case "s", "sec", "second":
		case "m", "min", "minute":
			per = 60
		case "h", "hour":
			per = 3600
		default:
			return 0, fmt.Errorf("rate %q: the unit after / must be s, m or h", s)
		}
	}
	n, err := strconv.ParseFloat(num, 64)
	if err != nil || n < 0 || math.IsInf(n, 0) || math.IsNaN(n) {
		return 0, fmt.Errorf("rate %q: want e.g. 20/m, 1/s or off", s)
	}
	return n / per, nil
}

// perClient counts each client's runs in progress.
type perClient struct {
	max  int
	mu   sync.Mutex
	runs map[string]int
}

// take counts a run for client, or refuses when it has max already.
func (p *perClient) take(client string) bool {
	if p.max < 0 {
		return true
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.runs[client] >= p.max {
		return false
	}
	p.runs[client]++
	return true
}

func (p *perClient) give(client string) {
	if p.max < 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.runs[client]--; p.runs[client] <= 0 {
		delete(p.runs, client)
	}
}
