package outpath

import (
	"testing"

	"github.com/benchpress/benchpress/generator/config"
)

func TestFile(t *testing.T) {
	tests := []struct{ url, file string }{
		{"/", "index.html"},
		{"/posts/x/", "posts/x/index.html"},
		{"/posts/x", "posts/x/index.html"},
		{"/404.html", "404.html"},
		{"/old/page.php", "old/page.php"},
		{"/v1.2/notes/", "v1.2/notes/index.html"},
		{"/v1.2/notes", "v1.2/notes/index.html"},
	}
	for _, tt := range tests {
		if got := File(tt.url); got != tt.file {
			t.Errorf("File(%q) = %q, want %q", tt.url, got, tt.file)
		}
	}
}

func TestPagerAndTagsIndex(t *testing.T) {
	if got := Pager(1); got != "/" {
		t.Errorf("Pager(1) = %q", got)
	}
	if got := Pager(3); got != "/page/3/" {
		t.Errorf("Pager(3) = %q", got)
	}
	for tags, want := range map[string]string{"/tags/:slug/": "/tags/", "/topics/:slug/": "/topics/", "/:slug/": "/tags/", "/t/by/:slug": "/t/by/"} {
		cfg := &config.Config{Permalinks: config.Permalinks{Tags: tags}}
		if got := TagsIndex(cfg); got != want {
			t.Errorf("TagsIndex with permalinks.tags %q = %q, want %q", tags, got, want)
		}
	}
}
