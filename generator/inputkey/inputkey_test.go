package inputkey

import (
	"hash/maphash"
	"html/template"
	"testing"
	"time"

	"github.com/benchpress/benchpress/generator/content"
)

// TestPost: the hash follows every field a template can read, and neither
// the raw markdown (the HTML stands for it) nor the links to other posts.
func TestPost(t *testing.T) {
	seed := maphash.MakeSeed()
	base := func() *content.Post {
		return &content.Post{Title: "A", Date: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), Tags: []string{"go"}, Body: []byte("x")}
	}
	sum := Post(seed, base(), "<p>x</p>")
	changes := []struct {
		what   string
		edit   func(*content.Post)
		html   string
		counts bool
	}{
		{"title", func(p *content.Post) { p.Title = "B" }, "<p>x</p>", true},
		{"date", func(p *content.Post) { p.Date = p.Date.Add(time.Second) }, "<p>x</p>", true},
		{"a tag", func(p *content.Post) { p.Tags = append(p.Tags, "x") }, "<p>x</p>", true},
		{"the HTML", func(*content.Post) {}, "<p>y</p>", true},
		{"the markdown", func(p *content.Post) { p.Body = []byte("y") }, "<p>x</p>", false},
		{"the next post", func(p *content.Post) { p.Next = base() }, "<p>x</p>", false},
		{"the series", func(p *content.Post) { p.SeriesPosts, p.SeriesNumber = []*content.Post{base()}, 1 }, "<p>x</p>", false},
	}
	for _, c := range changes {
		p := base()
		c.edit(p)
		if got := Post(seed, p, template.HTML(c.html)) != sum; got != c.counts {
			t.Errorf("a change of %s changed the hash: %v, want %v", c.what, got, c.counts)
		}
	}
}

// TestFields: only the named fields count, and never the links.
func TestFields(t *testing.T) {
	seed := maphash.MakeSeed()
	names := map[string]bool{"Title": true, "Next": true}
	a := &content.Post{Title: "A", Subtitle: "s"}
	sum := Fields(seed, a, names)
	if Fields(seed, &content.Post{Title: "A", Subtitle: "other", Next: a}, names) != sum {
		t.Error("an unnamed field or a link changed the hash")
	}
	if Fields(seed, &content.Post{Title: "B", Subtitle: "s"}, names) == sum {
		t.Error("a named field did not change the hash")
	}
}
