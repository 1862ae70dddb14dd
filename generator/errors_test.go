package generator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/benchpress/benchpress/playground"
)

const okConfig = "-- config.yaml --\ntitle: T\nbaseURL: https://example.org/\n"

// TestBadInput checks that every class of author mistake names the file
// and line, with the exact message.
func TestBadInput(t *testing.T) {
	tests := []struct {
		name, site, want string
	}{
		{"malformed front matter", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 1\n  x: : 2\n---\nbody\n",
			`content/posts/a.md:4: this line is indented under "date: 1", whose value is already given: indent it like "date"`},
		{"text after a closing quote", okConfig + "-- content/posts/a.md --\n---\ntitle: \"A\" B\ndate: 2026-01-01\n---\n",
			`content/posts/a.md:2: text after the value's closing quote (B): put the whole value inside the quotes, or leave them out`},
		{"colon in a title", okConfig + "-- content/posts/a.md --\n---\ntitle: Why: a story\ndate: 2026-01-01\n---\n",
			`content/posts/a.md:2: the value "Why: a story" holds ": ": quote it, e.g. title: "Why: a story"`},
		{"config text after a closing quote", "-- config.yaml --\ntitle: \"T\" x\nbaseURL: https://example.org/\n",
			`config.yaml:1: text after the value's closing quote (x): put the whole value inside the quotes, or leave them out`},
		{"config list item out of line", okConfig + "menu:\n  - {name: Home, url: /}\n - {name: About, url: /about/}\n",
			`config.yaml:5: this line is indented 1 space and the one above 2 spaces: indent the keys of one mapping, or the items of one list, alike`},
		{"unclosed front matter", okConfig + "-- content/posts/a.md --\n---\ntitle: A\n",
			"content/posts/a.md:1: front matter is not closed: add a line \"---\" after the last key"},
		{"missing title", okConfig + "-- content/posts/a.md --\n---\ndate: 2026-01-01\n---\nbody\n",
			"content/posts/a.md:1: front matter has no title: add `title: ...`"},
		{"bad date", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-13-45\n---\n",
			`content/posts/a.md:3: date "2026-13-45" is not a date: write YYYY-MM-DD or RFC 3339 (2006-01-02T15:04:05Z07:00)`},
		{"missing date", okConfig + "-- content/posts/a.md --\n---\ntitle: A\n---\n",
			"content/posts/a.md:1: post has no date: add `date: YYYY-MM-DD` to the front matter"},
		{"unclosed quote", okConfig + "-- content/posts/a.md --\n---\ntitle: \"A\ndate: 2026-01-01\n---\n",
			`content/posts/a.md:2: the value's opening " is never closed: end it with " on the same line`},
		{"unclosed quote before a list", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\nsummary: 'it''s\ntags:\n  - x\n---\n",
			`content/posts/a.md:4: the value's opening ' is never closed: end it with ' on the same line`},
		{"unknown front matter key", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\ntilte: oops\n---\n",
			`content/posts/a.md:4: unknown front matter key "tilte" (known keys: title, subtitle, date, updated, draft, tags, summary, slug, aliases, series, toc)`},
		{"draft as a word", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\ndraft: yes\n---\n",
			"content/posts/a.md:4: draft must be true or false, got yes"},
		{"draft quoted", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\ndraft: \"false\"\n---\n",
			`content/posts/a.md:4: draft must be true or false, got "false", a string: write it without quotes`},
		{"draft quoted word", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\ndraft: 'no'\n---\n",
			`content/posts/a.md:4: draft must be true or false, got "no", a string: write it without quotes`},
		{"toc as a list", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\ntoc: [true]\n---\n",
			"content/posts/a.md:4: toc must be true or false, got a list"},
		{"slug without letters", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\nslug: ..\n---\n",
			`content/posts/a.md:4: slug ".." has no letters or digits: write one that has, e.g. slug: my-post`},
		{"duplicate URL", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\nslug: same\n---\n-- content/posts/b.md --\n---\ntitle: B\ndate: 2026-01-01\nslug: same\n---\n",
			"content/posts/b.md:1: URL /posts/same/ is also produced by content/posts/a.md: give one of them another `slug:`"},
		{"unknown config key", "-- config.yaml --\ntitle: T\nbaseURL: https://example.org/\ncolour: red\n",
			`config.yaml:3: unknown key "colour" (keys: title, baseURL, description, author, language, paginate, permalinks, theme, highlight, feed, markup, menu, search, playground, bench; keys are case-sensitive)`},
		{"config wrong type", "-- config.yaml --\ntitle: T\nbaseURL: https://example.org/\npaginate: many\n",
			"config.yaml:3: cannot use string `many` as a whole number, e.g. 10"},
		{"config unknown highlight style", okConfig + "highlight:\n  light: github\n  dark: nonexist\n",
			`config.yaml:5: highlight.dark: unknown chroma style "nonexist" (try github-dark, monokai, dracula)`},
		{"config unknown theme", okConfig + "theme: nope\n",
			`config.yaml:3: theme "nope" not found: there is no themes/nope/ in the site`},
		{"config memory without a unit", okConfig + "playground:\n  memory: 512\n",
			`config.yaml:4: playground.memory 512 bytes is too little for any Go program: write a size with its unit, at least 16MiB, e.g. 512MiB`},
		{"config bad language", okConfig + "language: \"en us\"\n",
			`config.yaml:3: language "en us" is not a language tag: write e.g. en, en-GB or pt-BR`},
		{"config a list", "-- config.yaml --\n- title: T\n",
			"config.yaml:1: cannot use a list as the site's settings: config.yaml is a mapping of keys to values, e.g. title: My blog"},
		{"config bad URL", "-- config.yaml --\ntitle: T\nbaseURL: example.org\n",
			`config.yaml:2: baseURL "example.org" is not an absolute http(s) URL: write e.g. https://example.org/`},
		{"config bad size", "-- config.yaml --\ntitle: T\nbaseURL: https://example.org/\nplayground:\n  memory: lots\n",
			`config.yaml:4: cannot use "lots" as a size: write a number of bytes or e.g. 512MiB`},
		{"config bad percentage", "-- config.yaml --\ntitle: T\nbaseURL: https://example.org/\nbench:\n  noise: 0.1\n",
			`config.yaml:4: cannot use "0.1" as a percentage: write e.g. 10%`},
		{"config noise out of range", "-- config.yaml --\ntitle: T\nbaseURL: https://example.org/\nbench:\n  noise: 150%\n",
			`config.yaml:4: bench.noise 150%: use a percentage above 0% and at most 100%, e.g. 10%`},
		{"config noise zero", "-- config.yaml --\ntitle: T\nbaseURL: https://example.org/\nbench:\n  noise: 0%\n",
			`config.yaml:4: bench.noise 0%: use a percentage above 0% and at most 100%, e.g. 10%`},
		{"missing template", okConfig + "theme: mine\n-- themes/mine/layouts/base.html --\n{{block \"main\" .}}{{end}}\n",
			"themes/mine/layouts/404.html: template missing: the theme must provide it (add layouts/404.html to override)"},
		{"unused layout", okConfig + "-- layouts/posts.html --\n{{define \"main\"}}mine{{end}}\n",
			"layouts/posts.html: no page uses this file: a theme's templates are base.html, home.html, post.html, page.html, tag.html, tags.html, archive.html, 404.html and partials/NAME.html: rename it, or move it out of layouts/"},
		{"unused partial", okConfig + "-- layouts/partials/note.tmpl --\nx\n",
			"layouts/partials/note.tmpl: no page uses this file: a theme's templates are base.html, home.html, post.html, page.html, tag.html, tags.html, archive.html, 404.html and partials/NAME.html: rename it, or move it out of layouts/"},
		{"layouts is a file", okConfig + "-- layouts --\nx\n",
			"layouts: this is a file, not a directory: its files go in a directory layouts/"},
		{"static is a file", okConfig + "-- static --\nx\n",
			"static: this is a file, not a directory: its files go in a directory static/"},
		{"content is a file", okConfig + "-- content --\nx\n",
			"content: this is a file, not a directory: posts go in content/posts/ and pages in content/"},
		{"template syntax error", okConfig + "-- layouts/page.html --\n{{define \"main\"}}\n{{if}}{{end}}\n{{end}}\n",
			"layouts/page.html:2: missing value for if"},
		{"template execution error", okConfig + "-- layouts/page.html --\n{{define \"main\"}}\n{{.Nope}}\n{{end}}\n-- content/about.md --\n---\ntitle: About\n---\n",
			`layouts/page.html:2: executing "main" at <.Nope>: can't evaluate field Nope in type *generator.Page`},
		{"template names a missing template", okConfig + "-- layouts/page.html --\n{{define \"main\"}}<p>{{.Title}}</p>\n{{template \"partials/nope.html\" .}}\n{{end}}\n-- content/about.md --\n---\ntitle: About\n---\n",
			`layouts/page.html:2: no such template "partials/nope.html"`},
		{"partialCached given a value", okConfig + "-- layouts/page.html --\n{{define \"main\"}}\n{{partialCached \"partials/footer.html\" .Title}}\n{{end}}\n-- content/about.md --\n---\ntitle: About\n---\n",
			`layouts/page.html:2: executing "main" at <partialCached "partials/footer.html" .Title>: error calling partialCached: partialCached "partials/footer.html": the data must be a pointer, such as a post (got string); use {{template "partials/footer.html" .}} to render it uncached`},
		{"partialCached unknown partial", okConfig + "-- layouts/page.html --\n{{define \"main\"}}\n{{partialCached \"partials/nope.html\" .Post}}\n{{end}}\n-- content/about.md --\n---\ntitle: About\n---\n",
			`layouts/page.html:2: executing "main" at <partialCached "partials/nope.html" .Post>: error calling partialCached: partialCached: no template "partials/nope.html" (partials are named partials/NAME.html)`},
		{"partialCached partial fails", okConfig + "-- layouts/partials/post-summary.html --\n<p>\n{{.Nope}}</p>\n-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\n---\n",
			`themes/default/layouts/home.html:6: executing "main" at <partialCached "partials/post-summary.html" .>: error calling partialCached: layouts/partials/post-summary.html:2: executing "partials/post-summary.html" at <.Nope>: can't evaluate field Nope in type *content.Post`},
		{"unknown fence option", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\n---\n\n```go run colour=red\nfmt.Println(1)\n```\n",
			`content/posts/a.md:6: go run: unknown option "colour" for go run (known: name, file, args, stdin, timeout, expect, expect-output, expect-match, hide, linenos, hl, plot, params, default, axes, x, y, series, title, xlabel, ylabel, xunit, yunit, log)`},
		{"lists nested too deep", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\n---\n\n" + strings.Repeat("- ", 101) + "x\n",
			"content/posts/a.md:6: lists nested deeper than 100 levels: flatten them"},
		{"blockquotes nested too deep", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\n---\n\n```go run\nfmt.Println(1)\n```\n\n" + strings.Repeat(">", 101) + " x\n",
			"content/posts/a.md:10: blockquotes nested deeper than 100 levels: flatten them"},
		{"summary nested too deep", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\nsummary: \"" + strings.Repeat("> ", 101) + "x\"\n---\nBody.\n",
			"content/posts/a.md:4: summary: blockquotes nested deeper than 100 levels: flatten them"},
		{"file= and a body", okConfig + "-- content/posts/a/index.md --\n---\ntitle: A\ndate: 2026-01-01\n---\n\n```go run file=main.go\nfmt.Println(\"lost\")\n```\n-- content/posts/a/main.go --\npackage main\n\nfunc main() {}\n",
			"content/posts/a/index.md:6: go run: file=main.go is the block's source, so the code in the fence would be ignored: move it into main.go, or remove file="},
		{"uses unknown block", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\n---\n\n```go bench uses=nope\nfunc BenchmarkX(b *testing.B) {}\n```\n",
			`content/posts/a.md:6: go bench: uses=nope: no go run block named "nope" earlier in this post`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := writeArchive(t, txtar.Parse([]byte(tt.site)))
			_, _, err := buildSite(t, root, &fakeRunner{})
			if err == nil {
				t.Fatal("build succeeded")
			}
			if got := strings.Split(err.Error(), "\n")[0]; got != tt.want {
				t.Errorf("error:\n got: %s\nwant: %s", got, tt.want)
			}
		})
	}
}

