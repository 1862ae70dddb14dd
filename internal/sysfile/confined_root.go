package sysfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// rootFS is DirFS on os.Root, the portable confinement: it is DirFS on
// every OS but Linux, and is compiled and tested on Linux too. os.Root
// opens a path one name at a time beneath the root and fails on a link
// that climbs out of it, but also on every absolute link, even one that
// points inside. So when the root refuses a path for any reason but a
// missing or forbidden file, rootFS resolves the links by hand, refuses a
// result outside the root (ErrOutside), and opens the resolved path through
// the root again: a link swapped in meanwhile still cannot lead out.
type rootFS struct {
	dir     string
	root    *os.Root
	rootErr error // the root could not be opened: every call fails with it

	realOnce sync.Once
	real     string // dir with its own links resolved, for the slow path
}

func newRootFS(dir string) *rootFS {
	d := &rootFS{dir: dir}
	d.root, d.rootErr = os.OpenRoot(dir)
	if d.rootErr != nil {
		var pe *fs.PathError
		if errors.As(d.rootErr, &pe) {
			d.rootErr = pe.Err
		}
	}
	return d
}

// beneath runs do on name through the root, and when the root refuses
// name for a reason a link can cause, on name with its links resolved,
// provided they stay inside the root.
func beneath[T any](d *rootFS, op, name string, do func(name string) (T, error)) (T, error) {
	var zero T
	if !fs.ValidPath(name) {
		return zero, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	if d.rootErr != nil {
		return zero, &fs.PathError{Op: op, Path: name, Err: d.rootErr}
	}
	v, err := do(name)
	if err == nil {
		return v, nil
	}
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
		return zero, renamedOp(err, op, name)
	}
	// Refused: a link out of the root, an absolute link, a loop, or not a
	// directory on the way. Resolve by hand and judge the result.
	d.realOnce.Do(func() {
		if r, err := filepath.EvalSymlinks(d.dir); err == nil {
			if abs, err := filepath.Abs(r); err == nil {
				d.real = abs
			}
		}
	})
	if d.real == "" {
		return zero, renamedOp(err, op, name)
	}
	resolved, rerr := filepath.EvalSymlinks(filepath.Join(d.real, filepath.FromSlash(name)))
	if rerr != nil {
		return zero, renamedOp(rerr, op, name)
	}
	if !inside(d.real, resolved) {
		return zero, &fs.PathError{Op: op, Path: name, Err: ErrOutside}
	}
	rel, rerr := filepath.Rel(d.real, resolved)
	if rerr != nil {
		return zero, &fs.PathError{Op: op, Path: name, Err: ErrOutside}
	}
	v, err = do(filepath.ToSlash(rel))
	if err != nil {
		return zero, renamedOp(err, op, name)
	}
	return v, nil
}

// renamedOp gives an error of os the op and fs path of DirFS's own.
func renamedOp(err error, op, name string) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &fs.PathError{Op: op, Path: name, Err: err}
}

func (d *rootFS) Open(name string) (fs.File, error) {
	return beneath(d, "open", name, func(n string) (fs.File, error) {
		f, err := d.root.Open(n)
		if err != nil {
			return nil, err // not a typed nil in an interface
		}
		return f, nil
	})
}

func (d *rootFS) ReadFile(name string) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "readfile", Path: name, Err: fs.ErrInvalid}
	}
	f, err := beneath(d, "open", name, d.root.Open)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := 512
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > 0 && int64(int(st.Size())) == st.Size() {
		size = int(st.Size()) + 1 // one more byte to see the end in the same read
	}
	b := make([]byte, 0, size)
	for {
		n, err := f.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return nil, renamedOp(err, "read", name)
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
}

func (d *rootFS) Stat(name string) (fs.FileInfo, error) {
	return beneath(d, "stat", name, d.root.Stat)
}

func (d *rootFS) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, err := beneath(d, "open", name, func(n string) ([]fs.DirEntry, error) {
		f, err := d.root.Open(n)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return f.ReadDir(-1)
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, nil
}
