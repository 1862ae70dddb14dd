package generator

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// TestDraftsAndFutureMarked: a draft or a future post that --drafts,
// --future or serve shows says so on its page, on the home page, its tag
// page and the archive; a published post carries no mark, and a plain
// build leaves both out.
func TestDraftsAndFutureMarked(t *testing.T) {
	site := writeArchive(t, txtar.Parse([]byte(okConfig+`-- content/posts/d.md --
---
title: Dee
date: 2026-01-01
draft: true
tags: [x]
---
Body.
-- content/posts/f.md --
---
title: Eff
date: 2099-01-01
tags: [x]
---
Body.
-- content/posts/p.md --
---
title: Pub
date: 2026-01-02
tags: [x]
---
Body.
`)))
	const draft = `<span class="status status-draft">Draft</span>`
	const future = `<span class="status status-future" title="Published on its date by a build on or after it">Scheduled</span>`
	out := filepath.Join(t.TempDir(), "public")
	if _, err := Build(context.Background(), Options{Root: site, Out: out, Theme: testTheme, Runner: &fakeRunner{}, Now: testNow, Drafts: true, Future: true}); err != nil {
		t.Fatal(err)
	}
	read := func(p string) string {
		b, err := os.ReadFile(filepath.Join(out, p))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for _, tc := range []struct {
		page         string
		draft, futur int
	}{
		{"posts/d/index.html", 1, 0},
		{"posts/f/index.html", 0, 1},
		{"posts/p/index.html", 0, 0},
		{"index.html", 1, 1},
		{"archive/index.html", 1, 1},
		{"tags/x/index.html", 1, 1},
	} {
		html := read(tc.page)
		if got := strings.Count(html, draft); got != tc.draft {
			t.Errorf("%s shows %d draft marks, want %d", tc.page, got, tc.draft)
		}
		if got := strings.Count(html, future); got != tc.futur {
			t.Errorf("%s shows %d scheduled marks, want %d", tc.page, got, tc.futur)
		}
	}
	if h1 := read("posts/d/index.html"); !strings.Contains(h1, "<h1>Dee "+draft+"</h1>") {
		t.Errorf("the draft's heading is not marked")
	}

	plain, _, err := buildSite(t, site, &fakeRunner{})
	if err != nil {
		t.Fatal(err)
	}
	home, _ := os.ReadFile(filepath.Join(plain, "index.html"))
	if strings.Contains(string(home), "status-") || !strings.Contains(string(home), "Pub") {
		t.Errorf("a plain build's home page marks or lacks posts:\n%s", home)
	}
}
