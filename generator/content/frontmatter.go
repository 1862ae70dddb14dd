package content

// Front matter: the YAML between the "---" lines that opens every post and
// page, read strictly.

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/benchpress/benchpress/generator/diag"
	"golang.org/x/text/unicode/norm"
	"gopkg.in/yaml.v3"
)

var frontMatterKeys = []string{"title", "subtitle", "date", "updated", "draft", "tags", "summary", "slug", "aliases", "series", "toc"}

// splitFrontMatter separates YAML front matter ("---" lines) from the body.
// It returns the YAML, the body with the front matter blanked out (so body
// line numbers equal file line numbers) and the file line of the YAML's
// first line. It overwrites data: the body is a tail of it.
func splitFrontMatter(file string, data []byte) (yml, body []byte, err error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !bytes.HasPrefix(data, []byte("---\n")) && !bytes.HasPrefix(data, []byte("---\r\n")) {
		return nil, nil, diag.Errorf(file, 1, "missing front matter: start the file with a line \"---\", then at least `title:`, then \"---\"")
	}
	start := bytes.IndexByte(data, '\n') + 1
	rest := data[start:]
	end := -1
	for off := 0; off < len(rest); {
		nl := bytes.IndexByte(rest[off:], '\n')
		line := rest[off:]
		if nl >= 0 {
			line = rest[off : off+nl]
		}
		if string(bytes.TrimRight(line, "\r \t")) == "---" {
			end = off
			break
		}
		if nl < 0 {
			break
		}
		off += nl + 1
	}
	if end < 0 {
		return nil, nil, diag.Errorf(file, 1, "front matter is not closed: add a line \"---\" after the last key")
	}
	yml = bytes.Clone(rest[:end])
	closeEnd := start + end + 3
	if nl := bytes.IndexByte(data[closeEnd:], '\n'); nl >= 0 {
		closeEnd += nl + 1
	} else {
		closeEnd = len(data)
	}
	// The front matter's n lines take at least n bytes: blank them in
	// place, so the body shares data's memory instead of copying it.
	n := bytes.Count(data[:closeEnd], []byte("\n"))
	body = data[closeEnd-n:]
	for i := range n {
		body[i] = '\n'
	}
	return yml, body, nil
}

