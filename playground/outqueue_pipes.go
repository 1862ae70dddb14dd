package playground

import (
	"errors"
	"io"
	"os"
	"sync"
	"time"
)

// pipeQueue is the outputQueue of OSes without Linux's datagram queue
// (outqueue_linux.go): two pipes, one per stream. Each stream keeps its
// order exactly, but between a write to stdout and one to stderr close
// together the order is the order the reader saw them in, which may not
// be the program's. It is compiled on every OS so Linux tests it too.
type pipeQueue struct {
	stdout, stderr *os.File // the senders, the program's descriptors 1 and 2
	outR, errR     *os.File
}

func newPipeQueue() (*pipeQueue, error) {
	q := &pipeQueue{}
	var err error
	if q.outR, q.stdout, err = os.Pipe(); err != nil {
		return nil, err
	}
	if q.errR, q.stderr, err = os.Pipe(); err != nil {
		q.close()
		return nil, err
	}
	return q, nil
}

// closeSenders closes the host's copies of the program's descriptors, once
// the program has them.
func (q *pipeQueue) closeSenders() {
	for _, f := range []*os.File{q.stdout, q.stderr} {
		if f != nil {
			f.Close()
		}
	}
}

func (q *pipeQueue) close() {
	q.closeSenders()
	for _, f := range []*os.File{q.outR, q.errR} {
		if f != nil {
			f.Close()
		}
	}
}

// drainGrace is how long read goes on after done for a pipe still open: a
// process that left the program's process group may hold it for ever.
const drainGrace = time.Second

// read hands what each pipe carries to c until both are closed by every
// writer, or until drainGrace after done becomes readable (closed).
func (q *pipeQueue) read(c *capture, done *os.File) {
	var wg sync.WaitGroup
	for _, p := range []struct {
		s Stream
		r *os.File
	}{{Stdout, q.outR}, {Stderr, q.errR}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 32<<10)
			for {
				n, err := p.r.Read(buf)
				if n > 0 {
					c.add(p.s, buf[:n])
				}
				if err != nil {
					return // io.EOF, or the deadline below
				}
			}
		}()
	}
	finished := make(chan struct{})
	go func() {
		io.Copy(io.Discard, done) // returns when done is closed
		select {
		case <-finished:
			return
		case <-time.After(drainGrace):
		}
		for _, r := range []*os.File{q.outR, q.errR} {
			if err := r.SetReadDeadline(time.Now()); errors.Is(err, os.ErrNoDeadline) {
				r.Close() // not pollable here: stop the read the hard way
			}
		}
	}()
	wg.Wait()
	close(finished)
}
