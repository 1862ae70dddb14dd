package generator

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/benchpress/benchpress/generator/diag"
	"github.com/benchpress/benchpress/playground"
)

// TestWarnStored: warnings go to Options.Warn, positioned, and say whether
// they are about a result from the results store (which the build that
// ran it warned about already: serve -q and build -q leave those out).
func TestWarnStored(t *testing.T) {
	const head = "goos: linux\ngoarch: amd64\npkg: example.com/x\ncpu: Test CPU\n"
	raw := head + strings.Repeat("BenchmarkQuiet-2 \t 100 \t 10 ns/op\n", 6)
	for _, ns := range []int{10, 11, 30, 10, 50, 12} {
		raw += fmt.Sprintf("BenchmarkLoud-2 \t 100 \t %d ns/op\n", ns)
	}
	site := okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\n---\n\n```go bench name=n baseline=Quiet\n" +
		"func BenchmarkQuiet(b *testing.B) {}\n\nfunc BenchmarkLoud(b *testing.B) {}\n```\n"
	root := writeArchive(t, txtar.Parse([]byte(site)))
	for _, cached := range []bool{false, true} {
		runner := &fakeRunner{results: map[string]playground.Result{"content/posts/a.md#n": {Status: playground.StatusOK, Cached: cached,
			Events: []playground.Event{{Stream: playground.Stdout, Data: raw}}, Env: benchEnv}}}
		var got []diag.Warning
		var log strings.Builder
		opts := Options{Root: root, Out: filepath.Join(t.TempDir(), "public"), Theme: testTheme, Runner: runner, Now: testNow, Log: &log,
			Warn: func(w diag.Warning) { got = append(got, w) }}
		if _, err := Build(t.Context(), opts); err != nil {
			t.Fatal(err)
		}
		want := []diag.Warning{{File: "content/posts/a.md", Line: 9, Msg: "BenchmarkLoud-2 is noisy (±335%): rerun on a quieter machine", Stored: cached}}
		if !slices.Equal(got, want) {
			t.Errorf("result from the store %v: warnings %+v, want %+v", cached, got, want)
		}
		if log.Len() != 0 {
			t.Errorf("with Warn set, the log has warnings too:\n%s", log.String())
		}
	}
}
