package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/benchpress/benchpress/generator/config"
	"github.com/benchpress/benchpress/generator/content"
	"github.com/benchpress/benchpress/generator/snippet"
	"github.com/benchpress/benchpress/internal/sysfile"
)

// checkPrune refuses build --prune when the build leaves out drafts or
// future-dated posts that hold live code: the prune deletes every stored
// result the build did not look up, and theirs would be among them, so
// a draft's benchmarks, measured on a quiet machine, were lost to a
// routine prune (serve, which shows drafts, then ran them again). It reads
// the posts' front matter and fences only; a site that does not load is
// left for the build to report.
func checkPrune(f buildFlags, cfg *config.Config, now time.Time) error {
	if f.drafts && f.future {
		return nil
	}
	opt := content.LoadOptions{Drafts: true, Future: true, Now: now}
	opt.Permalinks.Posts, opt.Permalinks.Pages = cfg.Permalinks.Posts, cfg.Permalinks.Pages
	c, err := content.Load(sysfile.DirFS(f.root), opt)
	if err != nil {
		return nil
	}
	var left []string
	for _, p := range append(c.Posts, c.Pages...) {
		why := ""
		switch {
		case p.Draft && !f.drafts:
			why = "draft"
		case p.Future && !f.future:
			why = "future"
		default:
			continue
		}
		if snippet.HasLive(p.Body) {
			left = append(left, p.SourcePath+" ("+why+")")
		}
	}
	if len(left) == 0 {
		return nil
	}
	return fmt.Errorf("--prune would delete the stored results of live code in posts this build leaves out: %s; "+
		"prune with --drafts --future (and --out a scratch directory, to publish nothing) to keep them", strings.Join(left, ", "))
}
