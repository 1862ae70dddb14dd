package generator

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/benchpress/benchpress/generator/socialcard"
)

// SocialCardFile is the name of a post's social card, beside its page:
// head.html points og:image and twitter:image at it.
const SocialCardFile = "og-card.png"

// writeSocialCard publishes post p's card beside its page: linked from
// the cache when it holds it, else drawn and written.
func (s *Site) writeSocialCard(p *Post, out Output, claim func(string) bool) error {
	name := strings.TrimPrefix(p.URL, "/") + SocialCardFile
	if !claim(name) {
		return nil
	}
	card := s.card(p)
	return s.cards.Publish(out, name, card.Key(), socialcard.IsPNG, func() ([]byte, error) {
		data, err := socialcard.Render(card)
		if err != nil {
			return nil, fmt.Errorf("social card for %q: %v", card.Title, err)
		}
		return data, nil
	})
}

// card is what post p's card shows.
func (s *Site) card(p *Post) socialcard.Card {
	host := ""
	if u, err := url.Parse(s.Config.BaseURL); err == nil {
		host = strings.TrimSuffix(u.Host+strings.TrimSuffix(u.Path, "/"), "/")
	}
	return socialcard.Card{Title: p.Title, Site: s.Config.Title, Host: host}
}
