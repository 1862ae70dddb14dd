package liverun

import (
	"cmp"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/benchpress/benchpress/generator/snippet"
)

// CheckRerun fails a build whose --rerun target (all, a post
// content/posts/x.md, or a block content/posts/x.md#name) names no post, a
// post without live code, or no block of the post: rerunning nothing must
// not look like success. blocks returns a post's live blocks, and whether
// the build has the post.
// inSite reports whether file is a file of the site at all, so that a
// post the build leaves out (a draft, a future post) is told from a typo.
func CheckRerun(rerun string, blocks func(file string) ([]*snippet.Snippet, bool), inSite func(file string) bool) error {
	target := rerun
	if target == "" || target == "all" {
		return nil
	}
	target = filepath.ToSlash(filepath.Clean(target))
	file, block, hasBlock := strings.Cut(target, "#")
	sns, found := blocks(file)
	switch {
	case !found && inSite != nil && inSite(file):
		return fmt.Errorf("--rerun=%s: %s is not in this build: a draft or a future-dated post is built with --drafts or --future", rerun, file)
	case !found:
		return fmt.Errorf("--rerun=%s: no such post in this build (name it from the site root, e.g. content/posts/x.md)", rerun)
	case len(sns) == 0:
		return fmt.Errorf("--rerun=%s: %s has no live code blocks", rerun, file)
	case !hasBlock:
		return nil
	}
	var names []string
	for _, sn := range sns {
		if sn.Program.ID == target {
			return nil
		}
		if sn.Opts.Name != "" {
			names = append(names, sn.Opts.Name)
		}
	}
	return fmt.Errorf("--rerun=%s: %s has no block named %q (its named blocks: %s)", rerun, file, block, cmp.Or(strings.Join(names, ", "), "none; add name=... to a fence"))
}
