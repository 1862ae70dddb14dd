package content

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// TestPortableName: the names one of Linux, macOS and Windows refuses
// or changes, and names close to them that all three take.
func TestPortableName(t *testing.T) {
	for _, tt := range []struct{ name, want string }{
		{"index.html", ""},
		{"ünï-çødé", ""},
		{"console.html", ""},
		{"auxiliary", ""},
		{"com10", ""},
		{"lpt0.txt", ""},
		{"nul-and-void", ""},
		{".hidden", ""},
		{strings.Repeat("a", 255), ""},
		{"con", "is the name of a device on Windows (CON)"},
		{"CON", "is the name of a device on Windows (CON)"},
		{"aux.md", "is the name of a device on Windows (AUX)"},
		{"Nul.tar.gz", "is the name of a device on Windows (NUL)"},
		{"prn .txt", "is the name of a device on Windows (PRN)"},
		{"com7", "is the name of a device on Windows (COM7)"},
		{"LPT9.log", "is the name of a device on Windows (LPT9)"},
		{"com¹", "is the name of a device on Windows (COM¹)"},
		{"conout$", "is the name of a device on Windows (CONOUT$)"},
		{"a:b", "holds ':', which Windows refuses in file names"},
		{"why?", "holds '?', which Windows refuses in file names"},
		{"a*b", "holds '*', which Windows refuses in file names"},
		{`"q"`, `holds '"', which Windows refuses in file names`},
		{"<b>", "holds '<', which Windows refuses in file names"},
		{"a|b", "holds '|', which Windows refuses in file names"},
		{`a\b`, `holds '\\', which Windows refuses in file names`},
		{"tab\there", "holds the control character U+0009, which Windows refuses in file names"},
		{"trailing.", "ends in a dot or a space, which Windows drops from file names"},
		{"trailing ", "ends in a dot or a space, which Windows drops from file names"},
		{strings.Repeat("ü", 128), "is longer than 255 bytes (256)"},
	} {
		got := ""
		if err := portableName(tt.name); err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("portableName(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestFoldKey: names that macOS's and Windows' file systems take for one
// have one key; names they keep apart do not.
func TestFoldKey(t *testing.T) {
	same := [][2]string{
		{"Posts/A.md", "posts/a.md"},
		{"ÜNÏ", "ünï"},
		{"café", "cafe\u0301"}, // composed and decomposed
		{"CAFE\u0301", "café"},
		{"s", "ſ"},      // long s
		{"k", "\u212a"}, // Kelvin sign
		{"Σίσυφος", "ΣΊΣΥΦΟΣ"},
		{"ς", "σ"}, // final sigma
	}
	for _, p := range same {
		if FoldKey(p[0]) != FoldKey(p[1]) {
			t.Errorf("FoldKey(%q) != FoldKey(%q)", p[0], p[1])
		}
	}
	different := [][2]string{
		{"a", "b"},
		{"straße", "strasse"}, // only full case folding joins these; the file systems do not
		{"é", "e"},
		{"posts/a", "posts-a"},
	}
	for _, p := range different {
		if FoldKey(p[0]) == FoldKey(p[1]) {
			t.Errorf("FoldKey(%q) == FoldKey(%q)", p[0], p[1])
		}
	}
}

// FuzzNames checks the name rules on any text: slugify gives a slug that
// is its own slug (UTF-8, composed, no dash at either end nor two in a
// row); foldKey joins exactly the names strings.EqualFold joins, once
// composed; portableName and portablePath answer without panicking.
func FuzzNames(f *testing.F) {
	for _, s := range []string{"Ünïcode wörds", "cafe\u0301", "日本語", "हिन्दी", "C++ & Go!", "ſ", "\u212a", "AUX.md", "a:b", "trailing.", "bad\xffutf8", "Σίσυφος", "\u0301x"} {
		f.Add(s, strings.ToUpper(s))
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		s := Slugify(a)
		if Slugify(s) != s {
			t.Errorf("Slugify(%q) = %q, whose slug is %q", a, s, Slugify(s))
		}
		if !utf8.ValidString(s) || !norm.NFC.IsNormalString(s) {
			t.Errorf("Slugify(%q) = %q: not composed UTF-8", a, s)
		}
		if strings.HasPrefix(s, "-") || strings.HasSuffix(s, "-") || strings.Contains(s, "--") {
			t.Errorf("Slugify(%q) = %q: stray dashes", a, s)
		}
		if utf8.ValidString(a) && utf8.ValidString(b) {
			na, nb := norm.NFC.String(a), norm.NFC.String(b)
			if eq := strings.EqualFold(na, nb); eq != (FoldKey(a) == FoldKey(b)) {
				t.Errorf("EqualFold(%q, %q) = %v, but their fold keys are %q and %q", na, nb, eq, FoldKey(a), FoldKey(b))
			}
		}
		_ = portableName(a)
		_ = PortablePath(a + "/" + b)
		if s != "" && portableName(s) != nil && checkSlug(s, "", "") == nil {
			t.Errorf("slug %q passes checkSlug but not portableName: %v", s, portableName(s))
		}
	})
}

// TestCheckSlug: what `benchpress new` is told about a title's slug.
func TestCheckSlug(t *testing.T) {
	for _, tt := range []struct{ slug, want string }{
		{"consistent-hashing", ""},
		{"ünï-çødé", ""},
		{"con", `slug "con" is the name of a device on Windows (CON): choose another title`},
		{strings.Repeat("ab", 128), "slug is longer than 255 bytes (256): choose a shorter title"},
	} {
		got := ""
		if err := CheckSlug(tt.slug); err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("CheckSlug(%q) = %q, want %q", tt.slug, got, tt.want)
		}
	}
}
