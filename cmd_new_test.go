package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestNewPost: `benchpress new post` makes a file of the title's slug only
// when that name is the same on every system, and never overwrites one.
func TestNewPost(t *testing.T) {
	site := writeFiles(t, map[string]string{"config.yaml": "title: T\n"})
	for _, tc := range []struct {
		title string
		code  int
		msg   string // in stdout on success, stderr otherwise
	}{
		{"Hello, World", 0, filepath.Join("content", "posts", "hello-world.md")},
		{"Ünï Çødé", 0, filepath.Join("content", "posts", "ünï-çødé.md")},
		{"Hello, World", 1, "hello-world.md already exists: not overwriting it"},
		{"Con", 1, `title "Con": slug "con" is the name of a device on Windows (CON): choose another title`},
		{"aux", 1, `slug "aux" is the name of a device on Windows (AUX)`},
		{strings.Repeat("long ", 60), 1, "slug is longer than 255 bytes (299): choose a shorter title"},
		{"!!!", 1, `title "!!!" gives an empty slug: use letters or digits`},
	} {
		cmd := cliCommand("new", "--source", site, "post", tc.title)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		cmd.Run()
		out := stdout.String()
		if tc.code != 0 {
			out = stderr.String()
		}
		if code := cmd.ProcessState.ExitCode(); code != tc.code || !strings.Contains(out, tc.msg) {
			t.Errorf("new post %q: exit %d, stdout %q, stderr %q; want exit %d and %q", tc.title, code, stdout.String(), stderr.String(), tc.code, tc.msg)
		}
		// build leaves the draft out: the author is told so.
		const draft = "a draft: benchpress serve shows it; benchpress build publishes it once its draft: true line is deleted\n"
		if tc.code == 0 && (stdout.String() != filepath.Join(site, tc.msg)+"\n" || stderr.String() != draft) {
			t.Errorf("new post %q: stdout %q, stderr %q; want the path alone, then %q on stderr", tc.title, stdout.String(), stderr.String(), draft)
		}
	}
	entries, err := os.ReadDir(filepath.Join(site, "content", "posts"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, " "); got != "hello-world.md ünï-çødé.md" {
		t.Errorf("content/posts holds %q, want the two posts made", got)
	}
}

// TestNewSite: `new site` scaffolds a site that builds as it is, from its
// root and from a directory inside it; it writes nothing where any of its
// files exists; and `new post` outside a site says so and creates nothing.
func TestNewSite(t *testing.T) {
	if testing.Short() && os.Getenv("CI") == "" {
		t.Skip("builds a site whose first post runs a snippet")
	}
	dir := t.TempDir()
	site := filepath.Join(dir, "blog")
	if out, err := cliCommand("new", "site", site).CombinedOutput(); err != nil {
		t.Fatalf("new site: %v\n%s", err, out)
	}
	for _, f := range []string{"config.yaml", ".gitignore", "go.mod", "content/posts/hello-benchpress.md", ".github/workflows/site.yml"} {
		if _, err := os.Stat(filepath.Join(site, f)); err != nil {
			t.Errorf("new site left no %s: %v", f, err)
		}
	}
	ignore, _ := os.ReadFile(filepath.Join(site, ".gitignore"))
	for _, want := range []string{"/public/", "/.public.benchpress.lock", "/.public.benchpress-*", "/.benchpress/cache/"} {
		if !strings.Contains(string(ignore), want+"\n") {
			t.Errorf(".gitignore does not name %s:\n%s", want, ignore)
		}
	}

	// A second new site there, or in a directory holding one of its files,
	// writes nothing.
	cfg, _ := os.ReadFile(filepath.Join(site, "config.yaml"))
	os.WriteFile(filepath.Join(site, "config.yaml"), []byte("title: mine\n"), 0o644)
	out, err := cliCommand("new", "site", site).CombinedOutput()
	if err == nil || !strings.Contains(string(out), site+" already holds config.yaml, .gitignore, go.mod, "+filepath.Join("content", "posts", "hello-benchpress.md")+", "+filepath.Join(".github", "workflows", "site.yml")+": not overwriting anything") {
		t.Errorf("new site over a site: %v\n%s", err, out)
	}
	if b, _ := os.ReadFile(filepath.Join(site, "config.yaml")); string(b) != "title: mine\n" {
		t.Errorf("config.yaml was overwritten: %q", b)
	}
	other := filepath.Join(dir, "other")
	os.MkdirAll(other, 0o755)
	os.WriteFile(filepath.Join(other, ".gitignore"), []byte("x\n"), 0o644)
	if out, err := cliCommand("new", "site", other).CombinedOutput(); err == nil || !strings.Contains(string(out), "already holds .gitignore") {
		t.Errorf("new site over a .gitignore: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(other, "config.yaml")); err == nil {
		t.Error("new site wrote config.yaml beside an existing .gitignore")
	}
	os.WriteFile(filepath.Join(site, "config.yaml"), cfg, 0o644)

	// Built from a directory inside the site, with no --source.
	build := cliCommand("build", "--sandbox", "none")
	build.Dir = filepath.Join(site, "content", "posts")
	if out, err := build.CombinedOutput(); err != nil || !strings.Contains(string(out), "site: ../.. (config.yaml found above the current directory)") {
		t.Fatalf("build in content/posts: %v\n%s", err, out)
	}
	page, err := os.ReadFile(filepath.Join(site, "public", "posts", "hello-benchpress", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "line 3") {
		t.Errorf("the first post's page does not show its snippet's output")
	}
	check := cliCommand("check")
	check.Dir = build.Dir
	if out, err := check.CombinedOutput(); err != nil {
		t.Errorf("check in content/posts: %v\n%s", err, out)
	}

	// new post from inside the site writes into its content/posts; a
	// bundle and a post of the same slug are one post.
	np := cliCommand("new", "post", "--bundle", "Second Post")
	np.Dir = build.Dir
	if out, err := np.Output(); err != nil || strings.TrimSpace(string(out)) != filepath.Join("..", "..", "content", "posts", "second-post", "index.md") {
		t.Errorf("new post --bundle: %v, %q", err, out)
	}
	np = cliCommand("new", "post", "Second Post")
	np.Dir = site
	if out, err := np.CombinedOutput(); err == nil || !strings.Contains(string(out), filepath.Join("content", "posts", "second-post", "index.md")+" already exists: not overwriting it") {
		t.Errorf("new post over a bundle: %v\n%s", err, out)
	}

	// Outside any site.
	outside := t.TempDir()
	np = cliCommand("new", "post", "Lost")
	np.Dir = outside
	out, err = np.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "benchpress: not inside a benchpress site: no config.yaml in "+outside+" or any directory above it: create a site with `benchpress new site DIR`, or name one with --source DIR") {
		t.Errorf("new post outside a site: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(outside, "content")); err == nil {
		t.Error("new post outside a site created content/")
	}
}

// TestNewSiteLinkedDir: new site (and new post) write nothing through a
// directory of the site that is a symbolic link: before, MkdirAll and the
// create followed .github (or content/posts) wherever it led.
func TestNewSiteLinkedDir(t *testing.T) {
	for _, linked := range []string{".github", filepath.Join(".github", "workflows"), "content", filepath.Join("content", "posts")} {
		dir := t.TempDir()
		elsewhere := t.TempDir()
		os.MkdirAll(filepath.Dir(filepath.Join(dir, linked)), 0o755)
		if err := os.Symlink(elsewhere, filepath.Join(dir, linked)); err != nil {
			t.Skip("no symbolic links here:", err)
		}
		err := newSite(dir, time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC))
		if err == nil || !strings.Contains(err.Error(), "is a symbolic link") {
			t.Errorf("%s linked: new site: %v", linked, err)
		}
		if err := newPost(dir, "A post", false, time.Now()); linked != ".github" && linked != filepath.Join(".github", "workflows") && (err == nil || !strings.Contains(err.Error(), "is a symbolic link")) {
			t.Errorf("%s linked: new post: %v", linked, err)
		}
		filepath.WalkDir(elsewhere, func(p string, d fs.DirEntry, err error) error {
			if p != elsewhere {
				t.Errorf("%s linked: wrote %s outside the site", linked, p)
			}
			return nil
		})
	}
}

// TestNewSiteOnAFile: new site DIR where DIR is a file says so, and
// writes nothing; before, it failed with "lstat DIR/content: not a
// directory".
func TestNewSiteOnAFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "notes")
	if err := os.WriteFile(file, []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := newSite(file, time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC))
	if want := file + " is a file, not a directory: name a new or empty directory for the site"; err == nil || err.Error() != want {
		t.Errorf("new site on a file: %v, want %s", err, want)
	}
	if b, _ := os.ReadFile(file); string(b) != "mine\n" {
		t.Errorf("the file now holds %q", b)
	}
}

