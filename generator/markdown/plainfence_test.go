package markdown

import (
	"bytes"
	"strings"
	"testing"
)

// TestPlainFenceLanguage: a plain fence's class is the info string's first
// word as GFM reads it (escapes and entities resolved once, case kept),
// and a malformed info string never makes a plain fence an error.
func TestPlainFenceLanguage(t *testing.T) {
	m := New(Options{Fence: liveFence})
	for _, tc := range []struct{ info, want string }{
		{`foo\+bar`, `<code class="language-foo+bar">`},
		{`f&ouml;&ouml;`, `<code class="language-föö">`},
		{`a&amp;b`, `<code class="language-a&amp;b">`},
		{`&#60;x&#62;`, `<code class="language-&lt;x&gt;">`},
		{`MyLang x`, `<code class="language-MyLang">`},
		{`text "hello`, `<pre class="chroma plain" tabindex="0"><code>x`},
		{`mylang hl=1 hl=2`, `<code class="language-mylang">`},
		{`{mylang "a}`, `<code class="language-mylang">`},
		{`Go`, `<span class="o">:=</span>`}, // case kept, and chroma still knows it
	} {
		src := "```" + tc.info + "\nx := 1\n```\n"
		doc, errs := m.Parse([]byte(src), "a.md", nil)
		if len(errs) > 0 {
			t.Errorf("info %q: %v, want no error for a plain fence", tc.info, errs)
			continue
		}
		var b bytes.Buffer
		if err := doc.Render(&b); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), tc.want) {
			t.Errorf("info %q renders\n%s\nwant it to hold %s", tc.info, b.String(), tc.want)
		}
	}
}
