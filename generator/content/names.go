package content

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Names: the slugs benchpress derives, and the rules every name it writes
// obeys so that a site builds the same on Linux, macOS and Windows.
//
// Slugs are Unicode, as Hugo's are: the letters, marks and decimal digits
// of every script are kept, lower-cased, and every other run of runes is
// one dash ("Ünïcode wörds" is ünïcode-wörds, "日本語" stays 日本語). Text
// is first put in Unicode's composed form (NFC): "ü" typed as u and a
// combining diaeresis (macOS's file names, text copied from them) and "ü"
// typed as one rune look the same and must give one URL, and macOS's file
// systems store the two spellings as one file.

// MaxName is the longest file name, in bytes, that every supported file
// system takes: Linux's take 255 bytes, macOS's and Windows' 255 UTF-16
// units, which a name of 255 UTF-8 bytes never exceeds.
const MaxName = 255

// Slugify lower-cases s and joins its words with dashes: letters, marks
// and digits of any script are kept, every other rune separates words.
// Templates call it for every tag link of every summary, so ASCII takes
// one pass over the bytes without regexps.
func Slugify(s string) string {
	b := make([]byte, 0, len(s))
	sep := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		case c >= utf8.RuneSelf:
			return slugifyUnicode(s)
		default:
			sep = len(b) > 0
			continue
		}
		if sep {
			b = append(b, '-')
			sep = false
		}
		b = append(b, c)
	}
	return string(b)
}

// slugifyUnicode is Slugify for text that is not all ASCII.
func slugifyUnicode(s string) string {
	s = norm.NFC.String(s)
	b := make([]byte, 0, len(s))
	sep := false
	word := false // the last rune kept a word going: a mark may follow
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
		case unicode.IsMark(r) && word && !sep:
			// A vowel sign, a virama, an accent NFC could not compose:
			// part of the letter before it.
		default:
			// Separators, punctuation, symbols, and U+FFFD for bytes
			// that are not UTF-8.
			sep = len(b) > 0
			word = false
			continue
		}
		if sep {
			b = append(b, '-')
			sep = false
		}
		b = utf8.AppendRune(b, unicode.ToLower(r))
		word = true
	}
	// Lower-casing can leave a composable pair (rarely): compose it.
	return norm.NFC.String(string(b))
}

// FoldKey is the same for two names exactly when macOS's and Windows'
// default file systems would take them for one file: equal after Unicode
// case folding (what strings.EqualFold compares) and composition (NFC).
func FoldKey(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	s = norm.NFC.String(s)
	b := make([]byte, 0, len(s))
	for _, r := range s {
		// Every rune of a fold orbit (k, K and the Kelvin sign K) maps to
		// the orbit's smallest member, the same for all of them.
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			m = min(m, f)
		}
		if m < utf8.RuneSelf {
			m = unicode.ToLower(m) // the ASCII path's choice
		}
		b = utf8.AppendRune(b, m)
	}
	return string(b)
}

// portableName reports why one component of a path (a file or directory
// name) cannot be written the same on Linux, macOS and Windows, or nil.
// The error completes a sentence about the name: "aux" ....
func portableName(name string) error {
	if len(name) > MaxName {
		return fmt.Errorf("is longer than %d bytes (%d)", MaxName, len(name))
	}
	if dev := DeviceName(name); dev != "" {
		return fmt.Errorf("is the name of a device on Windows (%s)", dev)
	}
	for i := 0; i < len(name); i++ {
		// Bytes, not runes: everything refused is ASCII, and no byte of
		// a multi-byte rune is.
		switch c := name[i]; {
		case c < 0x20:
			return fmt.Errorf("holds the control character %U, which Windows refuses in file names", rune(c))
		case c == '<' || c == '>' || c == ':' || c == '"' || c == '|' || c == '?' || c == '*' || c == '\\':
			return fmt.Errorf("holds %q, which Windows refuses in file names", rune(c))
		}
	}
	if strings.HasSuffix(name, ".") || strings.HasSuffix(name, " ") {
		return fmt.Errorf("ends in a dot or a space, which Windows drops from file names")
	}
	return nil
}