// TestFindConfig walks upward to the nearest config.yaml but not past the
// top of the repository the walk started in: a config.yaml above it is
// somebody else's.
func TestFindConfig(t *testing.T) {
	root := t.TempDir()
	mk := func(rel string, file bool) {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if file {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte("title: x\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	mk("config.yaml", true)                // above every repository: not a site of theirs
	mk("repo/.git", false)                 // a repository without a site
	mk("repo/docs/deep", false)            //
	mk("site/.git", true)                  // a worktree's .git is a file
	mk("site/config.yaml", true)           // a site at its repository's top
	mk("site/content/posts", false)        //
	mk("plain/sub", false)                 // no repository: the walk goes on up
	mk("nested/.git", false)               // a site inside a repository
	mk("nested/blog/config.yaml", true)    //
	mk("nested/blog/content/posts", false) //
	mk("dirconf/config.yaml", false)       // a directory named config.yaml is no site
	mk("dirconf/.git", false)              //
	for _, tc := range []struct {
		start, site, top string
	}{
		{"repo/docs/deep", "", "repo"},
		{"repo", "", "repo"},
		{"site/content/posts", "site", ""},
		{"site", "site", ""},
		{"plain/sub", ".", ""},
		{"nested/blog/content/posts", "nested/blog", ""},
		{"dirconf", "", "dirconf"},
	} {
		site, top, found := findConfig(filepath.Join(root, filepath.FromSlash(tc.start)))
		want := func(rel string) string {
			if rel == "" {
				return ""
			}
			return filepath.Join(root, filepath.FromSlash(rel))
		}
		if found != (tc.site != "") || site != want(tc.site) || top != want(tc.top) {
			t.Errorf("findConfig(%s) = %q, %q, %v; want site %q, top %q", tc.start, site, top, found, want(tc.site), want(tc.top))
		}
	}

	// The CLI says where the walk ended.
	np := cliCommand("new", "post", "Lost")
	np.Dir = filepath.Join(root, "repo", "docs")
	out, err := np.CombinedOutput()
	wantMsg := "benchpress: not inside a benchpress site: no config.yaml in " + np.Dir + " or any directory above it up to the repository's top " + filepath.Join(root, "repo") + ": create a site with `benchpress new site DIR`, or name one with --source DIR"
	if err == nil || !strings.Contains(string(out), wantMsg) {
		t.Errorf("new post in a repository without a site: %v\n%s\nwant %s", err, out, wantMsg)
	}
	if _, err := os.Stat(filepath.Join(root, "content")); err == nil {
		t.Errorf("new post wrote into the config.yaml above the repository")
	}
}

// TestNewUsage: a wrong `new` command line says what is wrong and what to
// type, exits 2 and writes nothing; a title typed without quotes is the
// likely mistake, so the message quotes it back.
func TestNewUsage(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"new"}, `benchpress: usage: benchpress new site DIR, or benchpress new post [--bundle] "Title"` + "\n"},
		{[]string{"new", "foo"}, `benchpress: new: unknown kind "foo"; usage: benchpress new site DIR, or benchpress new post [--bundle] "Title"` + "\n"},
		{[]string{"new", "page", "About"}, `benchpress: new makes sites and posts only: a page is a markdown file directly in content/, such as content/about.md; usage: benchpress new site DIR, or benchpress new post [--bundle] "Title"` + "\n"},
		{[]string{"new", "site"}, "benchpress: new site needs a directory: benchpress new site DIR\n"},
		{[]string{"new", "site", "my", "blog"}, `benchpress: new site takes one directory (got ["my" "blog"]): benchpress new site DIR` + "\n"},
		{[]string{"new", "post"}, `benchpress: new post needs a title: benchpress new post "Title"` + "\n"},
		{[]string{"new", "post", "--bundle"}, `benchpress: new post needs a title: benchpress new post "Title"` + "\n"},
		{[]string{"new", "post", "Consistent", "hashing"}, `benchpress: new post takes one title (got ["Consistent" "hashing"]): quote it, benchpress new post "Consistent hashing"` + "\n"},
		{[]string{"new", "post", "--bundle", "Ring", "sizes"}, `benchpress: new post takes one title (got ["Ring" "sizes"]): quote it, benchpress new post "Ring sizes"` + "\n"},
	} {
		var stderr bytes.Buffer
		if code := run(tt.args, &stderr); code != 2 || stderr.String() != tt.msg {
			t.Errorf("benchpress %s: exit %d, %q; want 2 and %q", strings.Join(tt.args, " "), code, stderr.String(), tt.msg)
		}
	}
	if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
		t.Errorf("usage errors wrote %v (%v); want nothing", entries, err)
	}
}

// TestNewPostSourceNoSite: new post --source DIR, where DIR holds no
// config.yaml (a typo, or a directory that does not exist), says so and
// writes nothing; before, it made DIR/content/posts/ and the post there.
func TestNewPostSourceNoSite(t *testing.T) {
	for _, dir := range []string{filepath.Join(t.TempDir(), "missing"), t.TempDir()} {
		var stderr bytes.Buffer
		code := run([]string{"new", "post", "--source", dir, "A post"}, &stderr)
		want := "benchpress: not a benchpress site: no config.yaml in " + dir + ": name the site's root with --source, or create a site with `benchpress new site DIR`\n"
		if code != 1 || stderr.String() != want {
			t.Errorf("new post --source %s: exit %d, %q; want 1, %q", dir, code, stderr.String(), want)
		}
		if _, err := os.Stat(filepath.Join(dir, "content")); !os.IsNotExist(err) {
			t.Errorf("new post --source %s wrote content/ (%v)", dir, err)
		}
	}
}
