package generator

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/benchpress/benchpress/generator/socialcard"
	"github.com/benchpress/benchpress/internal/sysfile"
)

// SocialCardFile is the name of a post's social card, beside its page:
// head.html points og:image and twitter:image at it.
const SocialCardFile = "og-card.png"

// renderCache keeps what takes long to draw (social cards, diagrams) by
// the hash of its inputs, in a directory under .benchpress/cache/ of the
// site. A cache directory that a symbolic link leads out of the site is
// not used: everything is then drawn every build, and nothing is written
// outside the site.
type renderCache struct {
	root string
	sub  string // the directory under .benchpress/cache/: cards, d2
	ext  string // the files' extension: .png, .svg
	once sync.Once
	dir  string // "" when there is no usable cache
	fsys fs.FS  // the site, read confined to it
}

func newRenderCache(root, sub, ext string) *renderCache {
	return &renderCache{root: root, sub: sub, ext: ext}
}

func (c *renderCache) rel() string { return path.Join(".benchpress", "cache", c.sub) }

func (c *renderCache) init() {
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

// get returns what key is cached as, drawing it with draw when it is not
// (or what is cached fails valid).
func (c *renderCache) get(key string, valid func([]byte) bool, draw func() ([]byte, error)) ([]byte, error) {
	c.once.Do(c.init)
	if f, data := c.open(key, valid); f != nil {
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

// open returns key's entry, opened beneath the site's root (no link
// followed out of it), and its bytes, when it is a regular file owned by
// this process's user whose bytes are valid; else nil. A FIFO, a device or
// a directory at the name is never opened (opening a FIFO would wait for
// a writer forever), and a file someone else owns (a hard link the site
// holds to it) is not offered for linking.
func (c *renderCache) open(key string, valid func([]byte) bool) (*os.File, []byte) {
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
	// Read at the size the descriptor reports, in one call: a file that
	// changed size since is cut short or left over, and fails valid.
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

// hashKey is the cache key of parts: a hash that separates them.
func hashKey(parts ...string) string {
	h := sha256.New()
	for _, s := range parts {
		fmt.Fprintf(h, "%d:%s", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// isPNG reports whether b is a whole PNG file: the signature, then chunks
// whose CRCs hold, IHDR first and IEND last with nothing after it. A cached
// card that was cut short, written into in place or otherwise damaged
// fails, and is drawn again rather than published.
func isPNG(b []byte) bool {
	const sig = "\x89PNG\r\n\x1a\n"
	if len(b) < len(sig) || string(b[:len(sig)]) != sig {
		return false
	}
	b = b[len(sig):]
	for first := true; ; first = false {
		if len(b) < 12 {
			return false
		}
		n := binary.BigEndian.Uint32(b)
		if uint64(n) > uint64(len(b)-12) {
			return false
		}
		typ, data := b[4:8], b[8:8+n]
		if binary.BigEndian.Uint32(b[8+n:]) != crc32.Update(crc32.ChecksumIEEE(typ), crc32.IEEETable, data) {
			return false
		}
		if first && string(typ) != "IHDR" {
			return false
		}
		b = b[12+n:]
		if string(typ) == "IEND" {
			return len(b) == 0
		}
	}
}

// fileLinker is an Output that can publish an open file by linking it (an
// *output.Staging): a cached card then costs no data written.
type fileLinker interface {
	LinkFile(name string, src *os.File) error
}

// writeSocialCard publishes post p's card beside its page: linked from the
// cache when out can link and the cache holds it, else drawn (or read)
// and written.
func (s *Site) writeSocialCard(p *Post, out Output, claim func(string) bool) error {
	name := strings.TrimPrefix(p.URL, "/") + SocialCardFile
	if !claim(name) {
		return nil
	}
	card := s.card(p)
	// Only a valid entry is published: linked when out can link it, else
	// its bytes written. No entry, or one that is not a regular file of
	// ours holding a whole PNG, and the card is drawn.
	if f, data := s.cards.open(card.Key(), isPNG); f != nil {
		defer f.Close()
		if l, ok := out.(fileLinker); ok && l.LinkFile(name, f) == nil {
			return nil
		}
		return out.WriteFile(name, data)
	}
	data, err := s.socialCard(card)
	if err != nil {
		return err
	}
	return out.WriteFile(name, data)
}

// card is what post p's card shows.
func (s *Site) card(p *Post) socialcard.Card {
	host := ""
	if u, err := url.Parse(s.Config.BaseURL); err == nil {
		host = strings.TrimSuffix(u.Host+strings.TrimSuffix(u.Path, "/"), "/")
	}
	return socialcard.Card{Title: p.Title, Site: s.Config.Title, Host: host}
}

// socialCard is card's PNG, cached or drawn.
func (s *Site) socialCard(card socialcard.Card) ([]byte, error) {
	return s.cards.get(card.Key(), isPNG, func() ([]byte, error) {
		data, err := socialcard.Render(card)
		if err != nil {
			return nil, fmt.Errorf("social card for %q: %v", card.Title, err)
		}
		return data, nil
	})
}
