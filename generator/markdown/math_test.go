package markdown

import (
	"bytes"
	"testing"

	"github.com/benchpress/benchpress/internal/golden"
)

// TestMathGolden: inline $...$ and $`...`$, displayed $$...$$ (inline, one
// line, a block) and ```math fences become MathML; dollar amounts and \$
// stay text; the page holds no script.
func TestMathGolden(t *testing.T) {
	src := "# Math\n\n" +
		"Costs $5 and $10, US$5, or 5$ each; \\$x$ is escaped.\n\n" +
		"Inline $O(n \\log n)$, $`\\sqrt{2} \\approx 1.41`$ and $p_{99} < 5\\,\\text{ms}$; a display $$a^2+b^2=c^2$$ inside a line.\n\n" +
		"$$\n\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}\n$$\n\n" +
		"$$\\Pr[X \\ge k] \\le e^{-\\mu}$$\n\n" +
		"```math\n\\begin{pmatrix} 1 & 0 \\\\ 0 & 1 \\end{pmatrix}\n```\n\n" +
		"`$x$` in code stays code.\n"
	m := New(Options{Fence: liveFence})
	doc, errs := m.Parse([]byte(src), "p.md", nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var b bytes.Buffer
	if err := doc.Render(&b); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b.Bytes(), []byte("<script")) {
		t.Error("math rendered with a script")
	}
	golden.Check(t, "math.html", b.Bytes())
}

// TestMathErrors: math that does not convert is an error at its line of
// the post, in each form.
func TestMathErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"Text.\n\nBad $\\foo x$ here.\n", `p.md:3: math: unknown command \foo: benchpress converts a subset of LaTeX to MathML (README, "Math"); write it another way`},
		{"Text.\n\n$$\n\\frac{1}{2}\n\\frac{1}\n$$\n", `p.md:5: math: \frac needs an argument: write \frac{...}`},
		{"Text.\n\n```math\nx\n\ny^\n```\n", "p.md:6: math: ^ needs an argument: write ^{...}"},
		{"Text.\n\n$$\nx + y\n\nMore.\n", "p.md:3: math: $$ is not closed: end the displayed math with $$"},
		{"A $$x}$$ b.\n", "p.md:1: math: unexpected }: no { opens it"},
		{"A $`{x`$ b.\n", "p.md:1: math: unclosed {: add the } that closes it"},
	} {
		m := New(Options{Fence: liveFence})
		_, errs := m.Parse([]byte(tc.src), "p.md", nil)
		if got := errs.Error(); len(errs) != 1 || got != tc.want {
			t.Errorf("%q: errors %q\nwant %q", tc.src, got, tc.want)
		}
	}
}

// FuzzMathMarkdown: no document with dollars makes the parser panic or
// the renderer fail.
func FuzzMathMarkdown(f *testing.F) {
	for _, s := range []string{"$x$", "$$\nx\n$$", "a $5 and $10", "$`x`$", "$$x$$", "```math\nx\n```", "> $$\n> x\n> $$", "- $x$\n  $$\n  y\n  $$", "$\\$$", "$$$$", "$ $"} {
		f.Add(s)
	}
	m := New(Options{Fence: liveFence})
	f.Fuzz(func(t *testing.T, src string) {
		doc, _ := m.Parse([]byte(src), "p.md", nil)
		var b bytes.Buffer
		if err := doc.Render(&b); err != nil {
			t.Fatalf("%q: %v", src, err)
		}
	})
}
