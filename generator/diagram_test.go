package generator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// TestDiagramBuild: a ```d2 fence becomes an inline SVG in the built page,
// cached by its source under .benchpress/cache/d2; a broken one fails the
// build at its line of the post.
func TestDiagramBuild(t *testing.T) {
	if testing.Short() && os.Getenv("CI") == "" {
		t.Skip("lays a diagram out with d2")
	}
	site := writeArchive(t, txtar.Parse([]byte(okConfig+"-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\n---\nIntro.\n\n```d2\nclient -> server: request\n```\n")))
	out, _, err := buildSite(t, site, &fakeRunner{})
	if err != nil {
		t.Fatal(err)
	}
	page, _ := os.ReadFile(filepath.Join(out, "posts/a/index.html"))
	if !strings.Contains(string(page), `<figure class="diagram"><div class="diagram-svg" role="img" aria-label="Diagram: client -&gt; server: request"><svg`) {
		t.Errorf("the page has no drawn diagram:\n%s", page)
	}
	if cached, _ := filepath.Glob(filepath.Join(site, ".benchpress/cache/d2/*.svg")); len(cached) != 1 {
		t.Errorf("cache holds %q, want one diagram", cached)
	}

	broken := writeArchive(t, txtar.Parse([]byte(okConfig+"-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\n---\nIntro.\n\n```d2\na -> b\nb -> {\n```\n")))
	_, _, err = buildSite(t, broken, &fakeRunner{})
	if err == nil || err.Error() != "content/posts/a.md:9: d2 diagram: connection missing destination" {
		t.Errorf("broken diagram: %v", err)
	}
}

// TestMathBuildError: math that does not convert fails the build at its
// line of the post, including in a post without live code (parsed when it
// renders).
func TestMathBuildError(t *testing.T) {
	site := writeArchive(t, txtar.Parse([]byte(okConfig+"-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\n---\nIntro $x^2$ costs $5 and $10.\n\n$$\n\\frac{1}{2}\n\\sqrt{\n$$\n")))
	_, _, err := buildSite(t, site, &fakeRunner{})
	if err == nil || err.Error() != "content/posts/a.md:9: math: unclosed {: add the } that closes it" {
		t.Errorf("broken math: %v", err)
	}
}

// TestDiagramCacheTruncated: a cached diagram cut short is drawn again,
// not inlined into the page: before, any entry starting "<svg" was used.
func TestDiagramCacheTruncated(t *testing.T) {
	if testing.Short() && os.Getenv("CI") == "" {
		t.Skip("lays a diagram out with d2")
	}
	site := writeArchive(t, txtar.Parse([]byte(okConfig+"-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\n---\nIntro.\n\n```d2\nclient -> server: request\n```\n")))
	if _, _, err := buildSite(t, site, &fakeRunner{}); err != nil {
		t.Fatal(err)
	}
	cached, _ := filepath.Glob(filepath.Join(site, ".benchpress/cache/d2/*.svg"))
	if len(cached) != 1 {
		t.Fatalf("cache holds %q", cached)
	}
	whole, _ := os.ReadFile(cached[0])
	os.WriteFile(cached[0], whole[:len(whole)/2], 0o644)
	out, _, err := buildSite(t, site, &fakeRunner{})
	if err != nil {
		t.Fatal(err)
	}
	page, _ := os.ReadFile(filepath.Join(out, "posts/a/index.html"))
	if !strings.Contains(string(page), string(whole)) {
		t.Error("the page does not hold the whole diagram drawn again")
	}
	if again, _ := os.ReadFile(cached[0]); string(again) != string(whole) {
		t.Error("the truncated entry was not replaced")
	}
	for _, b := range []string{"<svg></svg>", "<svg></svg>\n"} {
		if !isSVG([]byte(b)) {
			t.Errorf("isSVG(%q) is false", b)
		}
	}
}

// TestDiagramNoRawHTML: with markup.unsafeHTML: false a diagram's markdown
// label (whose HTML d2 passed through, <script> included) fails the build
// at the fence instead of reaching the page.
func TestDiagramNoRawHTML(t *testing.T) {
	if testing.Short() && os.Getenv("CI") == "" {
		t.Skip("lays a diagram out with d2")
	}
	site := writeArchive(t, txtar.Parse([]byte(okConfig+"markup:\n  unsafeHTML: false\n-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\n---\nIntro.\n\n```d2\nx: |md <script>alert(1)</script> |\n```\n")))
	_, _, err := buildSite(t, site, &fakeRunner{})
	if err == nil || !strings.HasPrefix(err.Error(), "content/posts/a.md:7: d2 diagram: x: a markdown label may hold raw HTML") {
		t.Errorf("err = %v", err)
	}
}
