package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/benchpress/benchpress/generator"
)

func runNew(args []string) error {
	fs := newFlagSet("new", `post "Title"`, "Create content/posts/<slug>.md with front matter. Never overwrites a file.")
	root := fs.String("source", ".", "site root (the directory holding config.yaml)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 2 || fs.Arg(0) != "post" {
		fs.Usage()
		return usagef(`usage: benchpress new post "Title"`)
	}
	title := strings.TrimSpace(fs.Arg(1))
	slug := generator.Slugify(title)
	if slug == "" {
		return fmt.Errorf("title %q gives an empty slug: use letters or digits", title)
	}
	if err := generator.CheckSlug(slug); err != nil {
		return fmt.Errorf("title %q: %v", title, err)
	}
	path := filepath.Join(*root, "content", "posts", slug+".md")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	body := fmt.Sprintf("---\ntitle: %q\ndate: %s\ntags: []\ndraft: true\n---\nThe first paragraph is the teaser on the home page.\n\n<!--more-->\n\n## A first section\n\n```go run\nfmt.Println(\"hello from %s\")\n```\n",
		title, time.Now().Format("2006-01-02"), slug)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%s already exists: not overwriting it", path)
		}
		return err
	}
	if _, err := f.WriteString(body); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Println(path)
	return nil
}
