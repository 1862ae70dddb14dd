package playground

import (
	"context"
	"fmt"
	"os"
)

// warmProgram imports what readers' and authors' programs most often do.
const warmProgram = `package main

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"time"
)

func main() {
	var mu sync.Mutex
	mu.Lock()
	s := []int{rand.IntN(3), 2, 1}
	sort.Ints(s)
	fmt.Println(strings.Repeat("ok", 1), s[0] >= 0, time.Duration(0))
	mu.Unlock()
}
`

// Warm builds and runs one small program, storing nothing, so that the
// next program does not pay for what only the first one on a machine or
// in a process pays: compiling the standard packages it imports the way
// programs are built (a Go build cache that never saw these flags takes
// seconds), and reading the sandbox's binary from disk. The playground
// server calls it when it starts, before its first reader.
func (r *Runner) Warm(ctx context.Context) error {
	if r.remote != nil || r.cfg.Frozen {
		return nil
	}
	tc, root, err := r.buildRoot(ctx)
	if err != nil {
		return err
	}
	defer os.RemoveAll(root)
	p := &Program{ID: "warm-up", Mode: ModeRun, Files: []File{{Name: "main.go", Data: []byte(warmProgram)}}}
	t := &task{prog: p}
	wait, err := r.buildAll(ctx, tc, root, []*task{t})
	if werr := wait(); err == nil {
		err = werr
	}
	if err != nil {
		return err
	}
	if t.job.bin == "" {
		return fmt.Errorf("warm-up program does not compile:\n%s", t.job.out)
	}
	res, err := r.execute(ctx, t)
	if err != nil {
		return err
	}
	if res.Status != StatusOK {
		return fmt.Errorf("warm-up program: %s\n%s", res.Status, res.Stderr())
	}
	return nil
}
