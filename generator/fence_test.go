package generator

import (
	"strings"
	"testing"

	"github.com/benchpress/benchpress/generator/snippet"
	"golang.org/x/tools/txtar"
)

// fenceInfoVariants are info strings an author might write, live or not,
// well formed or not.
var fenceInfoVariants = []string{
	"go run", "go bench", "{go run}", "{go run name=x}", "{ go run }", "go  run", "go\trun", "GO run", "Go Run",
	"go run name=a", "go run,", "go run, name=a", "go runner", "go run_x", "go run-x", "go benchx", "gorun", "go",
	"go linenos", "go hl=2", "python run", "go run name=\"a b\"", "go run args=\"unclosed", "js title=\"unclosed",
	"go{run}", "{go} run", "go run}", "go {run}", ".go run", "{.go run}", "go run\r", "go runé", "go bench count=2",
	"text", "go run name=x name=y", "go run hl=x-y", "go 	bench", "go run\x00",
	"text \"hello", "python hl=1 hl=2", "go linenos linenos", "go hl=x-y", "{python \"a}",
}

// TestFenceRecognisers feeds every variant to each place that decides
// whether a fence is live: ParseFenceInfo, the loader's prefilter
// (snippet.HasLive, with the fence at the start of a line, indented, in a
// list, in a block quote, with ``` or ~~~), and a whole build, where a
// live fence must reach the runner, a plain one must not, a malformed live
// one must fail the build at its line and a malformed plain one must not
// fail it. They must all agree.
func TestFenceRecognisers(t *testing.T) {
	for _, info := range fenceInfoVariants {
		fi, perr := snippet.ParseFenceInfo(info)
		live := fi.Verb != ""
		for _, shape := range []string{"```%s\n", "  ```%s\n", "- ```%s\n", "> ```%s\n", "~~~%s\n", "````%s\n", "text\n\n```%s\n"} {
			body := strings.Replace(shape, "%s", info, 1) + "fmt.Println(1)\n```\n"
			if got := snippet.HasLive([]byte(body)); got != (live || perr != nil) {
				t.Errorf("snippet.HasLive(%q) = %v; snippet.ParseFenceInfo(%q) says verb %q, error %v", body, got, info, fi.Verb, perr)
			}
		}

		post := "---\ntitle: A\ndate: 2026-01-01\n---\nIntro.\n\n```" + info + "\nfmt.Println(1)\n```\n"
		r := &fakeRunner{}
		root := writeArchive(t, txtar.Parse([]byte(okConfig+"-- content/posts/a.md --\n"+post)))
		_, _, err := buildSite(t, root, r)
		switch {
		case perr != nil && live:
			if err == nil || !strings.HasPrefix(err.Error(), "content/posts/a.md:7: ") {
				t.Errorf("info %q (%v): build error %v, want one at content/posts/a.md:7", info, perr, err)
			}
		case perr != nil:
			// A plain fence is shown whatever its info string says.
			if err != nil || len(r.runs) != 0 {
				t.Errorf("plain info %q (%v): build error %v, %d runs; want a build that shows the block", info, perr, err, len(r.runs))
			}
		case err != nil:
			// Options that ParseFenceInfo takes but a live block does
			// not (a duplicate or unknown key) fail at the fence too.
			if !live || !strings.HasPrefix(err.Error(), "content/posts/a.md:7: ") {
				t.Errorf("info %q: build failed: %v", info, err)
			}
		case live != (len(r.runs) == 1):
			t.Errorf("info %q: ParseFenceInfo says live=%v, the build ran %d programs", info, live, len(r.runs))
		}
	}
}

// FuzzParseFenceInfo checks that ParseFenceInfo never panics, that a live
// verb always belongs to Go, and that the loader's prefilter agrees with
// it about every info string.
func FuzzParseFenceInfo(f *testing.F) {
	for _, v := range fenceInfoVariants {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, info string) {
		fi, err := snippet.ParseFenceInfo(info)
		if err == nil && fi.Verb != "" && fi.Lang != "go" {
			t.Fatalf("snippet.ParseFenceInfo(%q): verb %q for language %q", info, fi.Verb, fi.Lang)
		}
		if err == nil && fi.Verb != "" && fi.Verb != "run" && fi.Verb != "bench" {
			t.Fatalf("snippet.ParseFenceInfo(%q): verb %q", info, fi.Verb)
		}
		// The prefilter sees the fence's line; an info string holding a
		// line end or another fence is not one line's info string.
		if strings.ContainsAny(info, "\n`~") {
			return
		}
		body := "```" + info + "\nx\n```\n"
		if got, want := snippet.HasLive([]byte(body)), err != nil || fi.Verb != ""; got != want {
			t.Fatalf("snippet.HasLive(%q) = %v, ParseFenceInfo says verb %q, error %v", body, got, fi.Verb, err)
		}
	})
}