// DeviceName returns the Windows device a file name stands for (CON for
// con.html: the extension does not matter), or "".
func DeviceName(name string) string {
	stem, _, _ := strings.Cut(name, ".")
	stem = strings.TrimRight(stem, " ")
	if len(stem) < 3 || len(stem) > 7 {
		return ""
	}
	for _, dev := range [...]string{"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} {
		if strings.EqualFold(stem, dev) {
			return dev
		}
	}
	// COM1 to COM9 and LPT1 to LPT9, and with a superscript digit (COM¹,
	// two bytes in UTF-8), which Windows also reserves.
	for _, dev := range [...]string{"COM", "LPT"} {
		if strings.EqualFold(stem[:3], dev) {
			switch d := stem[3:]; d {
			case "1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³":
				return dev + d
			}
		}
	}
	return ""
}

// PortablePath checks each component of a slash path with portableName,
// naming the component at fault.
func PortablePath(p string) error {
	for seg := range strings.SplitSeq(p, "/") {
		if err := portableName(seg); err != nil {
			return fmt.Errorf("%q %w", ShortName(seg), err)
		}
	}
	return nil
}

// FoldSet finds names that differ only in case (or in composition): the
// fold key of every path added, and of every directory above it, with
// the path as first added and its claim C (what produced it, for a message).
type FoldSet[C any] map[string]foldEntry[C]

type foldEntry[C any] struct {
	name string
	c    C
}

// Add records the slash path p and the directories above it. When one of
// them differs from a name recorded before only in case, it records
// nothing and returns the two names and the earlier one's claim.
func (f FoldSet[C]) Add(p string, c C) (mine, other string, prev *C) {
	var buf [8]string
	keys := buf[:0]
	for i := 0; i <= len(p); i++ {
		if i < len(p) && p[i] != '/' {
			continue
		}
		name, k := p[:i], FoldKey(p[:i])
		if e, ok := f[k]; ok && e.name != name {
			c := e.c // only a clash pays for a claim on the heap
			return name, e.name, &c
		}
		keys = append(keys, k)
	}
	n := 0
	for i := 0; i <= len(p); i++ {
		if i == len(p) || p[i] == '/' {
			if _, ok := f[keys[n]]; !ok {
				f[keys[n]] = foldEntry[C]{p[:i], c}
			}
			n++
		}
	}
	return "", "", nil
}

// ShortName is p for a message: a name of hundreds of bytes is cut after
// its first 60 or so, at a rune boundary.
func ShortName(p string) string {
	const keep = 60
	if len(p) <= keep+10 {
		return p
	}
	cut := keep
	for cut > 0 && !utf8.RuneStart(p[cut]) {
		cut--
	}
	return p[:cut] + "…"
}

// CheckSlug reports why a slug cannot name a file on every system (longer
// than 255 bytes, a Windows device name), with advice for whoever chose
// the title it comes from: `benchpress new` makes a file of it.
func CheckSlug(slug string) error {
	return checkSlug(slug, "choose a shorter title", "choose another title")
}

// MaxSitePath is the longest alias, in bytes. Beyond the file system's
// own limit on a whole path (4096 bytes on Linux, 1024 on macOS) a write
// fails without saying which post asked for it; an alias is an old URL,
// never near this long.
const MaxSitePath = 512

// CheckAlias reports why an alias (a redirect page written at that site
// path) cannot be written, or nil: a site path (CheckSitePath) of at most
// MaxSitePath bytes. Its segments' names are judged where every output
// path is (the collision check), with the file each one would be.
func CheckAlias(p string) error {
	if err := CheckSitePath(p); err != nil {
		return err
	}
	if len(p) > MaxSitePath {
		return fmt.Errorf("is longer than %d bytes (%d): shorten it", MaxSitePath, len(p))
	}
	return nil
}

// CheckSitePath reports why a site path taken from the site's files (an
// alias, a permalink pattern) cannot name a file of the output: every
// path a build writes must stay inside the output directory.
func CheckSitePath(p string) error {
	switch {
	case !strings.HasPrefix(p, "/"):
		return fmt.Errorf("must be a site path starting with /")
	case strings.ContainsAny(p, "\\\x00"):
		return fmt.Errorf("must not contain a backslash or a NUL byte")
	case strings.Contains(p, "//"):
		return fmt.Errorf("must not contain an empty segment (//)")
	case strings.ContainsAny(p, "?#"):
		return fmt.Errorf("must be a path, without ? or #")
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "." || seg == ".." {
			return fmt.Errorf("must not contain . or .. segments")
		}
	}
	return nil
}
