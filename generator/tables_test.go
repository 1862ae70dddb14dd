package generator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// TestTableScroll checks that a markdown table is wrapped in a box that
// scrolls, can take the keyboard focus and is named by its header row.
func TestTableScroll(t *testing.T) {
	site := okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\n---\n\n| pool **size** | `p99` | <br> |\n|---|--:|---|\n| 4 | 12 ms | x |\n\n" +
		"| a \"b\" & c |\n|---|\n| 1 |\n"
	root := writeArchive(t, txtar.Parse([]byte(site)))
	out, _, err := buildSite(t, root, &fakeRunner{})
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(out, "posts/a/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Table: pool size, p99\">\n<table>\n<thead>",
		"<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Table: a “b” &amp; c\">\n<table>",
		"</tbody>\n</table>\n</div>\n",
	} {
		if !strings.Contains(string(page), want) {
			t.Errorf("page lacks %q", want)
		}
	}
}
