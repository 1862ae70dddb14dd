package main

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/benchpress/benchpress/internal/testdeadline"
)

// TestServeTrace: serve --trace logs, for a save, one line with the steps
// of the rebuild in order, the debounce first and the publish last, and
// the time from the save to the reload event; without --trace, none.
func TestServeTrace(t *testing.T) {
	for _, trace := range []bool{true, false} {
		root := t.TempDir()
		writeSiteFiles(t, root, serveSite)
		d := startServeWith(t, buildFlags{root: root, drafts: true, future: true, trace: trace})
		events := d.events()
		d.waitEvent(events, "hello")
		writeSiteFiles(t, root, map[string]string{"content/posts/alpha.md": strings.Replace(serveSite["content/posts/alpha.md"], "original text", "traced text", 1)})
		d.waitEvent(events, "reload")
		// The log line follows the reload event.
		deadline := time.Now().Add(testdeadline.Scale(10 * time.Second))
		for !strings.Contains(d.log.String(), "content/posts/alpha.md:") && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		var line string
		for _, l := range strings.Split(d.log.String(), "\n") {
			if strings.Contains(l, " trace: debounce ") {
				line = l
			}
		}
		if !trace {
			if strings.Contains(d.log.String(), " trace: ") {
				t.Errorf("a trace without --trace:\n%s", d.log)
			}
			continue
		}
		step := `(\d+(\.\d+)?(ns|µs|ms|s)|0s) \[@(\d+(\.\d+)?(ns|µs|ms|s)|0s)\]`
		want := regexp.MustCompile(`trace: debounce ` + step + `, load ` + step + `, load content ` + step + `, parse ` + step + `, snippets ` + step +
			`, live bodies ` + step + `, render pages ` + step + `, publish ` + step + `; save to reload sent \S+$`)
		if !want.MatchString(line) {
			t.Errorf("trace line %q does not match %s\nlog:\n%s", line, want, d.log)
		}
	}
}
