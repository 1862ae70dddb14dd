package content

// Front matter: the YAML between the "---" lines that opens every post and
// page, read strictly.

import (
	"bytes"
	"fmt"
	"strconv"
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

// offset is the file line of the YAML's line 0: it starts on the line
// after the opening ---.
const offset = 1

// parseFrontMatter decodes the front matter of file into p. Unknown keys
// are errors: a typo such as "tilte" must not silently drop data.
func parseFrontMatter(file string, yml []byte, p *Post) diag.List {
	var doc yaml.Node
	if err := yaml.Unmarshal(yml, &doc); err != nil {
		return diag.YAMLSourceErrors(file, offset, yml, err)
	}
	if len(doc.Content) == 0 {
		return diag.List{diag.Errorf(file, 1, "front matter is empty: add at least `title: ...`")}
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return diag.List{diag.Errorf(file, m.Line+offset, "front matter must be a mapping of keys to values")}
	}
	var list diag.List
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := fmValue{file: file, key: m.Content[i].Value, v: m.Content[i+1], line: m.Content[i].Line + offset, list: &list}
		if seen[k.key] {
			list.Add(diag.Errorf(file, k.line, "key %q appears twice", k.key))
			continue
		}
		seen[k.key] = true
		k.setIn(p)
	}
	if strings.TrimSpace(p.Title) == "" {
		list.Add(diag.Errorf(file, 1+offset-1, "front matter has no title: add `title: ...`"))
	}
	if p.Kind == "post" && p.Date.IsZero() && !seen["date"] {
		list.Add(diag.Errorf(file, 1, "post has no date: add `date: YYYY-MM-DD` to the front matter"))
	}
	return list
}

// fmValue is one key of the front matter and its value, read as the type
// the key takes; a value of the wrong shape is an error at its line.
type fmValue struct {
	file, key string
	v         *yaml.Node
	line      int // the key's file line
	list      *diag.List
}

func (k fmValue) errorf(line int, format string, args ...any) {
	k.list.Add(diag.Errorf(k.file, line, format, args...))
}

// setIn stores the value in p's field for the key.
func (k fmValue) setIn(p *Post) {
	switch k.key {
	case "title":
		p.Title = k.str()
	case "subtitle":
		p.Subtitle = k.str()
	case "date":
		p.Date = k.date()
	case "updated":
		p.Updated = k.date()
	case "draft":
		p.Draft = k.boolean()
	case "tags":
		p.Tags, p.Lines.Tags = k.strs()
		k.checkTags(p.Tags, p.Lines.Tags)
	case "summary":
		p.SummaryText, p.Lines.Summary = k.str(), k.line
	case "slug":
		p.Slug = k.str()
		if k.checkSlug(p.Slug) {
			p.Lines.Slug = k.line
		}
	case "aliases":
		p.Aliases, p.Lines.Aliases = k.strs()
		for i, a := range p.Aliases {
			if err := CheckAlias(a); err != nil {
				k.errorf(p.Lines.Aliases[i], "alias %q %v", ShortName(a), err)
			}
		}
	case "series":
		p.Series = k.str()
	case "toc":
		p.TOCEnabled = k.boolean()
	default:
		k.errorf(k.line, "unknown front matter key %q (known keys: %s)", k.key, strings.Join(frontMatterKeys, ", "))
	}
}

func (k fmValue) str() string {
	if k.v.Kind != yaml.ScalarNode {
		k.errorf(k.line, "%s must be a single value", k.key)
		return ""
	}
	return k.v.Value
}

// strs reads a list of words, with the file line of each.
func (k fmValue) strs() ([]string, []int) {
	switch k.v.Kind {
	case yaml.ScalarNode:
		if k.v.Tag == "!!null" {
			return nil, nil
		}
		// A list key holds a list, always: tags: go, rust is one
		// string to YAML, not two tags, and tags: 5 one number.
		// Refusing every scalar keeps the rule one sentence long.
		items := strings.Split(k.v.Value, ",")
		for i := range items {
			items[i] = strings.TrimSpace(items[i])
		}
		k.errorf(k.line, "%s %q is one value: write a list, e.g. [%s]", k.key, k.v.Value, strings.Join(items, ", "))
		return nil, nil
	case yaml.SequenceNode:
		var out []string
		var lines []int
		for _, e := range k.v.Content {
			if e.Kind != yaml.ScalarNode {
				k.errorf(e.Line+offset, "%s must be a list of words", k.key)
				continue
			}
			out = append(out, e.Value)
			lines = append(lines, e.Line+offset)
		}
		return out, lines
	}
	k.errorf(k.line, "%s must be a list, e.g. [a, b]", k.key)
	return nil, nil
}

// boolean reads YAML's own true or false, nothing else: yaml.v3 alone also
// takes yes, no, on, off, y and n, quoted or not, but refuses a quoted
// "false", so draft: "no" published a post while draft: "false" was an
// error that read "must be true or false, got "false"".
func (k fmValue) boolean() bool {
	var b bool
	if k.v.Kind == yaml.ScalarNode && k.v.ShortTag() == "!!bool" && k.v.Decode(&b) == nil {
		return b
	}
	got := k.v.Value
	switch {
	case k.v.Kind == yaml.SequenceNode:
		got = "a list"
	case k.v.Kind != yaml.ScalarNode:
		got = "a mapping"
	case k.v.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0:
		got = strconv.Quote(got) + ", a string: write it without quotes"
	}
	k.errorf(k.line, "%s must be true or false, got %s", k.key, got)
	return b
}

func (k fmValue) date() time.Time {
	s := k.str()
	t, err := parseDate(s)
	if err != nil && s != "" {
		k.errorf(k.line, "%s %q is not a date: write YYYY-MM-DD or RFC 3339 (2006-01-02T15:04:05Z07:00)", k.key, s)
	}
	return t
}

// checkTags refuses tags whose page could not be written: no slug, a slug
// too long for a file name, or a Windows device name.
func (k fmValue) checkTags(tags []string, lines []int) {
	for i, t := range tags {
		slug := Slugify(t)
		switch {
		case slug == "":
			k.errorf(lines[i], "tag %q has no letters or digits, so it has no page (its URL would be empty): rename it", t)
		case len(slug) > MaxName:
			k.errorf(lines[i], "tag slug is longer than %d bytes (%d), too long for a file name: shorten the tag", MaxName, len(slug))
		case DeviceName(slug) != "":
			k.errorf(lines[i], "tag %q would have its page in a directory %q, the name of a device on Windows (%s): rename the tag", t, slug, DeviceName(slug))
		}
	}
}

// checkSlug checks a slug: key's value, and reports whether it is one
// (set, composed and already a slug), whatever else is wrong with it.
func (k fmValue) checkSlug(slug string) bool {
	switch {
	case slug == "":
		return false
	case !norm.NFC.IsNormalString(slug):
		k.errorf(k.line, "slug %+q is not in Unicode's composed form (NFC), so it would not match the same slug typed elsewhere: write %q", slug, norm.NFC.String(slug))
		return false
	case Slugify(slug) == "":
		// "try """ would suggest no slug at all.
		k.errorf(k.line, "slug %q has no letters or digits: write one that has, e.g. slug: my-post", slug)
		return false
	case Slugify(slug) != slug:
		k.errorf(k.line, "slug %q may hold only lower-case letters, digits and dashes; try %q", slug, Slugify(slug))
		return false
	}
	if err := checkSlug(slug, "shorten it", "choose another"); err != nil {
		k.errorf(k.line, "%v", err)
	}
	return true
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
