package playground

import (
	"os"
	"testing"
)

// TestPipeQueue: the pipes of OSes without the datagram queue keep each
// stream whole and apart, and read returns once the writers are gone.
func TestPipeQueue(t *testing.T) {
	q, err := newPipeQueue()
	if err != nil {
		t.Fatal(err)
	}
	defer q.close()
	q.stdout.Write([]byte("out 1\n"))
	q.stderr.Write([]byte("err 1\n"))
	q.stdout.Write([]byte("out 2\n"))
	q.closeSenders()
	doneR, doneW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer doneR.Close()
	doneW.Close()
	c := &capture{limit: 1 << 20}
	q.read(c, doneR)
	got := map[Stream]string{}
	for _, e := range c.events {
		got[e.Stream] += e.Data
	}
	if got[Stdout] != "out 1\nout 2\n" || got[Stderr] != "err 1\n" {
		t.Errorf("stdout %q, stderr %q; want %q, %q", got[Stdout], got[Stderr], "out 1\nout 2\n", "err 1\n")
	}
}
