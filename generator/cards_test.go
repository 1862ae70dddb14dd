package generator

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/benchpress/benchpress/generator/socialcard"
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
	// A marked cached card (a valid PNG, with a text chunk more) is what
	// the next build publishes.
	marked := withTextChunk(first, "marked")
	if !socialcard.IsPNG(marked) {
		t.Fatal("the marked card is no valid PNG")
	}
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

// withTextChunk is png with a tEXt chunk holding text inserted before its
// IEND chunk (the last 12 bytes): another valid PNG of the same image.
func withTextChunk(png []byte, text string) []byte {
	body := append([]byte("tEXt"), "Comment\x00"+text...)
	chunk := binary.BigEndian.AppendUint32(nil, uint32(len(body)-4))
	chunk = append(chunk, body...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(body))
	end := len(png) - 12
	return append(append(bytes.Clone(png[:end]), chunk...), png[end:]...)
}

func TestIsPNG(t *testing.T) {
	png, err := os.ReadFile(filepath.Join("socialcard", "testdata", "card.png"))
	if err != nil {
		t.Fatal(err)
	}
	if !socialcard.IsPNG(png) {
		t.Fatal("the golden card is not a valid PNG")
	}
	flipped := bytes.Clone(png)
	flipped[len(flipped)/2] ^= 1
	for name, b := range map[string][]byte{
		"truncated":     png[:len(png)-1],
		"cut in half":   png[:len(png)/2],
		"signature":     png[:8],
		"trailing data": append(bytes.Clone(png), 'x'),
		"flipped bit":   flipped,
	} {
		if socialcard.IsPNG(b) {
			t.Errorf("%s: IsPNG is true", name)
		}
	}
}

// cachedCard builds cardSite once and returns the site and its one cached
// card's path.
func cachedCard(t *testing.T) (site, entry string) {
	site = writeArchive(t, txtar.Parse([]byte(cardSite)))
	if _, _, err := buildSite(t, site, &fakeRunner{}); err != nil {
		t.Fatal(err)
	}
	cached, _ := filepath.Glob(filepath.Join(site, ".benchpress", "cache", "cards", "*.png"))
	if len(cached) != 1 {
		t.Fatalf("cache holds %q", cached)
	}
	return site, cached[0]
}

// TestSocialCardCacheTruncated: a cached card cut short (a build killed
// by hand, a damaged CI cache) is drawn again, never published: before,
// a linkable entry was linked into the output unchecked.
func TestSocialCardCacheTruncated(t *testing.T) {
	site, entry := cachedCard(t)
	whole, _ := os.ReadFile(entry)
	os.WriteFile(entry, whole[:len(whole)-20], 0o644)
	out, _, err := buildSite(t, site, &fakeRunner{})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(out, "posts/a", SocialCardFile)); !bytes.Equal(got, whole) {
		t.Errorf("published a %d-byte card, want the %d bytes drawn again", len(got), len(whole))
	}
	if again, _ := os.ReadFile(entry); !bytes.Equal(again, whole) {
		t.Error("the truncated entry was not replaced by the card drawn again")
	}
}

// TestSocialCardLinked: a valid cached card is published as a hard link
// to the cache entry (the open file, linked by descriptor), not copied.
func TestSocialCardLinked(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("links by descriptor on Linux only")
	}
	site, entry := cachedCard(t)
	out, _, err := buildSite(t, site, &fakeRunner{})
	if err != nil {
		t.Fatal(err)
	}
	a, err1 := os.Stat(entry)
	b, err2 := os.Stat(filepath.Join(out, "posts/a", SocialCardFile))
	if err1 != nil || err2 != nil || !os.SameFile(a, b) {
		t.Errorf("the published card is not the cache entry linked: %v %v", err1, err2)
	}
}
