package generator

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
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
}

// get returns what key is cached as, drawing it with draw when it is not
// (or what is cached fails valid).
func (c *renderCache) get(key string, valid func([]byte) bool, draw func() ([]byte, error)) ([]byte, error) {
	c.once.Do(c.init)
	if c.dir != "" {
		data, err := fs.ReadFile(sysfile.DirFS(c.root), path.Join(c.rel(), key+c.ext))
		if err == nil && valid(data) {
			return data, nil
		}
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

// path is where key's entry is (or would be) kept, or "" without a
// usable cache.
func (c *renderCache) path(key string) string {
	c.once.Do(c.init)
	if c.dir == "" {
		return ""
	}
	return filepath.Join(c.dir, key+c.ext)
}

// hashKey is the cache key of parts: a hash that separates them.
func hashKey(parts ...string) string {
	h := sha256.New()
	for _, s := range parts {
		fmt.Fprintf(h, "%d:%s", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

func isPNG(b []byte) bool { return len(b) > 8 && string(b[:8]) == "\x89PNG\r\n\x1a\n" }

// fileLinker is an Output that can publish a file by linking it (an
// *output.Staging): a cached card then costs no data written.
type fileLinker interface {
	LinkFile(name, src string) error
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
	if l, ok := out.(fileLinker); ok {
		// No entry (or one that is not a regular file) fails the link,
		// and the card is drawn.
		if src := s.cards.path(card.Key()); src != "" && l.LinkFile(name, src) == nil {
			return nil
		}
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
