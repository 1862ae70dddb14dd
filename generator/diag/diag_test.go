package diag

import (
	"errors"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestError(t *testing.T) {
	for _, tc := range []struct {
		err  *Error
		want string
	}{
		{&Error{File: "content/posts/a.md", Line: 3, Msg: "bad"}, "content/posts/a.md:3: bad"},
		{&Error{File: "config.yaml", Msg: "bad"}, "config.yaml: bad"},
		{&Error{Msg: "bad"}, "bad"},
		{Errorf("x.md", 2, "%d things", 2), "x.md:2: 2 things"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("%#v: got %q, want %q", tc.err, got, tc.want)
		}
	}
}

func TestList(t *testing.T) {
	var l List
	if l.Err() != nil {
		t.Fatal("an empty list is not an error")
	}
	l.Add(nil)
	l.Add(Errorf("b.md", 1, "second"))
	l.Add(List{Errorf("a.md", 9, "first"), Errorf("b.md", 1, "a message")})
	l.Add(errors.New("plain"))
	want := "plain\na.md:9: first\nb.md:1: a message\nb.md:1: second\n(4 errors)"
	if got := l.Err().Error(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	var one List
	one.Add(Errorf("a.md", 1, "only"))
	if got := one.Err().Error(); got != "a.md:1: only" {
		t.Errorf("one error: got %q", got)
	}
}

func TestWarning(t *testing.T) {
	for _, tc := range []struct {
		w    Warning
		want string
	}{
		{Warning{File: "content/posts/a.md", Line: 9, Msg: "noisy", Stored: true}, "content/posts/a.md:9: noisy"},
		{Warning{File: "config.yaml", Msg: "old key"}, "config.yaml: old key"},
		{Warning{Msg: "no file"}, "no file"},
	} {
		if got := tc.w.String(); got != tc.want {
			t.Errorf("%+v: got %q, want %q", tc.w, got, tc.want)
		}
	}
}

func TestUnclosedQuote(t *testing.T) {
	for _, tc := range []struct {
		src   string
		line  int
		quote rune
	}{
		{"title: \"x\ndate: 1\n", 1, '"'},
		{"title: x\nsummary: 'it''s\n", 2, '\''},
		{"title: 'it''s'\n", 0, 0},
		{"title: \"a \\\" b\"\n", 0, 0},
		{"title: \"a \\\" b\n", 1, '"'},
		{"tags:\n  - ok\n  - \"no\n", 3, '"'},
		{"# a \"comment\ntitle: x\n", 0, 0},
		{"title: x \"quoted\" later\n", 0, 0},
		{"\"key: x\n", 1, '"'},
	} {
		if line, q := unclosedQuote(strings.Split(tc.src, "\n")); line != tc.line || q != tc.quote {
			t.Errorf("unclosedQuote(%q) = %d, %q; want %d, %q", tc.src, line, q, tc.line, tc.quote)
		}
	}
}

// TestYAMLSourceErrors: a syntax error is placed at the line it shows on,
// not the line yaml.v3 names (its enclosing mapping's, counted from 0 for
// parser errors, and none on a document's first line), and the common
// mistakes say what to do.
func TestYAMLSourceErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		offset    int
		want      string
	}{
		{"text after a closing quote, first line", "title: \"a\" b\ndate: 1\n", 0,
			`f.yaml:1: text after the value's closing quote (b): put the whole value inside the quotes, or leave them out`},
		{"text after a closing quote, later", "# c\ntitle: x\nsummary: 'it''s' more\n", 1,
			`f.yaml:4: text after the value's closing quote (more): put the whole value inside the quotes, or leave them out`},
		{"a comment after a closing quote is fine, the next line is not", "title: \"a\" # c\nsummary: \"x\" \"y\"\n", 0,
			`f.yaml:2: text after the value's closing quote ("y"): put the whole value inside the quotes, or leave them out`},
		{"unclosed quote", "title: \"a\ndate: 1\n", 1,
			`f.yaml:2: the value's opening " is never closed: end it with " on the same line`},
		{"list item out of line", "tags:\n  - x\n - y\n", 0,
			`f.yaml:3: this line is indented 1 space and the one above 2 spaces: indent the keys of one mapping, or the items of one list, alike`},
		{"key out of line", "a: 1\nplayground:\n  timeout: 5s\n memory: 1GiB\n", 0,
			`f.yaml:4: this line is indented 1 space and the one above 2 spaces: indent the keys of one mapping, or the items of one list, alike`},
		{"colon in a value", "title: x\ndescription: Why: a story\n", 0,
			`f.yaml:2: the value "Why: a story" holds ": ": quote it, e.g. description: "Why: a story"`},
		{"colon in a value on the first line", "title: Why: a story\n", 3,
			`f.yaml:4: the value "Why: a story" holds ": ": quote it, e.g. title: "Why: a story"`},
		{"key indented under a value", "title: A\ndate: 1\n  x: 2\n", 1,
			`f.yaml:4: this line is indented under "date: 1", whose value is already given: indent it like "date"`},
		{"unclosed flow list", "title: x\ntags: [a, b\ndate: 1\n", 0,
			`f.yaml:2: did not find expected ',' or ']'`},
		{"tab indentation", "a:\n\tb: 1\n", 0,
			`f.yaml:2: found character that cannot start any token`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var n yaml.Node
			err := yaml.Unmarshal([]byte(tc.src), &n)
			if err == nil {
				t.Fatalf("%q parsed", tc.src)
			}
			list := YAMLSourceErrors("f.yaml", tc.offset, []byte(tc.src), err)
			if len(list) != 1 || list[0].Error() != tc.want {
				t.Errorf("YAMLSourceErrors(%q)\n got %v\nwant %s\n(yaml.v3: %v)", tc.src, list, tc.want, err)
			}
		})
	}
}

// FuzzYAMLSourceErrors: whatever the document, the error is placed on one
// of its lines (or none) and nothing panics.
func FuzzYAMLSourceErrors(f *testing.F) {
	for _, s := range []string{"title: \"a\" b\n", "tags:\n  - x\n - y\n", "a: b: c\n", "a: \"x\ny\n", "a: [1,\n", "\"k: v\n"} {
		f.Add(s, 2)
	}
	f.Fuzz(func(t *testing.T, src string, offset int) {
		if offset < 0 || offset > 1000 || len(src) > 4096 {
			return
		}
		var n yaml.Node
		err := yaml.Unmarshal([]byte(src), &n)
		if err == nil {
			return
		}
		for _, e := range YAMLSourceErrors("f.yaml", offset, []byte(src), err) {
			if e.Line != 0 && (e.Line <= offset || e.Line > offset+strings.Count(src, "\n")+1) {
				t.Errorf("%q: line %d outside the document (offset %d)", src, e.Line, offset)
			}
		}
	})
}
