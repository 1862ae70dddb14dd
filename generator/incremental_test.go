package generator

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/benchpress/benchpress/generator/output"
)

// themeSnapshot copies the default theme into memory, so the builds a test
// compares see the same theme even while someone edits it.
func themeSnapshot(t testing.TB) fs.FS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(testTheme, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(testTheme, p)
		m[p] = &fstest.MapFile{Data: data, Mode: 0o644}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// fullBuild builds root from scratch into a directory, as `build` does
// with serve's options, and returns its files.
func fullBuild(t testing.TB, opts Options) map[string][]byte {
	t.Helper()
	opts.Out = filepath.Join(t.TempDir(), "public")
	if _, err := Build(context.Background(), opts); err != nil {
		t.Fatalf("full build: %v", err)
	}
	files := map[string][]byte{}
	err := filepath.WalkDir(opts.Out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(opts.Out, p)
		if rel == output.MarkerFile {
			return nil
		}
		files[filepath.ToSlash(rel)], err = os.ReadFile(p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// sameFiles reports the first differences between two output trees.
func sameFiles(got, want map[string][]byte) error {
	var diffs []string
	for name, w := range want {
		g, ok := got[name]
		switch {
		case !ok:
			diffs = append(diffs, name+": missing")
		case !bytes.Equal(g, w):
			gl, wl := strings.Split(string(g), "\n"), strings.Split(string(w), "\n")
			line := 0
			for line < len(gl) && line < len(wl) && gl[line] == wl[line] {
				line++
			}
			var gs, ws string
			if line < len(gl) {
				gs = gl[line]
			}
			if line < len(wl) {
				ws = wl[line]
			}
			diffs = append(diffs, fmt.Sprintf("%s:%d:\n   got: %s\n  want: %s", name, line+1, gs, ws))
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			diffs = append(diffs, name+": not in a full build")
		}
	}
	if len(diffs) == 0 {
		return nil
	}
	sort.Strings(diffs)
	if len(diffs) > 8 {
		diffs = append(diffs[:8], fmt.Sprintf("(and %d more)", len(diffs)-8))
	}
	return fmt.Errorf("incremental build differs from a full build:\n%s", strings.Join(diffs, "\n"))
}

func writeFile(t testing.TB, root, name, data string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func editFile(t testing.TB, root, name, old, new string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(name))
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%s does not contain %q", name, old)
	}
	if err := os.WriteFile(p, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestIncrementalEqualsFull edits a site step by step, as an author with
// serve open would, and after every step compares the Builder's output
// with a fresh full build, byte for byte.
func TestIncrementalEqualsFull(t *testing.T) {
	root := writeSite(t, "testdata/basic.txtar")
	for i := 1; i <= 4; i++ {
		writeFile(t, root, fmt.Sprintf("content/posts/extra-%d.md", i), fmt.Sprintf(
			"---\ntitle: Extra %d\ndate: 2025-0%d-10\ntags: [extra, go]\n---\nExtra post number %d, with *emphasis*.\n\n## Heading %d\n\nMore text.\n", i, i, i, i))
	}
	r := basicRunner()
	opts := Options{Root: root, Theme: themeSnapshot(t), Runner: r, Now: testNow, Dev: true, Drafts: true, Future: true}
	b := NewBuilder(opts)

	steps := []struct {
		name  string
		edit  func()
		paths []string // what the watcher would report
		fails string   // the build must fail with this text
	}{
		{"first build", func() {}, nil, ""},
		{"no change", func() {}, nil, ""},
		{"body edit", func() {
			editFile(t, root, "content/posts/extra-2.md", "More text.", "More text, and a new sentence with many more words in it to change the reading time.")
		}, []string{"content/posts/extra-2.md"}, ""},
		{"title edit shows on neighbours and lists", func() {
			editFile(t, root, "content/posts/extra-3.md", "title: Extra 3", "title: Extra three, renamed")
		}, []string{"content/posts/extra-3.md"}, ""},
		{"tag added and removed", func() {
			editFile(t, root, "content/posts/extra-1.md", "tags: [extra, go]", "tags: [extra, brand-new]")
		}, []string{"content/posts/extra-1.md"}, ""},
		{"date change reorders", func() {
			editFile(t, root, "content/posts/extra-4.md", "date: 2025-04-10", "date: 2024-01-01")
		}, []string{"content/posts/extra-4.md"}, ""},
		{"new post", func() {
			writeFile(t, root, "content/posts/new.md", "---\ntitle: Brand new\ndate: 2026-03-01\ntags: [go]\nseries: Basics\n---\nHello.\n")
		}, []string{"content/posts/new.md"}, ""},
		{"post deleted", func() {
			os.Remove(filepath.Join(root, "content/posts/extra-2.md"))
		}, []string{"content/posts/extra-2.md"}, ""},
		{"draft hidden", func() {
			editFile(t, root, "content/posts/draft.md", "draft: true", "draft: false")
		}, []string{"content/posts/draft.md"}, ""},
		{"broken front matter", func() {
			editFile(t, root, "content/posts/extra-1.md", "title: Extra 1", "tilte: Extra 1")
		}, []string{"content/posts/extra-1.md"}, `content/posts/extra-1.md:2: unknown front matter key "tilte"`},
		{"fixed front matter", func() {
			editFile(t, root, "content/posts/extra-1.md", "tilte: Extra 1", "title: Extra 1 fixed")
		}, []string{"content/posts/extra-1.md"}, ""},
		{"live code edited", func() {
			editFile(t, root, "content/posts/first.md", `fmt.Println("hello, <world>")`, `fmt.Println("hello again")`)
		}, []string{"content/posts/first.md"}, ""},
		{"output check added", func() {
			editFile(t, root, "content/posts/first.md", "```go run name=hello", "```go run name=hello expect-output=hello.out")
			writeFile(t, root, "content/posts/hello.out", "ran content/posts/first.md#hello\n")
		}, []string{"content/posts/first.md", "content/posts/hello.out"}, ""},
		{"expected output no longer matches", func() {
			writeFile(t, root, "content/posts/hello.out", "hello again\n")
		}, []string{"content/posts/hello.out"}, `content/posts/first.md:18: output no longer matches expect-output=hello.out: line 1 is "ran content/posts/first.md#hello\n", want "hello again\n"`},
		{"expected output fixed", func() {
			writeFile(t, root, "content/posts/hello.out", "ran content/posts/first.md#hello\n")
		}, []string{"content/posts/hello.out"}, ""},
		{"bundle resource changed", func() {
			writeFile(t, root, "content/posts/second/diagram.svg", `<svg xmlns="http://www.w3.org/2000/svg"/>`)
		}, []string{"content/posts/second/diagram.svg"}, ""},
		{"template override", func() {
			writeFile(t, root, "layouts/partials/footer.html", `<footer>my own footer for {{.Title}}</footer>`)
		}, []string{"layouts/partials/footer.html"}, ""},
		{"template error", func() {
			writeFile(t, root, "layouts/partials/footer.html", "<footer>\n{{.Title</footer>")
		}, []string{"layouts/partials/footer.html"}, "layouts/partials/footer.html:2: "},
		{"template fixed", func() {
			writeFile(t, root, "layouts/partials/footer.html", `<footer>fixed footer</footer>`)
		}, []string{"layouts/partials/footer.html"}, ""},
		{"template reads the whole site", func() {
			writeFile(t, root, "layouts/partials/footer.html", `<footer>{{range .Site.Content.Posts}}{{.Title}} {{.WordCount}};{{end}}</footer>`)
		}, []string{"layouts/partials/footer.html"}, ""},
		{"body edit seen in every footer", func() {
			editFile(t, root, "content/posts/extra-3.md", "Extra post number 3", "Extra post number 3 has grown by four words")
		}, []string{"content/posts/extra-3.md"}, ""},
		{"list template shows word counts and neighbours", func() {
			writeFile(t, root, "layouts/partials/post-summary.html", `<p>{{.Title}} {{.WordCount}} words{{with .Prev}}, after {{.Title}}{{end}}</p>`)
		}, []string{"layouts/partials/post-summary.html"}, ""},
		{"word count change reaches the lists", func() {
			editFile(t, root, "content/posts/extra-4.md", "More text.", "More text, five more words here.")
		}, []string{"content/posts/extra-4.md"}, ""},
		{"title change reaches the next post's summary", func() {
			editFile(t, root, "content/posts/extra-4.md", "title: Extra 4", "title: Extra four")
		}, []string{"content/posts/extra-4.md"}, ""},
		{"post template goes two steps", func() {
			writeFile(t, root, "layouts/partials/footer.html", `<footer>{{with .Post}}{{with .Next}}{{.Title}}{{end}}{{if .Prev}}{{with .Prev.Prev}}{{.Title}}{{end}}{{end}}{{end}}</footer>`)
		}, []string{"layouts/partials/footer.html"}, ""},
		{"title two steps away", func() {
			editFile(t, root, "content/posts/extra-4.md", "title: Extra four", "title: Extra 4 again")
		}, []string{"content/posts/extra-4.md"}, ""},
		{"theme static file", func() {
			writeFile(t, root, "themes/default/static/css/theme-extra.css", "p { margin: 0 }\n")
		}, []string{"themes/default/static/css/theme-extra.css"}, ""},
		{"theme template in the site", func() {
			writeFile(t, root, "themes/default/layouts/partials/header.html", "<header>site's own header</header>\n")
		}, []string{"themes/default/layouts/partials/header.html"}, ""},
		{"static file", func() {
			writeFile(t, root, "static/css/extra.css", "body { color: red }\n")
		}, []string{"static/css/extra.css"}, ""},
		{"config change", func() {
			editFile(t, root, "config.yaml", "title: Test Blog", "title: Renamed Blog")
		}, []string{"config.yaml"}, ""},
		{"edit after config change", func() {
			editFile(t, root, "content/about.md", "for **tests**", "for **tests** and people")
		}, []string{"content/about.md"}, ""},
	}
	for _, st := range steps {
		st.edit()
		b.Invalidate(st.paths...)
		res, err := b.Build(context.Background())
		if st.fails != "" {
			if err == nil || !strings.Contains(err.Error(), st.fails) {
				t.Fatalf("%s: got error %v, want one containing %q", st.name, err, st.fails)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if err := sameFiles(res.Files, fullBuild(t, opts)); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if st.name == "no change" && len(res.Changed) != 0 {
			t.Errorf("no change: Changed = %v, want nothing", res.Changed)
		}
	}
}

// TestIncrementalRendersLittle checks the shortcut is taken: a body edit
// re-renders the post and the lists that show it, not every page, and
// reruns no snippet of another post.
func TestIncrementalRendersLittle(t *testing.T) {
	root := writeSite(t, "testdata/basic.txtar")
	r := basicRunner()
	b := NewBuilder(Options{Root: root, Theme: themeSnapshot(t), Runner: r, Now: testNow, Dev: true, Drafts: true, Future: true})
	if _, err := b.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	runs := len(r.runs)
	editFile(t, root, "content/about.md", "for **tests**", "for **tests**, now edited")
	b.Invalidate("content/about.md")
	res, err := b.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(r.runs) != runs {
		t.Errorf("snippets ran again: %v", r.runs[runs:])
	}
	var pages []string
	for _, c := range res.Changed {
		if strings.HasSuffix(c, ".html") {
			pages = append(pages, c)
		}
	}
	if want := []string{"about/index.html"}; fmt.Sprint(pages) != fmt.Sprint(want) {
		t.Errorf("changed pages = %v, want %v", pages, want)
	}
	if len(b.kept) != 0 {
		t.Errorf("b.kept not reset after the build")
	}
}

// TestPageFieldsKeyed: Builder.keep hashes every field of Page; a new field
// must be added there (and here), or pages showing it would go stale.
func TestPageFieldsKeyed(t *testing.T) {
	known := "Site Kind Title Description URL Post Content Posts Pager Term Years"
	var got []string
	rt := reflect.TypeOf(Page{})
	for i := 0; i < rt.NumField(); i++ {
		got = append(got, rt.Field(i).Name)
	}
	if strings.Join(got, " ") != known {
		t.Fatalf("Page has fields %v; Builder.keep knows %s: key the new field in keep, then update this test", got, known)
	}
}
