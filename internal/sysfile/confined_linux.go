package sysfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
)

// newDirFS is DirFS on Linux: openat2, see openat2FS.
func newDirFS(dir string) fs.FS { return newOpenat2FS(dir) }

func newOpenat2FS(dir string) *openat2FS {
	d := &openat2FS{dir: dir}
	fd, err := unix.Open(dir, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		d.rootErr = err
		return d
	}
	d.rootFD = fd
	runtime.AddCleanup(d, func(fd int) { unix.Close(fd) }, fd)
	return d
}

// openat2FS is DirFS on Linux 5.6 and newer, where the kernel enforces
// the rule (openat2 with RESOLVE_BENEATH) at no cost over a plain open.
// Absolute links, which RESOLVE_BENEATH refuses even when they point
// inside dir, and kernels without openat2 take a slower path that
// resolves the links and checks the result.
type openat2FS struct {
	dir     string
	rootFD  int
	rootErr error // the root could not be opened: every call fails with it

	realOnce sync.Once
	real     string // dir with its own links resolved, for the slow path
}

// openBeneath opens name (a valid fs path) beneath the root.
func (d *openat2FS) openBeneath(op, name string, flags int) (int, error) {
	if !fs.ValidPath(name) {
		return -1, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	if d.rootErr != nil {
		return -1, &fs.PathError{Op: op, Path: name, Err: d.rootErr}
	}
	how := unix.OpenHow{Flags: uint64(flags | unix.O_CLOEXEC), Resolve: unix.RESOLVE_BENEATH | unix.RESOLVE_NO_MAGICLINKS}
	for tries := 0; ; tries++ {
		fd, err := unix.Openat2(d.rootFD, name, &how)
		switch err {
		case nil:
			return fd, nil
		case unix.EINTR, unix.EAGAIN: // EAGAIN: a rename raced the lookup
			if tries < maxRetries {
				continue
			}
			return d.openResolved(op, name, flags, err) // renames without end: judge by hand
		case unix.EXDEV, unix.ELOOP, unix.ENOSYS, unix.EPERM:
			// Out of bounds, an absolute or a magic link, or no openat2
			// here (ENOSYS, or EPERM from a container's seccomp filter):
			// resolve by hand and judge the result.
			return d.openResolved(op, name, flags, err)
		default:
			return -1, &fs.PathError{Op: op, Path: name, Err: err}
		}
	}
}

// maxRetries bounds openat2's retries after EAGAIN or EINTR.
const maxRetries = 64

// errUncheckable is the error of a read whose destination cannot be
// checked: no openat2 to open beneath the root, and no /proc to ask.
var errUncheckable = errors.New("cannot check that the path stays inside the site: this system has neither openat2 (Linux 5.6) nor /proc")

// openResolved is openBeneath's slow path: it resolves name's links,
// refuses a result outside the root, and opens the resolved path with no
// links left to follow, so a link swapped in meanwhile is not followed
// out: where openat2 exists, beneath the root with RESOLVE_NO_SYMLINKS;
// elsewhere with O_NOFOLLOW on the last name and a second check, through
// /proc, of where the descriptor it got leads.
func (d *openat2FS) openResolved(op, name string, flags int, why error) (int, error) {
	d.realOnce.Do(func() {
		if r, err := filepath.EvalSymlinks(d.dir); err == nil {
			if abs, err := filepath.Abs(r); err == nil {
				d.real = abs
			}
		}
	})
	if d.real == "" {
		return -1, &fs.PathError{Op: op, Path: name, Err: why}
	}
	resolved, err := filepath.EvalSymlinks(filepath.Join(d.real, filepath.FromSlash(name)))
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return -1, &fs.PathError{Op: op, Path: name, Err: err}
	}
	if !inside(d.real, resolved) {
		return -1, &fs.PathError{Op: op, Path: name, Err: ErrOutside}
	}
	if why != unix.ENOSYS && why != unix.EPERM {
		rel, err := filepath.Rel(d.real, resolved)
		if err != nil {
			return -1, &fs.PathError{Op: op, Path: name, Err: err}
		}
		how := unix.OpenHow{Flags: uint64(flags | unix.O_CLOEXEC), Resolve: unix.RESOLVE_BENEATH | unix.RESOLVE_NO_SYMLINKS}
		for tries := 0; ; tries++ {
			fd, err := unix.Openat2(d.rootFD, rel, &how)
			switch {
			case err == nil:
				return fd, nil
			case (err == unix.EINTR || err == unix.EAGAIN) && tries < maxRetries:
				continue
			case err == unix.ELOOP || err == unix.EXDEV:
				// A link where resolving found none: swapped in meanwhile.
				return -1, &fs.PathError{Op: op, Path: name, Err: ErrOutside}
			default:
				return -1, &fs.PathError{Op: op, Path: name, Err: err}
			}
		}
	}
	for {
		fd, err := unix.Open(resolved, flags|unix.O_CLOEXEC|unix.O_NOFOLLOW, 0)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return -1, &fs.PathError{Op: op, Path: name, Err: err}
		}
		// The directories above resolved could have been swapped for links
		// between EvalSymlinks and open: ask the kernel where fd is.
		got, err := os.Readlink("/proc/self/fd/" + itoa(fd))
		if err != nil {
			unix.Close(fd)
			return -1, &fs.PathError{Op: op, Path: name, Err: errUncheckable}
		}
		if !inside(d.real, got) {
			unix.Close(fd)
			return -1, &fs.PathError{Op: op, Path: name, Err: ErrOutside}
		}
		return fd, nil
	}
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}

func (d *openat2FS) Open(name string) (fs.File, error) {
	fd, err := d.openBeneath("open", name, unix.O_RDONLY)
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), d.dir+string(os.PathSeparator)+filepath.FromSlash(name)), nil
}

func (d *openat2FS) ReadFile(name string) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "readfile", Path: name, Err: fs.ErrInvalid}
	}
	fd, err := d.openBeneath("open", name, unix.O_RDONLY)
	if err != nil {
		return nil, err
	}
	defer unix.Close(fd)
	b, err := readAll(fd)
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	return b, nil
}

func (d *openat2FS) Stat(name string) (fs.FileInfo, error) {
	fd, err := d.openBeneath("stat", name, unix.O_PATH)
	if err != nil {
		return nil, err
	}
	f := os.NewFile(uintptr(fd), d.dir+string(os.PathSeparator)+filepath.FromSlash(name))
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, renamed(err, name)
	}
	return st, nil
}

func (d *openat2FS) ReadDir(name string) ([]fs.DirEntry, error) {
	fd, err := d.openBeneath("open", name, unix.O_RDONLY|unix.O_DIRECTORY)
	if err != nil {
		return nil, err
	}
	f := os.NewFile(uintptr(fd), d.dir+string(os.PathSeparator)+filepath.FromSlash(name))
	defer f.Close()
	entries, err := f.ReadDir(-1)
	if err != nil {
		return nil, renamed(err, name)
	}
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, nil
}

// renamed gives an *os.File's error the fs path rather than the file's.
func renamed(err error, name string) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return &fs.PathError{Op: pe.Op, Path: name, Err: pe.Err}
	}
	return err
}
