package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/benchpress/benchpress/generator/config"
	"github.com/benchpress/benchpress/internal/sitecheck"
)

func runCheck(args []string) error { return checkSite(args, os.Stdout, os.Stderr) }

// checkSite is the check verb: problems go to stdout, one a line, and the
// summary to stderr.
func checkSite(args []string, stdout, stderr io.Writer) error {
	flags := newFlagSet("check", "[flags]", "Check the built site: every internal link and #fragment resolves, every asset it loads\nexists and is self-hosted, no page repeats an id, and the feeds and sitemap parse and\npoint inside the site. Prints one line per problem, PAGE: PROBLEM, and exits 1 if any.")
	root := flags.String("source", "", sourceFlagHelp)
	dir := flags.String("dir", "", "the built site (default SOURCE/public)")
	flags.SetOutput(stderr)
	if err := parseFlags(flags, args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return usagef("check takes no arguments (got %q); see benchpress check -h", flags.Args())
	}
	var err error
	if *root, err = siteRoot(*root, stderr); err != nil {
		return err
	}
	cfg, err := config.Load(*root)
	if err != nil {
		return err
	}
	out := *dir
	if out == "" {
		out = filepath.Join(*root, "public")
	}
	if st, err := os.Stat(out); err != nil || !st.IsDir() {
		return fmt.Errorf("check: %s is not a directory: build the site first (benchpress build)", out)
	}
	rep, err := sitecheck.Check(os.DirFS(out), sitecheck.Options{BaseURL: cfg.BaseURL})
	if err != nil {
		return err
	}
	pages := map[string]bool{}
	gha := underGitHubActions()
	for _, p := range rep.Problems {
		fmt.Fprintln(stdout, p)
		if gha {
			// A built page is no file of the repository: the problem goes
			// to the run's summary, not to a line of the diff.
			fmt.Fprint(stdout, workflowCommand("error", "", 0, fmt.Sprint(p)))
		}
		pages[p.Page] = true
	}
	if n := len(rep.Problems); n > 0 {
		fmt.Fprintf(stderr, "check: %s in %s of %s\n", plural(n, "problem"), plural(len(pages), "file"), out)
		return exitCode(1)
	}
	fmt.Fprintf(stderr, "checked %s: %s, %s, %s, %d feeds and sitemaps: no problems\n", out,
		plural(rep.Pages, "page"), plural(rep.Links, "link"), plural(rep.Assets, "asset"), rep.Feeds)
	return nil
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
