package generator

import (
	"errors"
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

// cardCacheDir is where drawn cards are kept, by key, under the site root:
// drawing one takes milliseconds, reading it back microseconds.
var cardCacheDir = filepath.Join(".benchpress", "cache", "cards")

// cardCache reads and writes cached cards. A cache directory that a
// symbolic link leads out of the site is not used: cards are then drawn
// every build, and nothing is written outside the site.
type cardCache struct {
	once sync.Once
	root string
	dir  string // "" when there is no usable cache
}

func (c *cardCache) init() {
	dir := filepath.Join(c.root, cardCacheDir)
	if in, err := sysfile.Within(c.root, dir); err != nil || !in {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return
	}
	c.dir = dir
}

// card returns the PNG of card, from the cache or drawn (and cached).
func (c *cardCache) card(card socialcard.Card) ([]byte, error) {
	c.once.Do(c.init)
	key := card.Key()
	if c.dir != "" {
		data, err := fs.ReadFile(sysfile.DirFS(c.root), path.Join(filepath.ToSlash(cardCacheDir), key+".png"))
		if err == nil && isPNG(data) {
			return data, nil
		}
	}
	data, err := socialcard.Render(card)
	if err != nil {
		return nil, fmt.Errorf("social card for %q: %v", card.Title, err)
	}
	if c.dir != "" {
		// A new file renamed into place: never one written through a link
		// someone put at the card's name, never half a card read back.
		if tmp, err := os.CreateTemp(c.dir, ".card-*"); err == nil {
			_, werr := tmp.Write(data)
			if werr == nil {
				werr = tmp.Chmod(0o644)
			}
			if cerr := tmp.Close(); werr == nil && cerr == nil {
				werr = os.Rename(tmp.Name(), filepath.Join(c.dir, key+".png"))
			}
			if werr != nil {
				os.Remove(tmp.Name())
			}
		}
	}
	return data, nil
}

func isPNG(b []byte) bool { return len(b) > 8 && string(b[:8]) == "\x89PNG\r\n\x1a\n" }

// socialCard is post p's card.
func (s *Site) socialCard(p *Post) ([]byte, error) {
	host := ""
	if u, err := url.Parse(s.Config.BaseURL); err == nil {
		host = strings.TrimSuffix(u.Host+strings.TrimSuffix(u.Path, "/"), "/")
	}
	if s.cards == nil {
		return nil, errors.New("no card cache")
	}
	return s.cards.card(socialcard.Card{Title: p.Title, Site: s.Config.Title, Host: host})
}
