package diag

import (
	"errors"
	"testing"
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
		if line, q := unclosedQuote([]byte(tc.src)); line != tc.line || q != tc.quote {
			t.Errorf("unclosedQuote(%q) = %d, %q; want %d, %q", tc.src, line, q, tc.line, tc.quote)
		}
	}
}