// TestSnippetFailures checks that failing snippets point at the post's
// lines, compiler errors mapped through the fence and hidden lines, and
// that every failure is reported.
func TestSnippetFailures(t *testing.T) {
	site := okConfig + `-- content/posts/a.md --
---
title: A
date: 2026-01-01
---
Intro.

` + "```go run name=one" + `
//bp:hide
import "fmt"
//bp:show
fmt.Println(undefinedThing)
` + "```" + `

` + "```go run name=two" + `
for {}
` + "```" + `

` + "```go run name=three" + `
panic("boom")
` + "```" + `
`
	r := &fakeRunner{results: map[string]playground.Result{
		// Line 5 of main.go: the completion header is line 1, so body line 4,
		// which is file line 11 (the fence is on line 7).
		"content/posts/a.md#one":   {Status: playground.StatusCompileError, Diagnostics: []playground.Diagnostic{{File: "main.go", Line: 5, Col: 13, Msg: "undefined: undefinedThing"}}},
		"content/posts/a.md#two":   {Status: playground.StatusTimeout, Limits: playground.Limits{Timeout: 10 * time.Second}},
		"content/posts/a.md#three": {Status: playground.StatusExit, ExitCode: 2, Events: []playground.Event{{Stream: playground.Stderr, Data: "panic: boom\n\ngoroutine 1 [running]:\n"}}},
	}}
	root := writeArchive(t, txtar.Parse([]byte(site)))
	_, _, err := buildSite(t, root, r)
	if err == nil {
		t.Fatal("build succeeded")
	}
	want := `content/posts/a.md:11: undefined: undefinedThing
content/posts/a.md:14: snippet two timed out after 10s: make it faster or raise its limit with timeout= in the fence
content/posts/a.md:18: snippet three exited with status 2 (add expect=fail to the fence if that is intended): panic: boom
(3 errors)`
	if err.Error() != want {
		t.Errorf("errors:\n%s\nwant:\n%s", err, want)
	}
}

