package generator

import (
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/benchpress/benchpress/playground"
)

// TestLimitMessages checks that a snippet stopped by a limit is reported
// with the limit its result says applied, not one guessed from the site's
// configuration: a benchmark under a site timeout of 3 minutes timed out
// after 3m0s, not 2m0s.
func TestLimitMessages(t *testing.T) {
	site := okConfig + "playground:\n  timeout: 3m\n" + `-- content/posts/a.md --
---
title: A
date: 2026-01-01
---
Intro.

` + "```go bench name=slow" + `
func BenchmarkX(b *testing.B) {}
` + "```" + `

` + "```go run name=spin" + `
for {}
` + "```" + `

` + "```go run name=hog" + `
_ = make([]byte, 1<<40)
` + "```" + `

` + "```go run name=shot" + `
select {}
` + "```" + `
`
	lim := playground.Limits{Timeout: 3 * time.Minute, Memory: 512 << 20}
	r := &fakeRunner{results: map[string]playground.Result{
		"content/posts/a.md#slow": {Status: playground.StatusTimeout, ExitCode: -1, Limits: lim},
		"content/posts/a.md#spin": {Status: playground.StatusCPULimit, ExitCode: -1, Limits: playground.Limits{Timeout: 10 * time.Second}},
		"content/posts/a.md#hog":  {Status: playground.StatusMemoryLimit, ExitCode: 2, Limits: lim},
		"content/posts/a.md#shot": {Status: playground.StatusKilled, ExitCode: 128 + 9, Limits: lim},
	}}
	root := writeArchive(t, txtar.Parse([]byte(site)))
	_, _, err := buildSite(t, root, r)
	want := `content/posts/a.md:7: snippet slow timed out after 3m0s: make it faster or raise its limit with timeout= in the fence
content/posts/a.md:11: snippet spin exceeded the CPU-time limit of 12s (the CPU time of all its threads together, which may run out before its timeout): make it do less work or raise timeout= in the fence, which raises both
content/posts/a.md:15: snippet hog hit the memory limit of 512 MiB (playground.memory in config.yaml)
content/posts/a.md:19: snippet shot was killed by signal 9 (killed): (no output on stderr)
(4 errors)`
	if err == nil || err.Error() != want {
		t.Errorf("errors:\n%v\nwant:\n%s", err, want)
	}
}
