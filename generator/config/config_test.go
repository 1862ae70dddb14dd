package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/benchpress/benchpress/generator/diag"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name, yaml, want string // want: the error, or "" for none
	}{
		{"minimal", "title: T\n", ""},
		{"no title", "baseURL: https://x.org/\n", "config.yaml: title is missing or empty"},
		{"unknown key", "title: T\ntilte: U\n", `config.yaml:2: unknown key "tilte": did you mean "title"? (keys: title, baseURL, description, author, language, paginate, permalinks, theme, highlight, feed, markup, menu, search, playground, bench; keys are case-sensitive)`},
		{"unknown nested key", "title: T\nplayground:\n  timout: 5s\n", `config.yaml:3: unknown key "timout" in playground: did you mean "timeout"? (keys in playground: sandbox, runner, timeout, memory, output, parallelism, results, modules, frozenInCI, url, maxCombinations; keys are case-sensitive)`},
		{"key in another case", "title: T\nplayground:\n  MaxCombinations: 5\n", `config.yaml:3: unknown key "MaxCombinations" in playground: did you mean "maxCombinations"? (keys in playground: sandbox, runner, timeout, memory, output, parallelism, results, modules, frozenInCI, url, maxCombinations; keys are case-sensitive)`},
		{"unknown key in a list item", "title: T\nmenu:\n  - name: a\n    url: /\n    weight: 3\n", `config.yaml:5: unknown key "weight" in menu (keys in menu: name, url; keys are case-sensitive)`},
		{"duration without unit", "title: T\nplayground:\n  timeout: 10\n", "config.yaml:3: cannot use number `10` as a duration: write a number with a unit, e.g. 10s, 500ms or 2m"},
		{"not a boolean", "title: T\nsearch: maybe\n", "config.yaml:2: cannot use string `maybe` as true or false"},
		{"wrong type", "title: T\npermalinks: [a]\n", "config.yaml:2: cannot use a list"},
		{"bad baseURL", "title: T\nbaseURL: example.org\n", `config.yaml:2: baseURL "example.org" is not an absolute http(s) URL`},
		{"timeout zero", "title: T\nplayground:\n  timeout: 0s\n", "config.yaml:3: playground.timeout 0s must be positive"},
		{"timeout huge", "title: T\nplayground:\n  timeout: 999h\n", "config.yaml:3: playground.timeout 999h0m0s is longer than the maximum of 1h0m0s"},
		{"results outside", "title: T\nplayground:\n  results: ../r\n", `config.yaml:3: playground.results "../r" must be a directory inside the site`},
		{"size", "title: T\nplayground:\n  memory: lots\n", `config.yaml:3: cannot use "lots" as a size`},
		{"noise", "title: T\nbench:\n  noise: 0%\n", "config.yaml:3: bench.noise 0%: use a percentage above 0% and at most 100%"},
		{"inconclusive", "title: T\nbench:\n  noise: 5%\n  inconclusive: ignore\n", `config.yaml:4: bench.inconclusive "ignore": use warn (the default: warn and say so on the page) or fail`},
		{"inconclusive fail", "title: T\nbench:\n  inconclusive: fail\n", ""},
		{"permalink escape", "title: T\npermalinks:\n  posts: /../:slug/\n", `config.yaml:3: permalinks.posts "/../:slug/" must not contain . or .. segments`},
		{"sandbox", "title: T\nplayground:\n  sandbox: docker\n", `config.yaml:3: playground.sandbox "docker": use linux (the default), none or remote`},
		{"remote", "title: T\nplayground:\n  sandbox: remote\n  runner: https://runner.example:8091/\n", ""},
		{"remote without runner", "title: T\nplayground:\n  sandbox: remote\n", "config.yaml:3: playground.sandbox is remote, but playground.runner is not set: give the runner's URL, e.g. runner: http://127.0.0.1:8091/"},
		{"runner without remote", "title: T\nplayground:\n  runner: http://127.0.0.1:8091/\n", "config.yaml:3: playground.runner is set, but playground.sandbox is linux: set sandbox: remote to run snippets on the runner, or remove runner"},
		{"runner not a URL", "title: T\nplayground:\n  sandbox: remote\n  runner: 127.0.0.1:8091\n", `config.yaml:4: playground.runner "127.0.0.1:8091" is not an http(s) URL: write e.g. http://127.0.0.1:8091/`},
		{"runner ftp", "title: T\nplayground:\n  sandbox: remote\n  runner: ftp://r.example/\n", `config.yaml:4: playground.runner "ftp://r.example/" is not an http(s) URL`},
		{"runner with password", "title: T\nplayground:\n  sandbox: remote\n  runner: https://u:secret@r.example/\n", "config.yaml:4: playground.runner must not hold a user or password: config.yaml is committed; the token comes from BENCHPRESS_RUNNER_TOKEN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml))
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("error %v", err)
			case tc.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.want)):
				t.Fatalf("error %v, want one starting %q", err, tc.want)
			}
			var list diag.List
			if err != nil && !errors.As(err, &list) {
				t.Errorf("error %T is not a diag.List", err)
			}
		})
	}
}

func TestDefaultsAndRunner(t *testing.T) {
	cfg, err := Parse([]byte("title: T\nbaseURL: https://example.org/blog\nplayground:\n  memory: 64MiB\n  modules: mods\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.BaseURL != "https://example.org/blog/" || cfg.RelURL("/x/") != "/blog/x/" || cfg.AbsURL("/x/") != "https://example.org/blog/x/" {
		t.Errorf("baseURL %q: RelURL %q, AbsURL %q", cfg.BaseURL, cfg.RelURL("/x/"), cfg.AbsURL("/x/"))
	}
	rc := cfg.Playground.Runner("/site")
	if rc.Limits.Timeout != 10*time.Second || rc.Limits.Memory != 64<<20 || rc.Limits.Output != 1<<20 {
		t.Errorf("limits %+v", rc.Limits)
	}
	if rc.Results != filepath.Join("/site", ".benchpress/results") || rc.Modules != filepath.Join("/site", "mods") || rc.Sandbox != "linux" {
		t.Errorf("runner config %+v", rc)
	}
	if !cfg.ReadFrom([]byte("title: T\nbaseURL: https://example.org/blog\nplayground:\n  memory: 64MiB\n  modules: mods\n")) || cfg.ReadFrom([]byte("title: U\n")) || Default().ReadFrom(nil) {
		t.Error("ReadFrom does not tell the parsed bytes from others")
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(dir); err == nil || !strings.HasPrefix(err.Error(), "config.yaml: not found in ") {
		t.Errorf("no config.yaml: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, File), []byte("title: T\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(dir)
	if err != nil || cfg.Title != "T" {
		t.Fatalf("Load: %v, %+v", err, cfg)
	}
}

// FuzzParse checks that no config.yaml crashes the parser and that every
// refusal is positioned in config.yaml.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"title: T\n", "title: T\nplayground:\n  timeout: 5s\n  memory: 1GiB\n", "title: [\n", "bench:\n  noise: 5%\n", "menu:\n- name: a\n", "permalinks:\n  tags: /t/:slug/\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, err := Parse([]byte(s))
		var list diag.List
		if err != nil && !errors.As(err, &list) {
			t.Fatalf("error %T %v is not a diag.List", err, err)
		}
		for _, e := range list {
			if e.File != File {
				t.Fatalf("error not in %s: %v", File, e)
			}
		}
	})
}
