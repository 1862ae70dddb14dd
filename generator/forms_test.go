package generator

import (
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/benchpress/benchpress/internal/golden"
	"golang.org/x/tools/txtar"
)

// outputBody is a live block's id and its rendered output: the status and
// the output's spans, in page order.
var outputBody = regexp.MustCompile(`(?s)<div class="live live-run" id="snippet-([a-z]+)">.*?data-status="([a-z-]+)" data-exit="(-?\d+)".*?<pre class="output-body" tabindex="0"><code>(.*?)</code></pre>`)

var outputSpan = regexp.MustCompile(`(?s)<span class="([a-z-]+)">(.*?)</span>`)

// pageOutputs renders every live block's output on a page as text: one
// "-- id (status exit N) --" section per block, each span's lines prefixed
// with its class (stdout, stderr).
func pageOutputs(t *testing.T, page string) []txtar.File {
	t.Helper()
	var files []txtar.File
	for _, m := range outputBody.FindAllStringSubmatch(page, -1) {
		var b strings.Builder
		for _, s := range outputSpan.FindAllStringSubmatch(m[4], -1) {
			for _, l := range strings.SplitAfter(html.UnescapeString(s[2]), "\n") {
				if l != "" {
					fmt.Fprintf(&b, "%s| %s", s[1], l)
				}
			}
			if !strings.HasSuffix(s[2], "\n") {
				b.WriteString(" (no newline)\n")
			}
		}
		files = append(files, txtar.File{Name: fmt.Sprintf("%s (%s, exit %s)", m[1], m[2], m[3]), Data: []byte(b.String())})
	}
	return files
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSnippetForms runs one block of every form an author may write
// (complete program; package-less declarations after one, grouped and
// one-line imports; statements with and without imports; hidden lines; a
// txtar; expect=fail and expect=compile-error; stdout and stderr mixed;
// time zones) through the real sandbox, and compares what the page shows
// with a golden file. The same post saved with CRLF line ends must show
// exactly the same.
func TestSnippetForms(t *testing.T) {
	root := writeSite(t, "testdata/forms/site.txtar")
	prog := string(readTestdata(t, "forms/prog.txtar"))
	post := string(txtarFile(t, readTestdata(t, "forms/site.txtar"), "content/posts/forms/index.md"))
	writeFile(t, root, "content/posts/forms/prog.txtar", prog)
	writeFile(t, root, "content/posts/crlf/index.md", strings.ReplaceAll(post, "\n", "\r\n"))
	writeFile(t, root, "content/posts/crlf/prog.txtar", prog)
	out, _, err := buildSite(t, root, realRunner(t, root))
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(out, "posts/forms/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	got := pageOutputs(t, string(page))
	if len(got) != 14 {
		t.Errorf("found %d live blocks with output on the page, want 14", len(got))
	}
	golden.Check(t, "forms/outputs.golden.txtar", txtar.Format(&txtar.Archive{Files: got}))

	crlf, err := os.ReadFile(filepath.Join(out, "posts/crlf/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(crlf), "\r") {
		t.Error("the CRLF post's page holds carriage returns")
	}
	crlfOut := pageOutputs(t, string(crlf))
	if g, w := txtar.Format(&txtar.Archive{Files: crlfOut}), txtar.Format(&txtar.Archive{Files: got}); string(g) != string(w) {
		t.Errorf("the CRLF post shows:\n%s\nthe LF post:\n%s", g, w)
	}
}

// txtarFile is one file of an archive.
func txtarFile(t *testing.T, archive []byte, name string) []byte {
	t.Helper()
	for _, f := range txtar.Parse(archive).Files {
		if f.Name == name {
			return f.Data
		}
	}
	t.Fatalf("no %s in the archive", name)
	return nil
}

// TestSnippetFormErrors builds blocks that fail, through the real sandbox:
// every error names the post's line of the fault, through completion,
// the author's own imports, hidden lines, txtar files and CRLF line ends.
func TestSnippetFormErrors(t *testing.T) {
	root := writeSite(t, "testdata/forms/errors.txtar")
	writeFile(t, root, "content/posts/bad/prog.txtar", string(readTestdata(t, "forms/bad.txtar")))
	crlf := "---\r\ntitle: CRLF\r\ndate: 2026-01-01\r\n---\r\nIntro.\r\n\r\n```go run name=crlf\r\nimport \"os\"\r\nx := 1\r\nfmt.Println(os.Args, y)\r\n```\r\n"
	writeFile(t, root, "content/posts/crlf.md", crlf)
	_, _, err := buildSite(t, root, realRunner(t, root))
	want := `content/posts/bad/index.md:10: "os" imported and not used
content/posts/bad/index.md:17: "strings" imported and not used
content/posts/bad/index.md:23: undefined: undefinedName
content/posts/bad/index.md:32: p.z undefined (type point has no field or method z)
content/posts/bad/index.md:38: snippet notfail exited 0, but the fence says expect=fail
content/posts/bad/index.md:42: snippet notcompileerror compiled, but the fence says expect=compile-error
content/posts/bad/index.md:46: snippet exits exited with status 3 (add expect=fail to the fence if that is intended): (no output on stderr)
content/posts/bad/prog.txtar:8: undefined: two
content/posts/crlf.md:9: declared and not used: x
content/posts/crlf.md:10: undefined: y
(10 errors)`
	if err == nil || err.Error() != want {
		t.Errorf("build errors:\n%v\nwant:\n%s", err, want)
	}
}

// TestOutputOrderOnPage runs a program that prints 1,000 lines to stdout
// and stderr alternately, with no delay, 20 times (20 blocks, each its own
// sandboxed run): every block on the page must show the lines in program
// order, each in its stream's span.
func TestOutputOrderOnPage(t *testing.T) {
	var post strings.Builder
	post.WriteString("---\ntitle: Order\ndate: 2026-01-01\n---\nIntro.\n")
	for i := 0; i < 20; i++ {
		// The argument makes each block a program of its own.
		fmt.Fprintf(&post, "\n```go run name=order%c args=%d\nfor i := 0; i < 1000; i++ {\n\tfmt.Printf(\"out %%d\\n\", i)\n\tfmt.Fprintf(os.Stderr, \"err %%d\\n\", i)\n}\n```\n", 'a'+i, i)
	}
	root := writeArchive(t, txtar.Parse([]byte(okConfig+"-- content/posts/order.md --\n"+post.String())))
	out, _, err := buildSite(t, root, realRunnerOutput(t, root, 1<<20))
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(out, "posts/order/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	var want strings.Builder
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&want, "stdout| out %d\nstderr| err %d\n", i, i)
	}
	blocks := pageOutputs(t, string(page))
	if len(blocks) != 20 {
		t.Fatalf("%d blocks with output on the page, want 20", len(blocks))
	}
	for _, b := range blocks {
		if got := string(b.Data); got != want.String() {
			i := 0
			for i < len(got) && i < want.Len() && got[i] == want.String()[i] {
				i++
			}
			t.Errorf("%s: output differs from program order at byte %d: %q", b.Name, i, got[max(0, i-40):min(len(got), i+80)])
		}
	}
}