// parseFrontMatter decodes the front matter of file into p. Unknown keys
// are errors: a typo such as "tilte" must not silently drop data.
func parseFrontMatter(file string, yml []byte, p *Post) diag.List {
	const offset = 1 // the YAML starts on the line after the opening ---
	var doc yaml.Node
	if err := yaml.Unmarshal(yml, &doc); err != nil {
		return diag.YAMLErrors(file, offset, err)
	}
	var list diag.List
	if len(doc.Content) == 0 {
		return diag.List{diag.Errorf(file, 1, "front matter is empty: add at least `title: ...`")}
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return diag.List{diag.Errorf(file, m.Line+offset, "front matter must be a mapping of keys to values")}
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		line := k.Line + offset
		if seen[k.Value] {
			list.Add(diag.Errorf(file, line, "key %q appears twice", k.Value))
			continue
		}
		seen[k.Value] = true
		str := func() string {
			if v.Kind != yaml.ScalarNode {
				list.Add(diag.Errorf(file, line, "%s must be a single value", k.Value))
				return ""
			}
			return v.Value
		}
		strs := func() ([]string, []int) {
			switch v.Kind {
			case yaml.ScalarNode:
				if v.Tag == "!!null" {
					return nil, nil
				}
				// A list key holds a list, always: tags: go, rust is one
				// string to YAML, not two tags, and tags: 5 one number.
				// Refusing every scalar keeps the rule one sentence long.
				items := strings.Split(v.Value, ",")
				for i := range items {
					items[i] = strings.TrimSpace(items[i])
				}
				list.Add(diag.Errorf(file, line, "%s %q is one value: write a list, e.g. [%s]", k.Value, v.Value, strings.Join(items, ", ")))
				return nil, nil
			case yaml.SequenceNode:
				var out []string
				var lines []int
				for _, e := range v.Content {
					if e.Kind != yaml.ScalarNode {
						list.Add(diag.Errorf(file, e.Line+offset, "%s must be a list of words", k.Value))
						continue
					}
					out = append(out, e.Value)
					lines = append(lines, e.Line+offset)
				}
				return out, lines
			}
			list.Add(diag.Errorf(file, line, "%s must be a list, e.g. [a, b]", k.Value))
			return nil, nil
		}
		boolean := func() bool {
			var b bool
			if v.Kind != yaml.ScalarNode || v.Decode(&b) != nil {
				list.Add(diag.Errorf(file, line, "%s must be true or false, got %q", k.Value, v.Value))
			}
			return b
		}
		date := func() time.Time {
			s := str()
			t, err := parseDate(s)
			if err != nil && s != "" {
				list.Add(diag.Errorf(file, line, "%s %q is not a date: write YYYY-MM-DD or RFC 3339 (2006-01-02T15:04:05Z07:00)", k.Value, s))
			}
			return t
		}
		switch k.Value {
		case "title":
			p.Title = str()
		case "subtitle":
			p.Subtitle = str()
		case "date":
			p.Date = date()
		case "updated":
			p.Updated = date()
		case "draft":
			p.Draft = boolean()
		case "tags":
			p.Tags, p.Lines.Tags = strs()
			for i, t := range p.Tags {
				slug := Slugify(t)
				switch {
				case slug == "":
					list.Add(diag.Errorf(file, p.Lines.Tags[i], "tag %q has no letters or digits, so it has no page (its URL would be empty): rename it", t))
				case len(slug) > MaxName:
					list.Add(diag.Errorf(file, p.Lines.Tags[i], "tag slug is longer than %d bytes (%d), too long for a file name: shorten the tag", MaxName, len(slug)))
				case DeviceName(slug) != "":
					list.Add(diag.Errorf(file, p.Lines.Tags[i], "tag %q would have its page in a directory %q, the name of a device on Windows (%s): rename the tag", t, slug, DeviceName(slug)))
				}
			}
		case "summary":
			p.SummaryText, p.Lines.Summary = str(), line
		case "slug":
			p.Slug = str()
			switch {
			case p.Slug == "":
			case !norm.NFC.IsNormalString(p.Slug):
				list.Add(diag.Errorf(file, line, "slug %+q is not in Unicode's composed form (NFC), so it would not match the same slug typed elsewhere: write %q", p.Slug, norm.NFC.String(p.Slug)))
			case Slugify(p.Slug) != p.Slug:
				list.Add(diag.Errorf(file, line, "slug %q may hold only lower-case letters, digits and dashes; try %q", p.Slug, Slugify(p.Slug)))
			default:
				p.Lines.Slug = line
				if err := checkSlug(p.Slug, "shorten it", "choose another"); err != nil {
					list.Add(diag.Errorf(file, line, "%v", err))
				}
			}
		case "aliases":
			p.Aliases, p.Lines.Aliases = strs()
			for i, a := range p.Aliases {
				if err := CheckSitePath(a); err != nil {
					list.Add(diag.Errorf(file, p.Lines.Aliases[i], "alias %q %v", a, err))
				}
			}
		case "series":
			p.Series = str()
		case "toc":
			p.TOCEnabled = boolean()
		default:
			list.Add(diag.Errorf(file, line, "unknown front matter key %q (known keys: %s)", k.Value, strings.Join(frontMatterKeys, ", ")))
		}
	}
	if strings.TrimSpace(p.Title) == "" {
		list.Add(diag.Errorf(file, 1+offset-1, "front matter has no title: add `title: ...`"))
	}
	if p.Kind == "post" && p.Date.IsZero() && !seen["date"] {
		list.Add(diag.Errorf(file, 1, "post has no date: add `date: YYYY-MM-DD` to the front matter"))
	}
	return list
}

func parseDate(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02", time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("bad date %q", s)
}

// checkUTF8 refuses a file that is not UTF-8, at the line of the first
// bad byte: the raw bytes would otherwise reach the HTML, the feeds and
// the search index, where every reader shows them differently.
func checkUTF8(file string, data []byte) error {
	if utf8.Valid(data) {
		return nil
	}
	for off := 0; off < len(data); {
		r, size := utf8.DecodeRune(data[off:])
		if r == utf8.RuneError && size == 1 {
			line := 1 + bytes.Count(data[:off], []byte("\n"))
			return diag.Errorf(file, line, "invalid UTF-8 (byte 0x%02x): save the file as UTF-8", data[off])
		}
		off += size
	}
	return nil
}
