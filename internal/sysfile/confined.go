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

// ErrOutside is the error of a read whose path, through a symbolic link,
// leads outside the directory tree a DirFS is confined to.
var ErrOutside = errors.New("symlink points outside the site: only links that stay inside the site are followed")

// DirFS is os.DirFS(dir) confined to dir: every Open, ReadFile, Stat and
// ReadDir resolves its path beneath dir, and a symbolic link is followed
// only when what it resolves to stays inside dir. A link that leads out
// (to /etc/shadow, to /proc/self/environ, to ../../other) fails with a
// *fs.PathError whose Err is ErrOutside, so a site's content can never
// publish a file of the machine that builds it.
//
// On Linux 5.6 and newer the kernel enforces the rule (openat2 with
// RESOLVE_BENEATH), at no cost over a plain open. Absolute links, which
// RESOLVE_BENEATH refuses even when they point inside dir, and kernels
// without openat2 take a slower path that resolves the links and checks
// the result.
func DirFS(dir string) fs.FS {
	d := &dirFS{dir: dir}
	fd, err := unix.Open(dir, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		d.rootErr = err
		return d
	}
	d.rootFD = fd
	runtime.AddCleanup(d, func(fd int) { unix.Close(fd) }, fd)
	return d
}

type dirFS struct {
	dir     string
	rootFD  int
	rootErr error // the root could not be opened: every call fails with it

	realOnce sync.Once
	real     string // dir with its own links resolved, for the slow path
}

// Within reports whether path, once its symbolic links are resolved, lies
// inside root (or is root). A path that does not exist yet is judged by its
// longest existing prefix. It is for paths that are not read through a
// DirFS: a results store or a modules directory named in config.yaml.
func Within(root, path string) (bool, error) {
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return false, err
	}
	p, err := filepath.Abs(path)
	if err != nil {
		return false, err
	}
	// Resolve the longest prefix that exists; the rest is plain names.
	rest := ""
	for {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			p = filepath.Join(r, rest)
			break
		}
		parent := filepath.Dir(p)
		if parent == p {
			break
		}
		rest = filepath.Join(filepath.Base(p), rest)
		p = parent
	}
	absRoot, err := filepath.Abs(realRoot)
	if err != nil {
		return false, err
	}
	return inside(absRoot, p), nil
}

// inside reports whether the clean absolute path p is root or below it.
func inside(root, p string) bool {
	return p == root || strings.HasPrefix(p, strings.TrimSuffix(root, string(filepath.Separator))+string(filepath.Separator))
}

// openBeneath opens name (a valid fs path) beneath the root.
func (d *dirFS) openBeneath(op, name string, flags int) (int, error) {
	if !fs.ValidPath(name) {
		return -1, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	if d.rootErr != nil {
		return -1, &fs.PathError{Op: op, Path: name, Err: d.rootErr}
	}
	how := unix.OpenHow{Flags: uint64(flags | unix.O_CLOEXEC), Resolve: unix.RESOLVE_BENEATH | unix.RESOLVE_NO_MAGICLINKS}
	for {
		fd, err := unix.Openat2(d.rootFD, name, &how)
		switch err {
		case nil:
			return fd, nil
		case unix.EINTR, unix.EAGAIN: // EAGAIN: a rename raced the lookup
			continue
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

// openResolved is openBeneath's slow path: it resolves name's links,
// refuses a result outside the root, and opens the resolved path with no
// links left to follow (O_NOFOLLOW on the last one, and a second check of
// the path it opened), so a link swapped in meanwhile is not followed out.
func (d *dirFS) openResolved(op, name string, flags int, why error) (int, error) {
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
		if got, err := os.Readlink("/proc/self/fd/" + itoa(fd)); err == nil && !inside(d.real, got) {
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

func (d *dirFS) Open(name string) (fs.File, error) {
	fd, err := d.openBeneath("open", name, unix.O_RDONLY)
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), d.dir+string(os.PathSeparator)+filepath.FromSlash(name)), nil
}

func (d *dirFS) ReadFile(name string) ([]byte, error) {
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

func (d *dirFS) Stat(name string) (fs.FileInfo, error) {
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

func (d *dirFS) ReadDir(name string) ([]fs.DirEntry, error) {
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
