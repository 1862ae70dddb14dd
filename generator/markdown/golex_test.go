package markdown

import (
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

// TestLexGoMatchesChroma checks the fast Go lexer against chroma's own on
// typical code: same text, and the same token type for every
// non-whitespace token.
func TestLexGoMatchesChroma(t *testing.T) {
	code := "//go:build linux\n\n// Package x does things.\npackage main\n\nimport (\n\t\"fmt\"\n\t\"strings\"\n)\n\n" +
		"type Ring struct {\n\tnodes []string // sorted\n\tvnodes map[uint32]int\n}\n\n" +
		"/* multi\n   line */\nfunc (r *Ring) Locate(key string) (string, error) {\n\tif len(r.nodes) == 0 {\n\t\treturn \"\", fmt.Errorf(\"empty: %d\", 0x1F)\n\t}\n" +
		"\tx := 3.5e2 + float64(07) - 1\n\tc := 'a'\n\tfor i := range 10 {\n\t\tx += float64(i)\n\t}\n\tch := make(chan int, 1)\n\tch <- 1\n\t_ = <-ch\n" +
		"\tvar ok bool = true && !false\n\t_, _ = ok, c\n\treturn strings.ToUpper(key), nil\n}\n"
	fast, ok := lexGo(nil, code)
	if !ok {
		t.Fatal("lexGo refused valid Go")
	}
	it, err := lexers.Get("go").Tokenise(nil, code)
	if err != nil {
		t.Fatal(err)
	}
	slow := it.Tokens()
	var a, b strings.Builder
	for _, tk := range fast {
		a.WriteString(tk.Value)
	}
	for _, tk := range slow {
		b.WriteString(tk.Value)
	}
	if a.String() != code || b.String() != code {
		t.Fatal("lexers do not reproduce the source")
	}
	sig := func(toks []chroma.Token) []string {
		var out []string
		for _, tk := range toks {
			if strings.TrimSpace(tk.Value) == "" {
				continue
			}
			out = append(out, tk.Type.String()+" "+strings.TrimSpace(tk.Value))
		}
		return out
	}
	// chroma splits some tokens differently (e.g. "(" after a call);
	// compare by concatenating runs of the same type.
	merge := func(xs []string) []string {
		var out []string
		for _, x := range xs {
			typ, val, _ := strings.Cut(x, " ")
			if n := len(out); n > 0 && strings.HasPrefix(out[n-1], typ+" ") {
				out[n-1] += val
				continue
			}
			out = append(out, x)
		}
		return out
	}
	fs, ss := merge(sig(fast)), merge(sig(slow))
	for i := 0; i < len(fs) && i < len(ss); i++ {
		if fs[i] != ss[i] {
			t.Fatalf("token %d: fast %q, chroma %q", i, fs[i], ss[i])
		}
	}
	if len(fs) != len(ss) {
		t.Fatalf("fast lexer gave %d tokens, chroma %d", len(fs), len(ss))
	}
}

func TestLexGoRefusesNonGo(t *testing.T) {
	if _, ok := lexGo(nil, "this is `not go\n"); ok {
		t.Error("lexGo accepted an unterminated raw string")
	}
}