// TestFailedBuildKeepsOutput checks that a failing build leaves the
// previous output exactly as it was.
func TestFailedBuildKeepsOutput(t *testing.T) {
	root := writeSite(t, "testdata/basic.txtar")
	out := filepath.Join(t.TempDir(), "public")
	opts := Options{Root: root, Out: out, Theme: testTheme, Runner: basicRunner(), Now: testNow}
	if _, err := Build(t.Context(), opts); err != nil {
		t.Fatal(err)
	}
	before := readTree(t, out)
	if err := os.WriteFile(filepath.Join(root, "content/posts/first.md"), []byte("---\ntitle: [broken\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(t.Context(), opts); err == nil {
		t.Fatal("broken build succeeded")
	}
	after := readTree(t, out)
	if len(after) != len(before) {
		t.Fatalf("output has %d files after a failed build, had %d", len(after), len(before))
	}
	for name, data := range before {
		if string(after[name]) != string(data) {
			t.Errorf("%s changed after a failed build", name)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".public.benchpress-*")); len(left) != 0 {
		t.Errorf("staging directories left behind: %v", left)
	}
}

func TestRefusesDangerousOut(t *testing.T) {
	root := writeSite(t, "testdata/basic.txtar")
	foreign := filepath.Join(t.TempDir(), "mine")
	os.MkdirAll(foreign, 0o755)
	os.WriteFile(filepath.Join(foreign, "precious.txt"), []byte("keep"), 0o644)
	for _, tt := range []struct{ out, want string }{
		{"/", "refusing to write the site into / (the filesystem root)"},
		{root, "(the site root)"},
		{filepath.Join(root, "content"), "(content/)"},
		{filepath.Join(root, "content", "posts"), "it is inside content/"},
		{filepath.Join(root, "themes"), "(themes/)"},
		{filepath.Dir(root), "it contains the site itself"},
		{foreign, "it was not created by benchpress"},
	} {
		_, err := Build(t.Context(), Options{Root: root, Out: tt.out, Theme: testTheme, Runner: basicRunner(), Now: testNow})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("--out %s: err = %v, want it to contain %q", tt.out, err, tt.want)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(foreign, "precious.txt")); string(b) != "keep" {
		t.Error("a foreign directory was modified")
	}
}

// TestOutputEscaped checks that a snippet cannot inject markup, and that
// ANSI escapes are stripped.
func TestOutputEscaped(t *testing.T) {
	site := okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\n---\n\n```go run name=x\nfmt.Println(1)\n```\n"
	r := &fakeRunner{results: map[string]playground.Result{"content/posts/a.md#x": {Status: playground.StatusOK, Duration: time.Millisecond,
		Events: []playground.Event{{Stream: playground.Stdout, Data: "<script>alert(1)</script>\x1b[31mred\x1b[0m\n"}, {Stream: playground.Stderr, Data: "</code></pre><b>x</b>\n"}}}}}
	root := writeArchive(t, txtar.Parse([]byte(site)))
	out, _, err := buildSite(t, root, r)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := os.ReadFile(filepath.Join(out, "posts/a/index.html"))
	s := string(page)
	if strings.Contains(s, "<script>alert") || strings.Contains(s, "<b>x</b>") || strings.Contains(s, "\x1b") {
		t.Fatalf("output not escaped:\n%s", s)
	}
	for _, want := range []string{`<span class="stdout">&lt;script&gt;alert(1)&lt;/script&gt;red` + "\n</span>", `<span class="stderr">&lt;/code&gt;&lt;/pre&gt;&lt;b&gt;x&lt;/b&gt;`} {
		if !strings.Contains(s, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// TestPlaygroundMarkup checks that a live block carries its complete,
// formatted program (for Copy, and for Edit and Run), and that only with
// playground.url set does it carry the server's address.
func TestPlaygroundMarkup(t *testing.T) {
	post := "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\n---\n\n```go run name=x\n//bp:hide\nn := 2\n//bp:show\nfmt.Println(n < 3)\n```\n"
	for _, tt := range []struct {
		config string
		want   []string
		absent []string
	}{
		{okConfig + "playground:\n  url: https://play.example.org\n" + post,
			[]string{`data-playground="https://play.example.org"`, "<template class=\"live-program\">package main\n\nimport (\n\t&#34;fmt&#34;\n)\n\nfunc main() {\n\t//bp:hide\n\tn := 2\n\t//bp:show\n\tfmt.Println(n &lt; 3)\n}\n</template>"}, nil},
		{okConfig + post, []string{"<template class=\"live-program\">package main\n"}, []string{"data-playground"}},
		// Shown lines that are one run of the program's are in the page
		// already: the template leaves them out and says where they go.
		{okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\n---\n\n```go run name=y\nfunc main() {\n\tfmt.Println(1 < 2)\n}\n```\n",
			[]string{"<template class=\"live-program\" data-shown-at=\"6\" data-shown-lines=\"3\">package main\n\nimport (\n\t&#34;fmt&#34;\n)\n\n</template>"}, []string{"data-playground"}},
	} {
		root := writeArchive(t, txtar.Parse([]byte(tt.config)))
		out, _, err := buildSite(t, root, &fakeRunner{})
		if err != nil {
			t.Fatal(err)
		}
		page, _ := os.ReadFile(filepath.Join(out, "posts/a/index.html"))
		for _, w := range tt.want {
			if !strings.Contains(string(page), w) {
				t.Errorf("page lacks %q", w)
			}
		}
		for _, a := range tt.absent {
			if strings.Contains(string(page), a) {
				t.Errorf("page has %q without playground.url", a)
			}
		}
		// A feed reader has no script to use the program: feeds leave it out.
		for _, feed := range []string{"index.xml", "atom.xml"} {
			b, err := os.ReadFile(filepath.Join(out, feed))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(b), "live-program") || !strings.Contains(string(b), "class=&#34;live live-run") {
				t.Errorf("%s: want the live block without its program template", feed)
			}
		}
	}
}
