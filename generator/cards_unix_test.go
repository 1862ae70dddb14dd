//go:build unix

package generator

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/benchpress/benchpress/generator/socialcard"
)

// TestSocialCardCacheFIFO: a FIFO at a cached card's name is not opened
// (opening it waited for a writer forever): the card is drawn.
func TestSocialCardCacheFIFO(t *testing.T) {
	site, entry := cachedCard(t)
	os.Remove(entry)
	if err := syscall.Mkfifo(entry, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	done := make(chan error, 1)
	var out string
	go func() {
		o, _, err := buildSite(t, site, &fakeRunner{})
		out = o
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(60 * time.Second):
		// Unblock the build's open so the test can end.
		if f, err := os.OpenFile(entry, os.O_WRONLY, 0); err == nil {
			f.Close()
		}
		<-done
		t.Fatal("the build hung opening a FIFO in the card cache")
	}
	if got, _ := os.ReadFile(filepath.Join(out, "posts/a", SocialCardFile)); !socialcard.IsPNG(got) {
		t.Error("no valid card published")
	}
}
