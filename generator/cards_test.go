package generator

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/txtar"
)

const cardSite = okConfig + "-- content/posts/a.md --\n---\ntitle: A card\ndate: 2026-01-01\n---\nBody.\n"

// TestSocialCardCached: a build draws each post's card once and caches it
// under .benchpress/cache/cards; the next build publishes the cached bytes,
// which are the same as a fresh drawing's.
func TestSocialCardCached(t *testing.T) {
	site := writeArchive(t, txtar.Parse([]byte(cardSite)))
	out, _, err := buildSite(t, site, &fakeRunner{})
	if err != nil {
		t.Fatal(err)
	}
	first, err := os.ReadFile(filepath.Join(out, "posts/a", SocialCardFile))
	if err != nil {
		t.Fatal(err)
	}
	cached, _ := filepath.Glob(filepath.Join(site, ".benchpress", "cache", "cards", "*.png"))
	if len(cached) != 1 {
		t.Fatalf("cache holds %q, want one card", cached)
	}
	// A marked cached card is what the next build publishes.
	marked := append(bytes.Clone(first), "marked"...)
	os.WriteFile(cached[0], marked, 0o644)
	out2, _, err := buildSite(t, site, &fakeRunner{})
	if err != nil {
		t.Fatal(err)
	}
	if second, _ := os.ReadFile(filepath.Join(out2, "posts/a", SocialCardFile)); !bytes.Equal(second, marked) {
		t.Error("the second build drew the card again instead of using the cache")
	}
	// Without the cache the card is drawn again, to the same bytes.
	os.RemoveAll(filepath.Join(site, ".benchpress"))
	out3, _, err := buildSite(t, site, &fakeRunner{})
	if err != nil {
		t.Fatal(err)
	}
	if third, _ := os.ReadFile(filepath.Join(out3, "posts/a", SocialCardFile)); !bytes.Equal(third, first) {
		t.Error("a card drawn again differs from the first drawing")
	}
}

// TestSocialCardCacheLinkOut: a site whose .benchpress/cache is a link
// out of the site gets its cards, and nothing is written where the link
// leads.
func TestSocialCardCacheLinkOut(t *testing.T) {
	site := writeArchive(t, txtar.Parse([]byte(cardSite)))
	elsewhere := t.TempDir()
	os.MkdirAll(filepath.Join(site, ".benchpress"), 0o755)
	if err := os.Symlink(elsewhere, filepath.Join(site, ".benchpress", "cache")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	out, _, err := buildSite(t, site, &fakeRunner{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "posts/a", SocialCardFile)); err != nil {
		t.Error(err)
	}
	if entries, _ := os.ReadDir(elsewhere); len(entries) != 0 {
		t.Errorf("the build wrote %v outside the site", entries)
	}
}

// TestSocialCardCacheEntryLink: a cached card that is a symbolic link (to
// a secret outside the site) is neither linked nor read into the output:
// the card is drawn again.
func TestSocialCardCacheEntryLink(t *testing.T) {
	site := writeArchive(t, txtar.Parse([]byte(cardSite)))
	if _, _, err := buildSite(t, site, &fakeRunner{}); err != nil {
		t.Fatal(err)
	}
	cached, _ := filepath.Glob(filepath.Join(site, ".benchpress", "cache", "cards", "*.png"))
	if len(cached) != 1 {
		t.Fatalf("cache holds %q", cached)
	}
	secret := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(secret, []byte("\x89PNG\r\n\x1a\nsecret"), 0o600)
	os.Remove(cached[0])
	if err := os.Symlink(secret, cached[0]); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	out, _, err := buildSite(t, site, &fakeRunner{})
	if err != nil {
		t.Fatal(err)
	}
	card := filepath.Join(out, "posts/a", SocialCardFile)
	st, err := os.Lstat(card)
	if err != nil || !st.Mode().IsRegular() {
		t.Fatalf("published card: %v, %v", st, err)
	}
	if b, _ := os.ReadFile(card); bytes.Contains(b, []byte("secret")) {
		t.Error("the build published the linked secret")
	}
}
