// The fast path: whole-file reads and writes straight on the descriptor,
// with no *os.File around it.

package sysfile

import (
	"io"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// ReadFile returns the contents of the file at path, as os.ReadFile does.
func ReadFile(path string) ([]byte, error) {
	fd, err := open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer unix.Close(fd)
	b, err := readAll(fd)
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: path, Err: err}
	}
	return b, nil
}

// readAll reads fd to its end.
func readAll(fd int) ([]byte, error) {
	var st unix.Stat_t
	if err := fstat(fd, &st); err != nil {
		return nil, err
	}
	// A regular file is read to the size fstat gave: one read, where
	// os.ReadFile makes a second to see the end. Reads that return less (a
	// network or FUSE file system may) go on until that size or the end;
	// a file that grows meanwhile is read as it was when stat looked.
	regular := st.Mode&unix.S_IFMT == unix.S_IFREG
	size := int(st.Size)
	if !regular || size <= 0 {
		size = 512 // /proc files report 0: read to the end
	}
	b := make([]byte, 0, size)
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := read(fd, b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err != nil {
			return nil, err
		}
		if n == 0 || regular && int64(len(b)) == st.Size {
			return b, nil
		}
	}
}

// WriteFile writes data to the file at path, creating it with perm (before
// the umask) or truncating it, as os.WriteFile does.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	fd, err := open(path, unix.O_WRONLY|unix.O_CREAT|unix.O_TRUNC|unix.O_CLOEXEC, uint32(perm.Perm()))
	if err != nil {
		return &fs.PathError{Op: "open", Path: path, Err: err}
	}
	for len(data) > 0 {
		n, err := write(fd, data)
		if err == nil && n == 0 {
			err = io.ErrShortWrite // no progress and no reason: never loop on it
		}
		if err != nil {
			unix.Close(fd)
			return &fs.PathError{Op: "write", Path: path, Err: err}
		}
		data = data[n:]
	}
	if err := unix.Close(fd); err != nil {
		return &fs.PathError{Op: "close", Path: path, Err: err}
	}
	return nil
}

// The calls below retry when a signal interrupts them, as package os does.

func open(path string, flags int, perm uint32) (int, error) {
	for {
		fd, err := unix.Open(path, flags, perm)
		if err != unix.EINTR {
			return fd, err
		}
	}
}

func fstat(fd int, st *unix.Stat_t) error {
	for {
		if err := unix.Fstat(fd, st); err != unix.EINTR {
			return err
		}
	}
}

func read(fd int, b []byte) (int, error) {
	for {
		n, err := unix.Read(fd, b)
		if err != unix.EINTR {
			return max(n, 0), err
		}
	}
}

func write(fd int, b []byte) (int, error) {
	for {
		n, err := unix.Write(fd, b)
		if err != unix.EINTR {
			return max(n, 0), err
		}
	}
}
