package markdown

import (
	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/styles"
	"strings"
	"testing"
)

func TestSyntaxCSS(t *testing.T) {
	h, err := NewHighlighter("github", "github-dark")
	if err != nil {
		t.Fatal(err)
	}
	s := string(h.CSS())
	for _, want := range []string{
		"/* chroma styles github and github-dark (dark), by benchpress */\n",
		"@media screen and (prefers-color-scheme:dark){\n:root:not([data-theme=light]) .chroma{",
		"@media screen{\n:root[data-theme=dark] .chroma{",
		":unset", // a property only the light style sets is reset in dark mode
	} {
		if !strings.Contains(s, want) {
			t.Errorf("stylesheet lacks %q", want)
		}
	}
	if _, err := NewHighlighter("github", "no-such-style"); err == nil || !HasStyle("monokai") || HasStyle("no-such-style") {
		t.Error("an unknown style is not refused")
	}
}

func TestHighlightMarkup(t *testing.T) {
	h, err := NewHighlighter("github", "github-dark")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, lang, code string
		lineNos          bool
		hl               [][2]int
		want             string
	}{
		{"identifiers and punctuation bare, comments one span, quotes unescaped", "go",
			"// a\n// b\nx := \"<&>\"\nreturn nil\n", false, nil,
			`<pre class="chroma" tabindex="0"><code><span class="c">// a` + "\n" + `// b</span>` + "\n" +
				`x <span class="o">:=</span> <span class="s">"&lt;&amp;&gt;"</span>` + "\n" + `<span class="k">return</span> <span class="kc">nil</span>` + "\n</code></pre>\n"},
		{"one class across white space", "go", "var x int\n", false, nil,
			`<pre class="chroma" tabindex="0"><code><span class="k">var</span> x <span class="k">int</span>` + "\n</code></pre>\n"},
		{"line numbers and a marked line", "go", "a\nb\n", true, [][2]int{{2, 2}},
			`<pre class="chroma" tabindex="0"><code><span class="line"><span class="ln">1</span><span class="cl">a` + "\n" + `</span></span>` +
				`<span class="line hl"><span class="ln">2</span><span class="cl">b` + "\n" + `</span></span></code></pre>` + "\n"},
		{"chroma's lexer, not Go", "python", "print(\"x\")\n", false, nil,
			`<pre class="chroma" tabindex="0"><code><span class="nb">print</span>(<span class="s">"x"</span>)` + "\n</code></pre>\n"},
		{"unknown language", "nosuch", "<b>\n", false, nil,
			`<pre class="chroma plain" tabindex="0"><code class="language-nosuch">&lt;b&gt;` + "\n</code></pre>\n"},
	} {
		var b strings.Builder
		h.Highlight(&b, tc.lang, tc.code, tc.lineNos, tc.hl)
		if b.String() != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, b.String(), tc.want)
		}
	}
}

// TestHighlightLooksLikeChroma checks, for every token type and both
// styles, that the class the highlighter writes (or none) paints the token
// as chroma's style says: the colour, background, weight, slant and
// underline the stylesheet gives it equal the style's own.
func TestHighlightLooksLikeChroma(t *testing.T) {
	for _, pair := range [][2]string{{"github", "github-dark"}, {"friendly", "monokai"}, {"solarized-light", "dracula"}} {
		h, err := NewHighlighter(pair[0], pair[1])
		if err != nil {
			t.Fatal(err)
		}
		css := string(h.CSS())
		light, rest, _ := strings.Cut(css, "@media screen and (prefers-color-scheme:dark){\n")
		dark, _, _ := strings.Cut(rest, "}\n@media")
		for i, sheet := range []string{light, dark} {
			style := styles.Get(pair[i])
			rules := map[string]map[string]string{}
			for _, line := range strings.Split(sheet, "\n") {
				sel, body, ok := strings.Cut(strings.TrimPrefix(line, ":root:not([data-theme=light]) "), "{")
				if !ok {
					continue
				}
				m := map[string]string{}
				for _, d := range strings.Split(strings.TrimSuffix(body, "}"), ";") {
					p, v, _ := strings.Cut(d, ":")
					m[p] = v
				}
				rules[sel] = m
			}
			// The dark sheet is layered on the light one.
			get := func(sel, prop string) string {
				if i == 1 {
					if v, ok := rules[sel][prop]; ok {
						return v
					}
					if v, ok := lightRules(light)[sel][prop]; ok {
						return v
					}
					return ""
				}
				return rules[sel][prop]
			}
			bg := style.Get(chroma.Background)
			for tt := range chroma.StandardTypes {
				if tt < 0 && tt != chroma.Error || tt == chroma.TextWhitespace {
					continue
				}
				e := style.Get(tt)
				want := []string{"", "", "", "", ""}
				if e.Colour.IsSet() {
					want[0] = e.Colour.String()
				}
				if e.Background.IsSet() && e.Background != bg.Background {
					want[1] = e.Background.String()
				}
				if e.Bold == chroma.Yes {
					want[2] = "bold"
				}
				if e.Italic == chroma.Yes {
					want[3] = "italic"
				}
				if e.Underline == chroma.Yes {
					want[4] = "underline"
				}
				cls := ".chroma ." + h.classOf(tt)
				pick := func(prop, inherited string) string {
					v := get(cls, prop)
					if h.classOf(tt) == "" || v == "" || v == "unset" {
						return inherited
					}
					return v
				}
				base := get(".chroma:not(.plain)", "color")
				if base == "" || base == "unset" {
					base = get(".chroma", "color")
				}
				if base == "unset" {
					base = ""
				}
				got := []string{pick("color", base), pick("background-color", ""), pick("font-weight", ""), pick("font-style", ""), pick("text-decoration", "")}
				if want[0] == "" { // the style leaves the colour to the block: anything the block shows
					got[0] = ""
				}
				if strings.Join(got, ",") != strings.Join(want, ",") {
					t.Errorf("%s, %s: %s (class %q) looks like %q, chroma says %q", pair[0], pair[i], tt, h.classOf(tt), got, want)
				}
			}
		}
	}
}

func lightRules(sheet string) map[string]map[string]string {
	rules := map[string]map[string]string{}
	for _, line := range strings.Split(sheet, "\n") {
		sel, body, ok := strings.Cut(line, "{")
		if !ok {
			continue
		}
		m := map[string]string{}
		for _, d := range strings.Split(strings.TrimSuffix(body, "}"), ";") {
			p, v, _ := strings.Cut(d, ":")
			m[p] = v
		}
		rules[sel] = m
	}
	return rules
}
