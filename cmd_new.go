package main

import (
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/benchpress/benchpress/generator"
	"github.com/benchpress/benchpress/generator/config"
)

func runNew(args []string) error {
	fs := newFlagSet("new", `site DIR | post [--bundle] "Title"`, "new site DIR creates a site: config.yaml, .gitignore, go.mod, a first post with a live block\nand the GitHub Actions workflow that publishes it.\nnew post \"Title\" creates content/posts/<slug>.md with front matter, in the site found from\nthe current directory upward (or --source); --bundle creates content/posts/<slug>/index.md,\na page bundle whose other files (images, data) are published beside the post.\nNeither ever overwrites a file.")
	root := fs.String("source", "", sourceFlagHelp)
	bundle := fs.Bool("bundle", false, "new post: make a page bundle, content/posts/<slug>/index.md")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	// Flags may also follow the kind: new post --bundle "Title".
	kind := fs.Arg(0)
	if fs.NArg() > 0 {
		if err := parseFlags(fs, fs.Args()[1:]); err != nil {
			return err
		}
	}
	switch {
	case kind == "site" && fs.NArg() == 1:
		if *bundle || *root != "" {
			return usagef("new site DIR takes no --bundle or --source: the site is DIR")
		}
		return newSite(fs.Arg(0), time.Now())
	case kind == "post" && fs.NArg() == 1:
		site, err := siteRoot(*root, os.Stderr)
		if err != nil {
			return err
		}
		// --source is taken as given: a typo in it must not make a
		// directory with a post in it where no site is.
		if st, err := os.Stat(filepath.Join(site, config.File)); err != nil || !st.Mode().IsRegular() {
			return fmt.Errorf("not a benchpress site: no %s in %s: name the site's root with --source, or create a site with `benchpress new site DIR`", config.File, site)
		}
		return newPost(site, fs.Arg(0), *bundle, time.Now())
	case kind == "site" || kind == "post":
		return newArgsError(kind, fs.Args())
	case kind == "page":
		// Hugo's `hugo new content` makes pages too; here a page is just a file.
		return usagef(`new makes sites and posts only: a page is a markdown file directly in content/, such as content/about.md; usage: benchpress new site DIR, or benchpress new post [--bundle] "Title"`)
	}
	fs.Usage()
	if kind != "" {
		return usagef(`new: unknown kind %q; usage: benchpress new site DIR, or benchpress new post [--bundle] "Title"`, kind)
	}
	return usagef(`usage: benchpress new site DIR, or benchpress new post [--bundle] "Title"`)
}

// newArgsError says what is wrong with the arguments after new site or
// new post when they are not exactly one. Several words are most often a
// title typed without quotes.
func newArgsError(kind string, args []string) error {
	what, example := "a directory", "benchpress new site DIR"
	if kind == "post" {
		what, example = "a title", `benchpress new post "Title"`
	}
	switch {
	case len(args) == 0:
		return usagef("new %s needs %s: %s", kind, what, example)
	case kind == "post":
		return usagef("new post takes one title (got %q): quote it, benchpress new post %q", args, strings.Join(args, " "))
	}
	return usagef("new site takes one directory (got %q): %s", args, example)
}

// newPost writes a draft post titled title into the site at root.
func newPost(root, title string, bundle bool, now time.Time) error {
	title = strings.TrimSpace(title)
	slug := generator.Slugify(title)
	if slug == "" {
		return fmt.Errorf("title %q gives an empty slug: use letters or digits", title)
	}
	if err := generator.CheckSlug(slug); err != nil {
		return fmt.Errorf("title %q: %v", title, err)
	}
	posts := filepath.Join(root, "content", "posts")
	// A post and a bundle of one slug would be one URL: either form
	// existing means the post exists.
	for _, p := range []string{filepath.Join(posts, slug+".md"), filepath.Join(posts, slug, "index.md")} {
		if _, err := os.Lstat(p); err == nil {
			return fmt.Errorf("%s already exists: not overwriting it", p)
		}
	}
	path := filepath.Join(posts, slug+".md")
	if bundle {
		path = filepath.Join(posts, slug, "index.md")
	}
	body := fmt.Sprintf("---\ntitle: %q\ndate: %s\ntags: []\ndraft: true\n---\nThe first paragraph is the teaser on the home page.\n\n<!--more-->\n\n## A first section\n\n```go run\nfmt.Println(\"hello from %s\")\n```\n",
		title, now.Format("2006-01-02"), slug)
	if bundle {
		body += "\nFiles beside this index.md (images, data) are published beside the post: link them by name, ![a figure](figure.svg).\n"
	}
	if err := checkDirs(root, path); err != nil {
		return err
	}
	if err := writeNew(path, body); err != nil {
		return err
	}
	fmt.Println(path)
	// A build leaves drafts out, so a first `benchpress build` would
	// otherwise leave the new post out without a word.
	fmt.Fprintln(os.Stderr, "a draft: benchpress serve shows it; benchpress build publishes it once its draft: true line is deleted")
	return nil
}

