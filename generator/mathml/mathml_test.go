package mathml

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestConvert(t *testing.T) {
	for _, tc := range []struct {
		tex     string
		display bool
		want    string // the MathML inside the outer <mrow>
	}{
		{`x^2`, false, `<msup><mi>x</mi><mn>2</mn></msup>`},
		{`a_i^{n+1}`, false, `<msubsup><mi>a</mi><mi>i</mi><mrow><mi>n</mi><mo>+</mo><mn>1</mn></mrow></msubsup>`},
		{`\frac{1}{2}`, false, `<mfrac><mn>1</mn><mn>2</mn></mfrac>`},
		{`\sqrt[3]{x}`, false, `<mroot><mi>x</mi><mrow><mn>3</mn></mrow></mroot>`},
		{`\alpha \le \Omega`, false, `<mi>α</mi><mo>≤</mo><mi mathvariant="normal">Ω</mi>`},
		{`\sum_{i=1}^n i`, true, `<munderover><mo largeop="true" movablelimits="true">∑</mo><mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow><mi>n</mi></munderover><mi>i</mi>`},
		{`\sum_{i=1}^n i`, false, `<msubsup><mo largeop="true" movablelimits="true">∑</mo><mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow><mi>n</mi></msubsup><mi>i</mi>`},
		{`O(n \log n)`, false, `<mi>O</mi><mo>(</mo><mi>n</mi><mi>log</mi><mi>n</mi><mo>)</mo>`},
		{`\text{p99 < 5 ms}`, false, `<mtext>p99 &lt; 5 ms</mtext>`},
		{`\left( \frac{a}{b} \right)`, false, `<mrow><mo fence="true" stretchy="true">(</mo><mfrac><mi>a</mi><mi>b</mi></mfrac><mo fence="true" stretchy="true">)</mo></mrow>`},
		{`\begin{pmatrix} 1 & 0 \\ 0 & 1 \end{pmatrix}`, true, `<mrow><mo fence="true" stretchy="true">(</mo><mtable><mtr><mtd><mrow><mn>1</mn></mrow></mtd><mtd><mrow><mn>0</mn></mrow></mtd></mtr><mtr><mtd><mrow><mn>0</mn></mrow></mtd><mtd><mrow><mn>1</mn></mrow></mtd></mtr></mtable><mo fence="true" stretchy="true">)</mo></mrow>`},
		{`f'(x) = 3.5x - 1`, false, `<msup><mi>f</mi><mo>′</mo></msup><mo>(</mo><mi>x</mi><mo>)</mo><mo>=</mo><mn>3.5</mn><mi>x</mi><mo>−</mo><mn>1</mn><mo>)</mo>`[:0] + `<msup><mi>f</mi><mo>′</mo></msup><mo>(</mo><mi>x</mi><mo>)</mo><mo>=</mo><mn>3.5</mn><mi>x</mi><mo>−</mo><mn>1</mn>`},
		{`\mathbb{R}^n`, false, `<msup><mstyle mathvariant="double-struck"><mi>R</mi></mstyle><mi>n</mi></msup>`},
		{`\hat{p}`, false, `<mover accent="true"><mi>p</mi><mo stretchy="false">^</mo></mover>`},
	} {
		got, err := Convert(tc.tex, tc.display)
		if err != nil {
			t.Errorf("Convert(%q): %v", tc.tex, err)
			continue
		}
		pre := "<math><semantics><mrow>"
		if tc.display {
			pre = `<math display="block"><semantics><mrow>`
		}
		inner := strings.TrimPrefix(got, pre)
		inner, _, _ = strings.Cut(inner, `</mrow><annotation encoding="application/x-tex">`)
		if inner != tc.want {
			t.Errorf("Convert(%q) = %s\nwant %s", tc.tex, inner, tc.want)
		}
		if !strings.HasSuffix(got, `<annotation encoding="application/x-tex">`+escapeText(tc.tex)+`</annotation></semantics></math>`) {
			t.Errorf("Convert(%q) lacks its annotation: %s", tc.tex, got)
		}
	}
}

func escapeText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

func TestConvertErrors(t *testing.T) {
	for _, tc := range []struct {
		tex  string
		off  int
		want string
	}{
		{`\frac{1}{2`, 8, "unclosed {: add the } that closes it"},
		{`x}`, 1, "unexpected }: no { opens it"},
		{`\foo x`, 0, `unknown command \foo: benchpress converts a subset of LaTeX to MathML (README, "Math"); write it another way`},
		{`x^`, 2, "^ needs an argument: write ^{...}"},
		{`x_1_2`, 3, "double subscript: group them, x_{ab}"},
		{`\frac{1}`, 8, `\frac needs an argument: write \frac{...}`},
		{`\left( x`, 8, `\left without \right: add \right) (or \right. for none)`},
		{`a \\ b`, 2, `\\ (a line break) outside an environment: use \begin{aligned} ... \end{aligned}`},
		{`\begin{foo} x \end{foo}`, 0, `unknown environment "foo": use matrix, pmatrix, bmatrix, vmatrix, cases or aligned`},
		{`\begin{matrix} x \end{pmatrix}`, 17, `\begin{matrix} ended by \end{pmatrix}`},
		{`\begin{matrix} x`, 0, `\begin{matrix} without \end{matrix}`},
		{`^2`, 0, "^ with nothing before it: write {}^... for a script on nothing"},
		{strings.Repeat("{", 100), 64, "math nested more than 64 levels deep"},
	} {
		_, err := Convert(tc.tex, false)
		var e *Error
		if !errors.As(err, &e) || e.Msg != tc.want || e.Offset != tc.off {
			t.Errorf("Convert(%q): %#v, want %q at %d", tc.tex, err, tc.want, tc.off)
		}
	}
}

// FuzzConvert: Convert never panics, an error's offset is inside the
// source, and what it returns is well-formed XML with one <math> root.
func FuzzConvert(f *testing.F) {
	for _, s := range []string{`x^2`, `\frac{a}{b}`, `\sqrt[3]{x}`, `\left(\right)`, `\begin{cases} a & b \\ c \end{cases}`, `\text{a{b}}`, `\sum_{i}^{n}`, `é\alpha`, `{{}}`, `\sqrt[`, `\left\`} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, tex string, display bool) {
		out, err := Convert(tex, display)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Offset < 0 || e.Offset > len(tex) {
				t.Fatalf("Convert(%q): error %#v", tex, err)
			}
			return
		}
		dec := xml.NewDecoder(strings.NewReader(out))
		depth, roots := 0, 0
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("Convert(%q) = %s: not XML: %v", tex, out, err)
			}
			switch tok.(type) {
			case xml.StartElement:
				if depth == 0 {
					roots++
				}
				depth++
			case xml.EndElement:
				depth--
			}
		}
		if depth != 0 || roots != 1 {
			t.Fatalf("Convert(%q) = %s: %d roots, depth %d at the end", tex, out, roots, depth)
		}
	})
}
