package generator

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// TestHostileSite builds sites that try to reach outside themselves or to
// replace what the build generates. Each must fail with the exact message,
// and nothing may be written anywhere: not the output, not outside it.
// links are symbolic links made after the archive is written: name ->
// target, where "$OUT" stands for a directory outside the site holding a
// file named secret.
func TestHostileSite(t *testing.T) {
	const post = "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\n---\nBody.\n"
	bundle := "-- content/posts/b/index.md --\n---\ntitle: B\ndate: 2026-01-02\n---\nBundle.\n"
	tests := []struct {
		name  string
		site  string
		want  string
		links map[string]string
	}{
		// Paths written.
		{"alias climbs out", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\naliases:\n  - /old/\n  - /../../ESC/\n---\n",
			`content/posts/a.md:6: alias "/../../ESC/" must not contain . or .. segments`, nil},
		{"alias file climbs out", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\naliases: [\"/../../x.html\"]\n---\n",
			`content/posts/a.md:4: alias "/../../x.html" must not contain . or .. segments`, nil},
		{"alias with a backslash", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\naliases: [\"/a\\\\..\\\\b/\"]\n---\n",
			`content/posts/a.md:4: alias "/a\\..\\b/" must not contain a backslash or a NUL byte`, nil},
		{"alias with NUL", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\naliases: [\"/a\\0b/\"]\n---\n",
			"content/posts/a.md:4: alias \"/a\\x00b/\" must not contain a backslash or a NUL byte", nil},
		{"alias without slash", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\naliases: [old]\n---\n",
			`content/posts/a.md:4: alias "old" must be a site path starting with /`, nil},
		{"alias segment too long", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\naliases: [\"/" + strings.Repeat("a", 256) + "/\"]\n---\n",
			`content/posts/a.md:4: alias /` + strings.Repeat("a", 59) + `… would be written to "` + strings.Repeat("a", 60) + `…", but "` + strings.Repeat("a", 60) + `…" is longer than 255 bytes (256): change the alias`, nil},
		{"alias too long", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\naliases: [\"" + strings.Repeat("/"+strings.Repeat("b", 200), 3) + "/\"]\n---\n",
			`content/posts/a.md:4: alias "/` + strings.Repeat("b", 59) + `…" is longer than 512 bytes (604): shorten it`, nil},
		{"permalink climbs out", okConfig + "permalinks:\n  posts: /../:slug/\n" + post,
			`config.yaml:4: permalinks.posts "/../:slug/" must not contain . or .. segments`, nil},

		// Pages the build generates.
		{"page replaces the tags index", okConfig + post + "-- content/tags.md --\n---\ntitle: Tags\n---\n",
			"content/tags.md:1: this page (URL /tags/) would replace the tags index at /tags/: give one of them another URL", nil},
		{"page replaces the archive", okConfig + post + "-- content/archive.md --\n---\ntitle: Archive\n---\n",
			"content/archive.md:1: this page (URL /archive/) would replace the archive at /archive/: give one of them another URL", nil},
		{"alias replaces home", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\naliases: [/]\n---\n",
			"content/posts/a.md:4: alias / would replace the home page at /: give one of them another URL", nil},
		{"alias replaces a tag page", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\ntags: [go]\naliases:\n  - /tags/go/\n---\n",
			`content/posts/a.md:6: alias /tags/go/ would replace the page of tag "go" at /tags/go/: give one of them another URL`, nil},
		{"alias replaces a post", okConfig + post + "-- content/posts/c.md --\n---\ntitle: C\ndate: 2026-01-03\naliases: [/posts/a/]\n---\n",
			"content/posts/c.md:4: alias /posts/a/ would replace this post (URL /posts/a/) (content/posts/a.md:1) at /posts/a/: give one of them another URL", nil},
		{"alias replaces the feed", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\naliases: [/index.xml]\n---\n",
			"content/posts/a.md:4: alias /index.xml would replace the generated index.xml at /index.xml: give one of them another URL", nil},
		{"two aliases collide", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\naliases: [/old/]\n---\n-- content/posts/c.md --\n---\ntitle: C\ndate: 2026-01-03\naliases: [/old/]\n---\n",
			"content/posts/a.md:4: alias /old/ would replace alias /old/ (content/posts/c.md:4) at /old/: give one of them another URL", nil},
		{"static file replaces home", okConfig + post + "-- static/index.html --\n<p>mine</p>\n",
			"static/index.html: this static file would replace the home page at /: give one of them another URL", nil},
		{"static file inside the search index", okConfig + post + "-- static/search/t0.json --\n{}\n",
			`static/search/t0.json: this static file would be written to "search/t0.json", inside search/, which holds the search index: rename the file`, nil},
		{"alias inside the search index", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\naliases: [/search/t1.json/]\n---\n",
			`content/posts/a.md:4: alias /search/t1.json/ would be written to "search/t1.json/index.html", inside search/, which holds the search index: change the alias`, nil},
		{"page replaces the second home page", okConfig + "paginate: 1\n" + post + "-- content/posts/c.md --\n---\ntitle: C\ndate: 2026-01-03\naliases: [/page/2/]\n---\n",
			"content/posts/c.md:4: alias /page/2/ would replace page 2 of the home page at /page/2/: give one of them another URL", nil},

		// Tags.
		{"tags whose slugs collide", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\ntags: [C]\n---\n-- content/posts/c.md --\n---\ntitle: C\ndate: 2026-01-03\ntags:\n  - go\n  - C++\n---\n",
			`content/posts/a.md:4: tag "C" and tag "C++" (content/posts/c.md:6) would share the page /tags/c/: use one spelling for both`, nil},
		{"tag with an empty slug", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\ntags: [go, \"!!!\"]\n---\n",
			`content/posts/a.md:4: tag "!!!" has no letters or digits, so it has no page (its URL would be empty): rename it`, nil},
		{"empty tag", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\ntags:\n  - go\n  - \"\"\n---\n",
			`content/posts/a.md:6: tag "" has no letters or digits, so it has no page (its URL would be empty): rename it`, nil},
		{"tags as one string", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\ntags: go, rust\n---\n",
			`content/posts/a.md:4: tags "go, rust" is one value: write a list, e.g. [go, rust]`, nil},
		{"tags as a number", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\ntags: 5\n---\n",
			`content/posts/a.md:4: tags "5" is one value: write a list, e.g. [5]`, nil},
		{"tags as one word", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\ntags: machine learning\n---\n",
			`content/posts/a.md:4: tags "machine learning" is one value: write a list, e.g. [machine learning]`, nil},
		{"aliases as one path", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\naliases: /old/\n---\n",
			`content/posts/a.md:4: aliases "/old/" is one value: write a list, e.g. [/old/]`, nil},
		{"tags as a mapping", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\ntags:\n  go: 1\n---\n",
			`content/posts/a.md:4: tags must be a list, e.g. [a, b]`, nil},

		// Names that some system refuses or changes: every site builds the
		// same on Linux, macOS and Windows, or not at all.
		{"slug too long", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\nslug: " + strings.Repeat("a", 300) + "\n---\n",
			"content/posts/a.md:4: slug is longer than 255 bytes (300): shorten it", nil},
		{"slug of Unicode letters too long", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\nslug: " + strings.Repeat("ü", 128) + "\n---\n",
			"content/posts/a.md:4: slug is longer than 255 bytes (256): shorten it", nil},
		{"slug a device name", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\nslug: aux\n---\n",
			`content/posts/a.md:4: slug "aux" is the name of a device on Windows (AUX): choose another`, nil},
		{"slug from a file name, a device name", okConfig + "-- content/posts/COM1!.md --\n---\ntitle: A\ndate: 2026-01-01\n---\n",
			"content/posts/COM1!.md:1: slug \"com1\" is the name of a device on Windows (COM1): set `slug:` in the front matter, or rename the file", nil},
		{"slug decomposed", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\nslug: cafe\u0301\n---\n",
			`content/posts/a.md:4: slug "cafe\u0301" is not in Unicode's composed form (NFC), so it would not match the same slug typed elsewhere: write "café"`, nil},
		{"post file a device name", okConfig + "-- content/posts/aux.md --\n---\ntitle: A\ndate: 2026-01-01\nslug: fine\n---\n",
			`content/posts/aux.md:1: "aux.md" is the name of a device on Windows (AUX): rename it`, nil},
		{"bundle directory a device name", okConfig + "-- content/posts/Nul/index.md --\n---\ntitle: A\ndate: 2026-01-01\n---\n",
			`content/posts/Nul/index.md:1: "Nul" is the name of a device on Windows (NUL): rename it`, nil},
		{"page file with a colon", okConfig + "-- content/a:b.md --\n---\ntitle: A\n---\n",
			`content/a:b.md:1: "a:b.md" holds ':', which Windows refuses in file names: rename it`, nil},
		{"post files differ in case", okConfig + "-- content/posts/Go.md --\n---\ntitle: A\ndate: 2026-01-01\nslug: go-1\n---\n-- content/posts/go.md --\n---\ntitle: B\ndate: 2026-01-01\n---\n",
			`content/posts/go.md:1: this file and content/posts/Go.md differ only in case ("content/posts/go.md" and "content/posts/Go.md"), which macOS and Windows store as one: rename one of them`, nil},
		{"content directories differ in case", okConfig + "-- content/Posts/a.md --\n---\ntitle: A\n---\n-- content/posts/b.md --\n---\ntitle: B\ndate: 2026-01-01\n---\n",
			`content/posts/b.md:1: this file and content/Posts/a.md differ only in case ("content/posts" and "content/Posts"), which macOS and Windows store as one: rename one of them`, nil},
		{"static file a device name", okConfig + post + "-- static/con.html --\n<p>x</p>\n",
			`static/con.html: this static file would be written to "con.html", but "con.html" is the name of a device on Windows (CON): rename the file`, nil},
		{"static file with a question mark", okConfig + post + "-- static/css/what?.css --\nx\n",
			`static/css/what?.css: this static file would be written to "css/what?.css", but "what?.css" holds '?', which Windows refuses in file names: rename the file`, nil},
		{"static files differ in case", okConfig + post + "-- static/Logo.svg --\nx\n-- static/logo.svg --\ny\n",
			`static/logo.svg: this static file and this static file (static/Logo.svg) differ only in case ("logo.svg" and "Logo.svg"), which macOS and Windows store as one file: give one of them another URL`, nil},
		{"static directory differs from a generated one in case", okConfig + post + "-- static/CSS/extra.css --\nx\n",
			`static/CSS/extra.css: this static file and the generated css/syntax.css differ only in case ("CSS" and "css"), which macOS and Windows store as one file: give one of them another URL`, nil},
		{"static file differs from the theme's in case", okConfig + post + "-- static/Favicon.svg --\nx\n",
			`static/Favicon.svg: this static file and the theme's static file favicon.svg differ only in case ("Favicon.svg" and "favicon.svg"), which macOS and Windows store as one file: rename the file`, nil},
		{"bundle file a device name", okConfig + bundle + "-- content/posts/b/lpt1.tar.gz --\nx\n",
			`content/posts/b/lpt1.tar.gz: this bundle file would be written to "posts/b/lpt1.tar.gz", but "lpt1.tar.gz" is the name of a device on Windows (LPT1): rename the file`, nil},
		{"bundle file ending in a dot", okConfig + bundle + "-- content/posts/b/notes. --\nx\n",
			`content/posts/b/notes.: this bundle file would be written to "posts/b/notes.", but "notes." ends in a dot or a space, which Windows drops from file names: rename the file`, nil},
		{"alias name too long", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\naliases:\n  - /ok/\n  - /" + strings.Repeat("x", 256) + "/\n---\n",
			`content/posts/a.md:6: alias /` + strings.Repeat("x", 59) + `… would be written to "` + strings.Repeat("x", 60) + `…", but "` + strings.Repeat("x", 60) + `…" is longer than 255 bytes (256): change the alias`, nil},
		{"permalink and slug too long together", okConfig + "permalinks:\n  posts: /posts/:year-:slug/\n-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\nslug: " + strings.Repeat("a", 255) + "\n---\n",
			"content/posts/a.md:4: this post (URL /posts/2026-" + strings.Repeat("a", 48) + "…) would be written to \"posts/2026-" + strings.Repeat("a", 49) + "…\", but \"2026-" + strings.Repeat("a", 55) + "…\" is longer than 255 bytes (260): set another `slug:`, or change permalinks in config.yaml", nil},
		{"alias with a colon", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\naliases: [\"/old:page/\"]\n---\n",
			`content/posts/a.md:4: alias /old:page/ would be written to "old:page/index.html", but "old:page" holds ':', which Windows refuses in file names: change the alias`, nil},
		{"alias ending in a space", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\naliases: [\"/old /\"]\n---\n",
			`content/posts/a.md:4: alias /old / would be written to "old /index.html", but "old " ends in a dot or a space, which Windows drops from file names: change the alias`, nil},
		{"alias a device name", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\naliases: [/Aux.html]\n---\n",
			`content/posts/a.md:4: alias /Aux.html would be written to "Aux.html", but "Aux.html" is the name of a device on Windows (AUX): change the alias`, nil},
		{"alias differs from a post in case", okConfig + post + "-- content/posts/c.md --\n---\ntitle: C\ndate: 2026-01-03\naliases: [/Posts/a/]\n---\n",
			`content/posts/c.md:4: alias /Posts/a/ and this post (URL /posts/c/) (content/posts/c.md:1) differ only in case ("Posts" and "posts"), which macOS and Windows store as one file: give one of them another URL`, nil},
		{"alias differs from a tag page in case", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\ntags: [go]\naliases: [/tags/GO/]\n---\n",
			`content/posts/a.md:5: alias /tags/GO/ and the page of tag "go" differ only in case ("tags/GO" and "tags/go"), which macOS and Windows store as one file: give one of them another URL`, nil},
		{"permalink with a colon", okConfig + "permalinks:\n  pages: /a:b/:slug/\n-- content/about.md --\n---\ntitle: About\n---\n",
			"content/about.md:1: this page (URL /a:b/about/) would be written to \"a:b/about/index.html\", but \"a:b\" holds ':', which Windows refuses in file names: set another `slug:`, or change permalinks in config.yaml", nil},
		{"tag permalink with a colon", okConfig + "permalinks:\n  tags: /t:x/:slug/\n" + post,
			`config.yaml: the tags index would be written to "t:x/index.html", but "t:x" holds ':', which Windows refuses in file names: change permalinks.tags`, nil},
		{"tag a device name", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\ntags: [go, PRN]\n---\n",
			`content/posts/a.md:4: tag "PRN" would have its page in a directory "prn", the name of a device on Windows (PRN): rename the tag`, nil},
		{"tag slug too long", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\ntags:\n  - " + strings.Repeat("long ", 60) + "\n---\n",
			`content/posts/a.md:5: tag slug is longer than 255 bytes (299), too long for a file name: shorten the tag`, nil},
		{"tags whose slugs differ in case", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\ntags: [s]\n---\n-- content/posts/c.md --\n---\ntitle: C\ndate: 2026-01-03\ntags: [\"ſ\"]\n---\n",
			`content/posts/a.md:4: tag "s" and tag "ſ" (content/posts/c.md:4) would have pages whose URLs differ only in case (/tags/s/ and /tags/ſ/), which macOS and Windows store as one: use one spelling for both`, nil},
		{"slugs that differ only in case", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\nslug: straße-s\n---\n-- content/posts/b.md --\n---\ntitle: B\ndate: 2026-01-02\nslug: straße-ſ\n---\n",
			"content/posts/a.md:4: this post (URL /posts/straße-s/) and this post (URL /posts/straße-ſ/) (content/posts/b.md:4) differ only in case (\"posts/straße-s\" and \"posts/straße-ſ\"), which macOS and Windows store as one file: give one of them another URL", nil},
		{"titles whose slugs collide", okConfig + "-- content/posts/Ünï çødé.md --\n---\ntitle: A\ndate: 2026-01-01\n---\n-- content/posts/ünï-çødé.md --\n---\ntitle: B\ndate: 2026-01-02\n---\n",
			"content/posts/ünï-çødé.md:1: URL /posts/ünï-çødé/ is also produced by content/posts/Ünï çødé.md: give one of them another `slug:`", nil},

		// Limits.
		{"timeout too long", okConfig + "playground:\n  timeout: 999h\n",
			"config.yaml:4: playground.timeout 999h0m0s is longer than the maximum of 1h0m0s: split the work, or measure it outside the site", nil},
		{"negative timeout", okConfig + "playground:\n  timeout: -5s\n",
			"config.yaml:4: playground.timeout -5s must be positive, e.g. 30s", nil},
		{"zero timeout", okConfig + "playground:\n  timeout: 0s\n",
			"config.yaml:4: playground.timeout 0s must be positive, e.g. 30s", nil},
		{"fence timeout too long", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\n---\n\n```go run timeout=999h\nfmt.Println(1)\n```\n",
			"content/posts/a.md:6: go run: timeout=999h: is longer than the maximum of 1h0m0s: split the work, or measure it outside the site", nil},

		// Config.
		{"config without title", "-- config.yaml --\nbaseURL: https://example.org/\n" + post,
			"config.yaml: title is missing or empty: give the site a title, e.g. `title: \"My blog\"`", nil},
		{"results outside the site", okConfig + "playground:\n  results: ../results\n",
			`config.yaml:4: playground.results "../results" must be a directory inside the site, relative to config.yaml`, nil},
		{"results at an absolute path", okConfig + "playground:\n  results: /tmp/results\n",
			`config.yaml:4: playground.results "/tmp/results" must be a directory inside the site, relative to config.yaml`, nil},
		{"modules outside the site", okConfig + "playground:\n  modules: ../../mods\n",
			`config.yaml:4: playground.modules "../../mods" must be a directory inside the site, relative to config.yaml`, nil},
		{"results through a link out", okConfig + "playground:\n  results: store/results\n",
			`config.yaml:4: playground.results "store/results" leads outside the site through a symbolic link: keep it inside the site`,
			map[string]string{"store": "$OUT"}},

		{"modules go.mod links out", okConfig + "playground:\n  modules: mods\n",
			"mods/go.mod: symlink points outside the site: only links that stay inside the site are followed",
			map[string]string{"mods/go.mod": "$OUT/secret"}},
		{"modules replace with a local directory", okConfig + "playground:\n  modules: mods\n-- mods/go.mod --\nmodule m\n\nrequire example.com/a v1.0.0\n\nreplace example.com/a => ../../../home/secret\n",
			"mods/go.mod:5: replace with a local directory (../../../home/secret) is not allowed: snippets may use module versions only", nil},
		{"modules replace with a quoted local directory", okConfig + "playground:\n  modules: mods\n-- mods/go.mod --\nmodule m\n\nrequire example.com/a v1.0.0\n\nreplace example.com/a => \"\\x2e./secret\"\n",
			"mods/go.mod:5: replace with a local directory (../secret) is not allowed: snippets may use module versions only", nil},

		// Text.
		{"invalid UTF-8 in front matter", okConfig + "-- content/posts/a.md --\n---\ntitle: A\xff\ndate: 2026-01-01\n---\n",
			"content/posts/a.md:2: invalid UTF-8 (byte 0xff): save the file as UTF-8", nil},
		{"invalid UTF-8 in the body", okConfig + "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\n---\nfine\nLatin-1: caf\xe9\n",
			"content/posts/a.md:6: invalid UTF-8 (byte 0xe9): save the file as UTF-8", nil},

		// Symbolic links out of the site, for every kind of site file.
		{"bundle file links to /etc/shadow", okConfig + bundle,
			"content/posts/b/shadow.txt: symlink points outside the site: only links that stay inside the site are followed",
			map[string]string{"content/posts/b/shadow.txt": "/etc/shadow"}},
		{"bundle file links to the environment", okConfig + bundle,
			"content/posts/b/env.txt: symlink points outside the site: only links that stay inside the site are followed",
			map[string]string{"content/posts/b/env.txt": "/proc/self/environ"}},
		{"post links out", okConfig,
			"content/posts/a.md: symlink points outside the site: only links that stay inside the site are followed",
			map[string]string{"content/posts/a.md": "$OUT/secret"}},
		{"snippet file= links out", okConfig + "-- content/posts/b/index.md --\n---\ntitle: B\ndate: 2026-01-02\n---\n\n```go run file=x.go\n```\n",
			"content/posts/b/index.md:6: go run: file=x.go: content/posts/b/x.go: symlink points outside the site: only links that stay inside the site are followed",
			map[string]string{"content/posts/b/x.go": "$OUT/secret"}},
		{"snippet stdin= links out", okConfig + "-- content/posts/b/index.md --\n---\ntitle: B\ndate: 2026-01-02\n---\n\n```go run stdin=in.txt\nfmt.Println(1)\n```\n",
			"content/posts/b/index.md:6: go run: stdin=in.txt: content/posts/b/in.txt: symlink points outside the site: only links that stay inside the site are followed",
			map[string]string{"content/posts/b/in.txt": "/etc/passwd"}},
		{"static file links out", okConfig + post,
			"static/passwd: symlink points outside the site: only links that stay inside the site are followed",
			map[string]string{"static/passwd": "/etc/passwd"}},
		{"static directory links out", okConfig + post,
			"static: symlink points outside the site: only links that stay inside the site are followed",
			map[string]string{"static": "$OUT"}},
		{"content directory links out", okConfig,
			"content: symlink points outside the site: only links that stay inside the site are followed",
			map[string]string{"content": "$OUT"}},
		{"directory under content links out", okConfig + post,
			"content/posts/more: symlink points outside the site: only links that stay inside the site are followed",
			map[string]string{"content/posts/more": "$OUT"}},
		{"directory under content links out absolutely", okConfig + post,
			"content/etc: symlink points outside the site: only links that stay inside the site are followed",
			map[string]string{"content/etc": "/etc"}},
		{"layout links out", okConfig + post,
			"layouts/post.html: symlink points outside the site: only links that stay inside the site are followed",
			map[string]string{"layouts/post.html": "$OUT/secret"}},
		{"theme links out", okConfig + "theme: mine\n" + post,
			"themes/mine: symlink points outside the site: only links that stay inside the site are followed",
			map[string]string{"themes/mine": "$OUT"}},
		{"config links out", "",
			"config.yaml: symlink points outside the site: only links that stay inside the site are followed",
			map[string]string{"config.yaml": "$OUT/secret"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			outside := t.TempDir()
			os.WriteFile(filepath.Join(outside, "secret"), []byte("title: host secret\n"), 0o644)
			root := writeArchive(t, txtar.Parse([]byte(tt.site)))
			for name, target := range tt.links {
				p := filepath.Join(root, name)
				os.MkdirAll(filepath.Dir(p), 0o755)
				if err := os.Symlink(strings.ReplaceAll(target, "$OUT", outside), p); err != nil {
					t.Fatal(err)
				}
			}
			out, _, err := buildSite(t, root, &fakeRunner{})
			if err == nil {
				t.Fatal("build succeeded")
			}
			if got := strings.Split(err.Error(), "\n")[0]; got != tt.want {
				t.Errorf("error:\n got: %s\nwant: %s", got, tt.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("a failed build wrote %s", out)
			}
			assertNoStrays(t, filepath.Dir(out), "public", ".public.benchpress.lock")
			assertNoStrays(t, outside, "secret")
		})
	}
}

// TestContentLinkKeepsOutput: content/ turned into a link out of the site
// (a CI checkout gone wrong, or a hostile one) fails the build naming
// content, and the previous output stays as it was: never an empty site
// deployed in its place.
func TestContentLinkKeepsOutput(t *testing.T) {
	root := writeArchive(t, txtar.Parse([]byte(okConfig+"-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\n---\nBody.\n")))
	out := filepath.Join(t.TempDir(), "public")
	opts := Options{Root: root, Out: out, Theme: testTheme, Runner: &fakeRunner{}, Now: testNow}
	if _, err := Build(t.Context(), opts); err != nil {
		t.Fatal(err)
	}
	before := treeArchive(t, out)
	outside := t.TempDir()
	os.Rename(filepath.Join(root, "content"), filepath.Join(outside, "content"))
	if err := os.Symlink(filepath.Join(outside, "content"), filepath.Join(root, "content")); err != nil {
		t.Fatal(err)
	}
	_, err := Build(t.Context(), opts)
	if want := "content: symlink points outside the site: only links that stay inside the site are followed"; fmt.Sprint(err) != want {
		t.Errorf("build with content/ linked out: %v\nwant: %s", err, want)
	}
	if after := treeArchive(t, out); string(after) != string(before) {
		t.Error("the failed build changed the output")
	}
	assertNoStrays(t, filepath.Dir(out), "public", ".public.benchpress.lock")
}

// assertNoStrays fails if dir holds anything but the names given.
func assertNoStrays(t *testing.T, dir string, allowed ...string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		ok := false
		for _, a := range allowed {
			ok = ok || e.Name() == a
		}
		if !ok {
			t.Errorf("the build left %s in %s", e.Name(), dir)
		}
	}
}

// TestLinksInsideTheSite: a link that stays inside the site is followed,
// wherever it points from and however it is written.
func TestLinksInsideTheSite(t *testing.T) {
	root := writeArchive(t, txtar.Parse([]byte(okConfig+`-- shared/diagram.svg --
<svg xmlns="http://www.w3.org/2000/svg"/>
-- shared/input.txt --
from a shared file
-- content/posts/b/index.md --
---
title: B
date: 2026-01-02
---

`+"```go run stdin=in.txt\nfmt.Println(1)\n```"+`
`)))
	for name, target := range map[string]string{
		"content/posts/b/diagram.svg": "../../../shared/diagram.svg",
		"content/posts/b/in.txt":      filepath.Join(root, "shared/input.txt"), // absolute, but inside
		"static/logo.svg":             "../shared/diagram.svg",
	} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(root, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	r := &fakeRunner{}
	out, _, err := buildSite(t, root, r)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"posts/b/diagram.svg", "logo.svg"} {
		if b, err := os.ReadFile(filepath.Join(out, f)); err != nil || !strings.Contains(string(b), "<svg") {
			t.Errorf("%s: %q, %v", f, b, err)
		}
	}
}

// TestRerunTarget: --rerun that names nothing is an error, not a build that
// silently reruns nothing.
func TestRerunTarget(t *testing.T) {
	root := writeArchive(t, txtar.Parse([]byte(okConfig+"-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-01\n---\n\n```go run name=one\nfmt.Println(1)\n```\n\n```go run\nfmt.Println(2)\n```\n-- content/posts/plain.md --\n---\ntitle: P\ndate: 2026-01-01\n---\nNo code.\n-- content/posts/draft.md --\n---\ntitle: D\ndate: 2026-01-01\ndraft: true\n---\n\n```go run\nfmt.Println(3)\n```\n")))
	for _, tt := range []struct{ target, want string }{
		{"all", ""},
		{"content/posts/a.md", ""},
		{"./content/posts/a.md", ""},
		{"content/posts/a.md#one", ""},
		{"content/posts/a.md#1", ""}, // an unnamed block by its ID (0-based, as the results store keys it)
		{"content/posts/nosuch.md", "--rerun=content/posts/nosuch.md: no such post in this build (name it from the site root, e.g. content/posts/x.md)"},
		{"content/posts/draft.md", "--rerun=content/posts/draft.md: content/posts/draft.md is not in this build: a draft or a future-dated post is built with --drafts or --future"},
		{"config.yaml", "--rerun=config.yaml: no such post in this build (name it from the site root, e.g. content/posts/x.md)"},
		{"content/posts/plain.md", "--rerun=content/posts/plain.md: content/posts/plain.md has no live code blocks"},
		{"content/posts/a.md#nosuchblock", `--rerun=content/posts/a.md#nosuchblock: content/posts/a.md has no block named "nosuchblock" (its named blocks: one)`},
	} {
		out := filepath.Join(t.TempDir(), "public")
		_, err := Build(t.Context(), Options{Root: root, Out: out, Theme: testTheme, Runner: &fakeRunner{}, Now: testNow, Rerun: tt.target})
		if got := fmt.Sprint(err); tt.want == "" && err != nil || tt.want != "" && got != tt.want {
			t.Errorf("--rerun=%s: %v, want %q", tt.target, err, tt.want)
		}
	}
}
