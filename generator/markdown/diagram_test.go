package markdown

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// TestDiagramFence: a ```d2 fence is drawn by Options.Diagram and shown
// with a spoken label and its source as text; its errors are at the
// post's line of the diagram's line; mermaid stays code.
func TestDiagramFence(t *testing.T) {
	m := New(Options{Fence: liveFence, Diagram: func(src string) (string, error) {
		if strings.Contains(src, "bad") {
			return "", &SourceError{Line: 2, Msg: "bad shape"}
		}
		if strings.Contains(src, "broken") {
			return "", errors.New("no position")
		}
		return `<svg class="drawn"></svg>`, nil
	}})
	src := "Intro.\n\n```d2\na -> b: <hi>\n```\n\n```mermaid\ngraph TD; A-->B\n```\n"
	doc, errs := m.Parse([]byte(src), "p.md", nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var b bytes.Buffer
	doc.Render(&b)
	want := `<figure class="diagram"><div class="diagram-svg" role="img" aria-label="Diagram: a -&gt; b: &lt;hi&gt;"><svg class="drawn"></svg></div>` +
		`<details class="diagram-source"><summary>Diagram as text</summary><pre tabindex="0"><code class="language-d2">a -&gt; b: &lt;hi&gt;` + "\n</code></pre></details></figure>\n"
	if !strings.Contains(b.String(), want) {
		t.Errorf("rendered\n%s\nwant it to hold\n%s", b.String(), want)
	}
	if !strings.Contains(b.String(), `<pre class="chroma plain" tabindex="0"><code>graph TD; A--&gt;B`) {
		t.Errorf("a mermaid fence is not shown as its text:\n%s", b.String())
	}
	// A leading comment is the caption, shown and spoken.
	doc, errs = m.Parse([]byte("```d2\n\n# How a <keyed> request\n#   is handled\n#\na -> b\n# not this\n```\n"), "p.md", nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	b.Reset()
	doc.Render(&b)
	want = `<figure class="diagram"><figcaption>How a &lt;keyed&gt; request is handled</figcaption>` +
		`<div class="diagram-svg" role="img" aria-label="Diagram: How a &lt;keyed&gt; request is handled"><svg class="drawn"></svg></div><details class="diagram-source">`
	if !strings.Contains(b.String(), want) {
		t.Errorf("rendered\n%s\nwant it to hold\n%s", b.String(), want)
	}
	for _, tc := range []struct{ src, want string }{
		{"Intro.\n\n```d2\na\nbad\n```\n", "p.md:5: d2 diagram: bad shape"},
		{"Intro.\n\n```d2\nbroken\n```\n", "p.md:3: d2 diagram: no position"},
	} {
		_, errs := m.Parse([]byte(tc.src), "p.md", nil)
		if errs.Error() != tc.want {
			t.Errorf("%q: %v, want %s", tc.src, errs, tc.want)
		}
	}
}
