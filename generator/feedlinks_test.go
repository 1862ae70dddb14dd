package generator

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestReplaceRelLinks holds the hand-written scanner to the regexp it
// replaces, on crafted and on random HTML.
func TestReplaceRelLinks(t *testing.T) {
	inputs := []string{
		``, `no links`, `<a href="/x/">x</a>`, `<img src="a.svg"><a href="#top">`,
		`<a href="https://e.org/">`, `<a href="a:b" src="c">`, `href="a=" src="b"`,
		`href="x#y:z"`, `href="#"`, `ehref="q" xsrc="r"`, `href="unterminated`,
		`href="a"src="b"href="c"`, `src="" href=""`, `href="a#b"#c"`, "href=\"\xff\xfe\"",
		`<a href='single'>`, `href ="spaced"`, `hrefhref="x"`, `=""=""src="s"`,
	}
	r := rand.New(rand.NewPCG(1, 2))
	pieces := []string{`href`, `src`, `="`, `"`, `#`, `:`, `/`, `a`, ` `, `=`, `<a `, `>`, "é"}
	for n := 0; n < 3000; n++ {
		var b strings.Builder
		for k := r.IntN(30); k > 0; k-- {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		inputs = append(inputs, b.String())
	}
	for _, in := range inputs {
		want := relLinkRE.ReplaceAllStringFunc(in, func(m string) string {
			sm := relLinkRE.FindStringSubmatch(m)
			return "[" + sm[1] + "|" + sm[2] + "]"
		})
		got := replaceRelLinks(in, func(m, attr, ref string) string { return "[" + attr + "|" + ref + "]" })
		if got != want {
			t.Fatalf("replaceRelLinks(%q) = %q, regexp gives %q", in, got, want)
		}
	}
}
