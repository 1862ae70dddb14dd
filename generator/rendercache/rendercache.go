// Package rendercache keeps what takes long to draw, social cards and
// diagrams, between builds: each entry a file under the site's
// .benchpress/cache/, named by the hash of what it is drawn from, written
// by renaming a whole new file into place and read back only when it is a
// regular file of this user whose bytes the caller finds valid.
package rendercache

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sync"

	"github.com/benchpress/benchpress/internal/sysfile"
)

// Cache is one kind of drawing (social cards, diagrams), kept by the hash
// of its inputs in a directory under .benchpress/cache/ of the site. A
// cache directory that a symbolic link leads out of the site is not used:
// everything is then drawn every build, and nothing is written outside
// the site.
type Cache struct {
	root string
	sub  string // the directory under .benchpress/cache/: cards, d2
	ext  string // the files' extension: .png, .svg
	once sync.Once
	dir  string // "" when there is no usable cache
	fsys fs.FS  // the site, read confined to it
}

// New is the cache of the site at root in .benchpress/cache/sub, its
// entries named KEY+ext.
func New(root, sub, ext string) *Cache {
	return &Cache{root: root, sub: sub, ext: ext}
}

// Root is the site the cache belongs to.
func (c *Cache) Root() string { return c.root }

func (c *Cache) rel() string { return path.Join(".benchpress", "cache", c.sub) }

func (c *Cache) init() {
	dir := filepath.Join(c.root, filepath.FromSlash(c.rel()))
	if in, err := sysfile.Within(c.root, dir); err != nil || !in {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return
	}
	c.dir = dir
	c.fsys = sysfile.DirFS(c.root)
}

// Get returns what key is cached as, drawing it with draw when it is not
// (or what is cached fails valid).
func (c *Cache) Get(key string, valid func([]byte) bool, draw func() ([]byte, error)) ([]byte, error) {
	c.once.Do(c.init)
	if f, data := c.Open(key, valid); f != nil {
		f.Close()
		return data, nil
	}
	data, err := draw()
	if err != nil {
		return nil, err
	}
	if c.dir != "" {
		// A new file renamed into place: never one written through a link
		// someone put at the name, never half a file read back.
		if tmp, err := os.CreateTemp(c.dir, ".new-*"); err == nil {
			_, werr := tmp.Write(data)
			if werr == nil {
				werr = tmp.Chmod(0o644)
			}
			if cerr := tmp.Close(); werr == nil && cerr == nil {
				werr = os.Rename(tmp.Name(), filepath.Join(c.dir, key+c.ext))
			}
			if werr != nil {
				os.Remove(tmp.Name())
			}
		}
	}
	return data, nil
}

// Open returns key's entry, opened beneath the site's root (no link
// followed out of it), and its bytes, when it is a regular file owned by
// this process's user whose bytes are valid; else nil. A FIFO, a device or
// a directory at the name is never opened (opening a FIFO would wait for
// a writer forever), and a file someone else owns (a hard link the site
// holds to it) is not offered for linking. The caller closes the file.
func (c *Cache) Open(key string, valid func([]byte) bool) (*os.File, []byte) {
	c.once.Do(c.init)
	if c.dir == "" {
		return nil, nil
	}
	name := path.Join(c.rel(), key+c.ext)
	if st, err := fs.Stat(c.fsys, name); err != nil || !st.Mode().IsRegular() {
		return nil, nil
	}
	f, err := c.fsys.Open(name)
	if err != nil {
		return nil, nil
	}
	of, ok := f.(*os.File)
	if !ok {
		f.Close()
		return nil, nil
	}
	// The same descriptor is checked, read and (by the caller) linked, so
	// a name swapped after the checks changes nothing.
	st, err := of.Stat()
	if err != nil || !st.Mode().IsRegular() || !ownedByMe(st) || st.Size() > maxCached {
		of.Close()
		return nil, nil
	}
	// Read at the size the descriptor reports, in one call (io.ReadAll
	// took about eight for a card); an entry cut short fails valid.
	data := make([]byte, st.Size())
	if _, err := io.ReadFull(of, data); err != nil || !valid(data) {
		of.Close()
		return nil, nil
	}
	return of, data
}

// maxCached bounds what is read of a cache entry: a card or a diagram is
// far smaller, and a larger file is drawn again rather than read whole.
const maxCached = 64 << 20

// Key is the cache key of parts: a hash that separates them.
func Key(parts ...string) string {
	h := sha256.New()
	for _, s := range parts {
		fmt.Fprintf(h, "%d:%s", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Output receives a build's files: an *output.Staging, or serve's
// pages in memory.
type Output interface {
	WriteFile(name string, data []byte) error
}

// fileLinker is an Output that can publish an open file by linking it (an
// *output.Staging): a cached entry then costs no data written.
type fileLinker interface {
	LinkFile(name string, src *os.File) error
}

// Publish writes key's entry to out at name: linked from the cache when
// out can link and the cache holds it, else drawn (or read) and written.
// Only a valid entry is published: linked when out can link it, else its
// bytes written. No entry, or one that is not a regular file of ours
// holding valid bytes, and it is drawn.
func (c *Cache) Publish(out Output, name, key string, valid func([]byte) bool, draw func() ([]byte, error)) error {
	if f, data := c.Open(key, valid); f != nil {
		defer f.Close()
		if l, ok := out.(fileLinker); ok && l.LinkFile(name, f) == nil {
			return nil
		}
		return out.WriteFile(name, data)
	}
	data, err := c.Get(key, valid, draw)
	if err != nil {
		return err
	}
	return out.WriteFile(name, data)
}