// checkDirs refuses to write path when a directory on its way down from
// root (root itself excluded) is a symbolic link or no directory: a
// checkout that holds .github or content/posts as a link would otherwise
// have the new file written wherever the link leads, outside the site.
func checkDirs(root, path string) error {
	rel, err := filepath.Rel(root, filepath.Dir(path))
	if err != nil || rel == "." {
		return err
	}
	p := root
	for _, name := range strings.Split(rel, string(filepath.Separator)) {
		p = filepath.Join(p, name)
		st, err := os.Lstat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil // made by writeNew, as a directory
		case err != nil:
			return err
		case st.Mode()&fs.ModeSymlink != 0:
			return fmt.Errorf("%s is a symbolic link: not writing through it (a site's files stay inside it)", p)
		case !st.IsDir():
			return fmt.Errorf("%s is not a directory", p)
		}
	}
	return nil
}

// writeNew creates path (and its directory) holding data, failing if the
// file exists.
func writeNew(path, data string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s already exists: not overwriting it", path)
		}
		return err
	}
	if _, err := f.WriteString(data); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return err
	}
	return nil
}

// siteWorkflowYAML is the workflow `new site` writes: the one this
// repository ships and tests with actionlint.
//
//go:embed .github/workflows/site.yml
var siteWorkflowYAML string

// newSite creates a site in dir (made if missing; it may hold other files,
// a git checkout's, say). Nothing is written if any of its files exists.
func newSite(dir string, now time.Time) error {
	title := strings.TrimSpace(filepath.Base(filepath.Clean(dir)))
	if abs, err := filepath.Abs(dir); err == nil {
		title = filepath.Base(abs)
	}
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return fmt.Errorf("%s is a file, not a directory: name a new or empty directory for the site", dir)
	}
	files := siteFiles(title, now)
	var exist []string
	for _, f := range files {
		if err := checkDirs(dir, filepath.Join(dir, f.name)); err != nil {
			return err
		}
		if _, err := os.Lstat(filepath.Join(dir, f.name)); err == nil {
			exist = append(exist, f.name)
		}
	}
	if len(exist) > 0 {
		return fmt.Errorf("%s already holds %s: not overwriting anything (choose an empty or new directory)", dir, strings.Join(exist, ", "))
	}
	for _, f := range files {
		if err := writeNew(filepath.Join(dir, f.name), f.data); err != nil {
			return err
		}
		fmt.Println(filepath.Join(dir, f.name))
	}
	fmt.Fprintf(os.Stderr, "new site in %s: cd %s && benchpress serve\n", dir, dir)
	return nil
}

type siteFile struct{ name, data string }

// siteFiles are the files of a new site titled title.
func siteFiles(title string, now time.Time) []siteFile {
	return []siteFile{
		{"config.yaml", fmt.Sprintf(newConfig, title)},
		{".gitignore", newGitignore},
		{"go.mod", fmt.Sprintf("// The go line is the Go version snippets are run with in CI, and part of every\n// stored result's key: change it on purpose (README, \"Publishing from CI\").\nmodule blog\n\ngo %s\n", siteGoVersion())},
		{filepath.Join("content", "posts", "hello-benchpress.md"), fmt.Sprintf(newFirstPost, now.Format("2006-01-02"))},
		{filepath.Join(".github", "workflows", "site.yml"), siteWorkflowYAML},
	}
}

var fullGoVersion = regexp.MustCompile(`^go(\d+\.\d+\.\d+)$`)

// siteGoVersion is the full Go version for a new site's go.mod: the one
// benchpress was built with, which is installed here; a development
// toolchain's version is no release, so the go.mod's own line stands in.
func siteGoVersion() string {
	if m := fullGoVersion.FindStringSubmatch(runtime.Version()); m != nil {
		return m[1]
	}
	return "1.26.8"
}

const newConfig = `# The site's configuration: every key is in README.md, "Configuration".
# Decoding is strict: a misspelt key is an error naming its line.
title: %q
# Where the site is published, with a trailing slash: feeds, the sitemap and
# social cards use absolute URLs. For GitHub Pages: https://USER.github.io/REPO/
baseURL: "http://localhost:1313/"
description: "What this blog is about, in one sentence (feeds and link previews show it)."
author: ""
language: en
paginate: 10
menu:
  - name: Posts
    url: /
  - name: Archive
    url: /archive/
  - name: Tags
    url: /tags/
playground:
  # linux runs snippets in the Linux sandbox; on macOS or Windows use remote
  # (README, "Platforms").
  sandbox: linux
  timeout: 10s # per snippet
  # Stored results: commit this directory so CI and fresh clones reuse them.
  results: .benchpress/results
`

// newGitignore names what a build leaves in the site: the output, its
// lock, the staging directories of a build that was killed, and the
// rendered diagrams and social cards cache.
const newGitignore = `# What benchpress build leaves in the site (commit .benchpress/results).
/public/
/.public.benchpress.lock
/.public.benchpress-*
/.benchpress/cache/
`

const newFirstPost = "---\n" + `title: "Hello, benchpress"
date: %s
tags: [meta]
---
This post's Go code runs when the site is built, and the page shows what it
really printed.

<!--more-->

## A live block

A fence whose info string is ` + "`go run`" + ` is compiled and run in the sandbox:

` + "```go run\n" + `for i := 1; i <= 3; i++ {
	fmt.Println("line", i)
}
` + "```\n" + `
Its result is stored in .benchpress/results, so the next build reuses it
until the code changes. Write a new post with ` + "`benchpress new post \"Title\"`" + `.
`
