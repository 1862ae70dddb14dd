package sitecheck

import "strings"

type cssRef struct {
	label string // "url()" or "@import"
	url   string
}

// cssRefs returns the URLs a stylesheet loads: url(...) and @import "...".
// It is a scanner, not a parser: comments and strings are skipped so a URL
// written in them is not taken for one, and nothing else of CSS matters.
func cssRefs(css string) []cssRef {
	var refs []cssRef
	for i := 0; i < len(css); {
		switch {
		case strings.HasPrefix(css[i:], "/*"):
			end := strings.Index(css[i+2:], "*/")
			if end < 0 {
				return refs
			}
			i += 2 + end + 2
		case css[i] == '"' || css[i] == '\'':
			_, n := cssString(css[i:])
			i += n
		case hasFoldPrefix(css[i:], "url(") && (i == 0 || !isIdent(css[i-1])):
			j := i + 4
			for j < len(css) && isSpace(css[j]) {
				j++
			}
			var u string
			if j < len(css) && (css[j] == '"' || css[j] == '\'') {
				s, n := cssString(css[j:])
				u, j = s, j+n
			} else {
				end := strings.IndexByte(css[j:], ')')
				if end < 0 {
					end = len(css) - j
				}
				u, j = strings.TrimSpace(css[j:j+end]), j+end
			}
			refs = append(refs, cssRef{"url()", u})
			i = j
		case hasFoldPrefix(css[i:], "@import"):
			j := i + len("@import")
			for j < len(css) && isSpace(css[j]) {
				j++
			}
			if j < len(css) && (css[j] == '"' || css[j] == '\'') {
				s, n := cssString(css[j:])
				refs = append(refs, cssRef{"@import", s})
				j += n
			}
			i = j // @import url(...) is found as a url() next
		default:
			i++
		}
	}
	return refs
}

// cssString reads the quoted string at the start of s, returning its value
// and the bytes consumed (an unterminated string runs to the end).
func cssString(s string) (string, int) {
	q := s[0]
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case q:
			return b.String(), i + 1
		case '\\':
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			}
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String(), len(s)
}

func hasFoldPrefix(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func isIdent(b byte) bool {
	return b == '-' || b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b >= 0x80
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' }
