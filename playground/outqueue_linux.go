package playground

import (
	"os"

	"golang.org/x/sys/unix"
)

// outputQueue is where a program's stdout and stderr go: two datagram
// sockets, one per stream, both connected to one receiving socket. Each
// write(2) to either stream becomes one datagram, appended to the
// receiver's single queue when the write happens; the kernel keeps that
// queue in order and recvfrom(2) names the socket that sent each datagram.
// So the order of the events is exactly the order of the program's writes
// (what a terminal shows with 2>&1, which sends both streams into one
// pipe), and the streams stay told apart. Two pipes could not do this: a
// reader of two pipes cannot know which write came first when both hold
// data.
//
// The price is the datagram's size limit: one write of more than maxWrite
// bytes fails with EMSGSIZE. The sockets take the largest send buffer the
// kernel allows (2 × net.core.wmem_max), so maxWrite is about 416 KiB with
// Linux's default sysctls. Writes are never split: a datagram is all of one
// write or nothing.
type outputQueue struct {
	recv           int      // the receiving socket, host side
	stdout, stderr *os.File // the senders, the program's descriptors 1 and 2
	outName        string   // stdout's address, as recvfrom reports it
	maxWrite       int
}

// newOutputQueue makes the sockets. Every name is an autobound abstract
// address of the host's network namespace: a sandboxed program, in a
// namespace of its own, can reach none of them, and cannot connect another
// socket to the receiver.
func newOutputQueue() (q *outputQueue, err error) {
	q = &outputQueue{recv: -1}
	defer func() {
		if err != nil {
			q.close()
			q = nil
		}
	}()
	if q.recv, err = unix.Socket(unix.AF_UNIX, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0); err != nil {
		return q, err
	}
	if err = unix.Bind(q.recv, &unix.SockaddrUnix{}); err != nil { // autobind
		return q, err
	}
	addr, err := unix.Getsockname(q.recv)
	if err != nil {
		return q, err
	}
	sender := func(name string) (*os.File, string, error) {
		fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			return nil, "", err
		}
		f := os.NewFile(uintptr(fd), name)
		// The kernel caps the request at its largest (net.core.wmem_max,
		// doubled); a datagram may be that buffer less 32 bytes.
		unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_SNDBUF, 1<<30)
		if err := unix.Bind(fd, &unix.SockaddrUnix{}); err != nil {
			f.Close()
			return nil, "", err
		}
		if err := unix.Connect(fd, addr); err != nil {
			f.Close()
			return nil, "", err
		}
		sa, err := unix.Getsockname(fd)
		if err != nil {
			f.Close()
			return nil, "", err
		}
		return f, sa.(*unix.SockaddrUnix).Name, nil
	}
	if q.stdout, q.outName, err = sender("stdout"); err != nil {
		return q, err
	}
	if q.stderr, _, err = sender("stderr"); err != nil {
		return q, err
	}
	sndbuf, err := unix.GetsockoptInt(int(q.stdout.Fd()), unix.SOL_SOCKET, unix.SO_SNDBUF)
	if err != nil {
		return q, err
	}
	q.maxWrite = sndbuf - 32
	return q, nil
}

// closeSenders closes the host's copies of the program's descriptors, once
// the program has them.
func (q *outputQueue) closeSenders() {
	if q.stdout != nil {
		q.stdout.Close()
	}
	if q.stderr != nil {
		q.stderr.Close()
	}
}

func (q *outputQueue) close() {
	q.closeSenders()
	if q.recv >= 0 {
		unix.Close(q.recv)
		q.recv = -1
	}
}

// read hands every datagram to c, in queue order, until done becomes
// readable (closed) and the queue is empty. Whoever closes done must do it
// only after every sender is gone (the program and everything it started
// have exited): a datagram is in the queue when its write returns, so the
// final drain finds them all.
func (q *outputQueue) read(c *capture, done *os.File) {
	fds := []unix.PollFd{{Fd: int32(q.recv), Events: unix.POLLIN}, {Fd: int32(done.Fd()), Events: unix.POLLIN}}
	// No datagram larger than maxWrite exists, and of one larger than the
	// output cap only the cap is kept.
	buf := make([]byte, max(1, min(q.maxWrite, int(min(c.limit+1, 1<<30)))))
	for {
		if _, err := unix.Poll(fds, -1); err != nil {
			if err == unix.EINTR {
				continue
			}
			return
		}
		finished := fds[1].Revents != 0
		for {
			n, from, err := unix.Recvfrom(q.recv, buf, unix.MSG_DONTWAIT)
			if err == unix.EINTR {
				continue
			}
			if err != nil {
				break // EAGAIN: the queue is empty
			}
			if n <= 0 {
				continue // a write of zero bytes
			}
			s := Stderr
			if sa, ok := from.(*unix.SockaddrUnix); ok && sa.Name == q.outName {
				s = Stdout
			}
			c.add(s, buf[:min(n, len(buf))])
		}
		if finished {
			return
		}
	}
}
