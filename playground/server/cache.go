package server

import (
	"container/list"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sync"

	"github.com/benchpress/benchpress/playground"
)

// resultCache keeps the responses to the most recent distinct programs.
// Readers who press Run without editing send the author's program: many
// readers, one run.
type resultCache struct {
	size int
	mu   sync.Mutex
	lru  *list.List // of *cacheEntry, most recent first
	keys map[string]*list.Element
}

type cacheEntry struct {
	key  string
	resp Response
}

// maxCachedOutput keeps big outputs out of memory: the cache holds at most
// size times this.
const maxCachedOutput = 64 << 10

func newResultCache(size int) *resultCache {
	if size <= 0 {
		return nil
	}
	return &resultCache{size: size, lru: list.New(), keys: map[string]*list.Element{}}
}

// cacheKey hashes everything that decides a run's result.
func cacheKey(p *playground.Program) string {
	b, _ := json.Marshal(struct {
		Files   []playground.File
		Mode    playground.Mode
		Args    []string
		Stdin   []byte
		Timeout int64
		Bench   playground.BenchOptions
	}{p.Files, p.Mode, p.Args, p.Stdin, int64(p.Timeout), p.Bench})
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// cacheable says whether a result is a property of the program: what it
// printed and how it exited, not a kill that depends on the machine's load.
// Benchmarks are measurements: a rerun must measure.
func cacheable(p *playground.Program, res *playground.Result) bool {
	if p.Mode != playground.ModeRun {
		return false
	}
	switch res.Status {
	case playground.StatusOK, playground.StatusExit, playground.StatusCompileError:
	default:
		return false
	}
	n := 0
	for _, e := range res.Events {
		n += len(e.Data)
	}
	return n <= maxCachedOutput
}

func (c *resultCache) get(key string) (Response, bool) {
	if c == nil {
		return Response{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.keys[key]
	if !ok {
		return Response{}, false
	}
	c.lru.MoveToFront(el)
	return el.Value.(*cacheEntry).resp, true
}

func (c *resultCache) put(key string, resp Response) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.keys[key]; ok {
		el.Value.(*cacheEntry).resp = resp
		c.lru.MoveToFront(el)
		return
	}
	c.keys[key] = c.lru.PushFront(&cacheEntry{key, resp})
	for c.lru.Len() > c.size {
		el := c.lru.Back()
		c.lru.Remove(el)
		delete(c.keys, el.Value.(*cacheEntry).key)
	}
}

func (c *resultCache) len() int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len()
}
