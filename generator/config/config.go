// Package config reads a site's config.yaml: strictly (an unknown key, a
// wrong type, a bad URL or an unsafe path is an error naming
// config.yaml:LINE), over the defaults, once per build. It is also the one
// place that maps the playground section to the playground's settings
// (Playground.Runner), for the build and for `benchpress playground serve`.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
	"gopkg.in/yaml.v3"

	"github.com/benchpress/benchpress/generator/content"
	"github.com/benchpress/benchpress/generator/diag"
	"github.com/benchpress/benchpress/internal/benchstats"
	"github.com/benchpress/benchpress/internal/sysfile"
	"github.com/benchpress/benchpress/playground"
)

// File is the site configuration's file name, relative to the site root.
const File = "config.yaml"

// Config is config.yaml. Decoding is strict: an unknown key, a wrong type or
// a bad URL is an error naming config.yaml:LINE.
type Config struct {
	Title       string     `yaml:"title"`
	BaseURL     string     `yaml:"baseURL"`
	Description string     `yaml:"description"`
	Author      string     `yaml:"author"`
	Language    string     `yaml:"language"`
	Paginate    int        `yaml:"paginate"`
	Permalinks  Permalinks `yaml:"permalinks"`
	Theme       string     `yaml:"theme"`
	Highlight   Highlight  `yaml:"highlight"`
	Feed        Feed       `yaml:"feed"`
	Markup      Markup     `yaml:"markup"`
	Menu        []MenuItem `yaml:"menu"`
	Search      *bool      `yaml:"search"`
	Playground  Playground `yaml:"playground"`
	Bench       Bench      `yaml:"bench"`

	baseURL *url.URL
	doc     *yaml.Node // the parsed file, for the lines of later checks
	data    []byte     // the file's bytes
}

// ReadFrom reports whether c was parsed from data: serve's builder rereads
// the file on every rebuild and needs a Config it holds only while the
// file is unchanged.
func (c *Config) ReadFrom(data []byte) bool {
	return c.data != nil && bytes.Equal(c.data, data)
}

// Permalinks are URL patterns; :slug, :year, :month and :day are replaced.
type Permalinks struct {
	Posts string `yaml:"posts"`
	Pages string `yaml:"pages"`
	Tags  string `yaml:"tags"`
}

// Highlight picks chroma styles for the light and dark colour schemes.
type Highlight struct {
	Light       string `yaml:"light"`
	Dark        string `yaml:"dark"`
	LineNumbers bool   `yaml:"lineNumbers"`
}

// Feed shapes the RSS and Atom feeds.
type Feed struct {
	Full  bool `yaml:"full"`  // whole post in the feed, else the summary
	Limit int  `yaml:"limit"` // newest N posts; 0 means DefaultFeedLimit
}

// Markup switches markdown features.
type Markup struct {
	// UnsafeHTML keeps raw HTML in markdown (authors embed SVG diagrams).
	// Set it to false to replace raw HTML with a comment.
	UnsafeHTML *bool `yaml:"unsafeHTML"`
}

// MenuItem is one link of the site's navigation.
type MenuItem struct {
	Name string `yaml:"name"`
	URL  string `yaml:"url"`
}

// Playground configures how live code blocks run. See playground/doc.go.
type Playground struct {
	// Sandbox is "linux" (default: namespaces, Landlock, seccomp, rlimits),
	// "none" (run snippets unsandboxed; loudly warned) or "remote" (send
	// them to the runner at Runner).
	Sandbox string `yaml:"sandbox"`
	// RunnerURL is the URL of a `benchpress playground serve` on Linux that
	// runs snippets for sandbox: remote. Its token comes from the
	// environment (playground.TokenEnv), never from this file.
	RunnerURL string `yaml:"runner"`
	// Timeout is the default wall-clock limit per snippet (default 10s).
	Timeout time.Duration `yaml:"timeout"`
	// Memory is the address-space limit per snippet, e.g. 512MiB.
	Memory ByteSize `yaml:"memory"`
	// Output caps stdout+stderr per snippet, e.g. 1MiB.
	Output ByteSize `yaml:"output"`
	// Parallelism is the number of snippets run at once (default: cores).
	Parallelism int `yaml:"parallelism"`
	// Results is the results store, relative to the site root; commit it
	// to let CI reuse an author's results (default .benchpress/results).
	Results string `yaml:"results"`
	// Modules is a directory holding a go.mod (and go.sum) that declares the
	// third-party modules snippets may import; empty means stdlib only.
	Modules string `yaml:"modules"`
	// FrozenInCI makes `build` behave as `build --frozen` when CI=true.
	FrozenInCI bool `yaml:"frozenInCI"`
	// URL is a `benchpress playground` server; when set, go run blocks get
	// Edit and Run buttons.
	URL string `yaml:"url"`
	// MaxCombinations caps the runs of one explorable block (params=):
	// DefaultMaxCombinations unless set, at most MaxCombinationsLimit.
	MaxCombinations int `yaml:"maxCombinations"`
}

// The cap on an explorable block's combinations: the default, and the
// most config.yaml may raise it to (each is a run of the program, and
// the page or its data file carries every one).
const (
	DefaultMaxCombinations = 64
	MaxCombinationsLimit   = 1024
)

// Bench shapes benchmark reports.
type Bench struct {
	// Noise is the widest 95% interval, as a fraction of the median, a
	// benchmark's time may have before the build warns that it is noisy
	// and the report marks it (default 10%).
	Noise Percent `yaml:"noise"`
	// Inconclusive is what a claim the runs cannot decide, even after its
	// extra runs, does to the build: "warn" (the default: a warning, and
	// the page says the claim was not confirmed) or "fail" (an error, as
	// for a refuted claim).
	Inconclusive string `yaml:"inconclusive"`
}

// Percent is a fraction written as a percentage: 10% is 0.1.
type Percent float64

func (p *Percent) UnmarshalYAML(n *yaml.Node) error {
	v, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(n.Value), "%")), 64)
	if n.Kind != yaml.ScalarNode || !strings.HasSuffix(strings.TrimSpace(n.Value), "%") || err != nil {
		return fmt.Errorf("line %d: cannot use %q as a percentage: write e.g. 10%%", n.Line, n.Value)
	}
	*p = Percent(v / 100)
	return nil
}

// ByteSize is a size in bytes written as 512MiB, 1MiB, 64KiB or a number.
type ByteSize int64

var sizeRE = regexp.MustCompile(`^\s*(\d+)\s*(B|KiB|MiB|GiB|KB|MB|GB)?\s*$`)

func (s *ByteSize) UnmarshalYAML(n *yaml.Node) error {
	m := sizeRE.FindStringSubmatch(n.Value)
	if n.Kind != yaml.ScalarNode || m == nil {
		return fmt.Errorf("line %d: cannot use %q as a size: write a number of bytes or e.g. 512MiB", n.Line, n.Value)
	}
	v, _ := strconv.ParseInt(m[1], 10, 64)
	mult := map[string]int64{"": 1, "B": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "KB": 1e3, "MB": 1e6, "GB": 1e9}[m[2]]
	*s = ByteSize(v * mult)
	return nil
}

// DefaultFeedLimit is how many of the newest posts the feeds carry when
// feed.limit is 0 or unset.
const DefaultFeedLimit = 20

// Default returns the configuration used for keys config.yaml omits.
func Default() *Config {
	return &Config{
		Title:      "A benchpress site",
		BaseURL:    "http://localhost:1313/",
		Language:   "en",
		Paginate:   10,
		Permalinks: Permalinks{Posts: "/posts/:slug/", Pages: "/:slug/", Tags: "/tags/:slug/"},
		Theme:      "default",
		Highlight:  Highlight{Light: "github", Dark: "github-dark"},
		Feed:       Feed{Full: true, Limit: DefaultFeedLimit},
		Playground: Playground{Sandbox: "linux", Timeout: playground.DefaultLimits.Timeout, Memory: ByteSize(playground.DefaultLimits.Memory),
			Output: ByteSize(playground.DefaultLimits.Output), Results: ".benchpress/results", MaxCombinations: DefaultMaxCombinations},
		Bench: Bench{Noise: benchstats.DefaultNoise, Inconclusive: "warn"},
	}
}

// Load reads root/config.yaml strictly. A missing file is an error:
// every site has one.
func Load(root string) (*Config, error) {
	data, err := fs.ReadFile(sysfile.DirFS(root), File)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, diag.Errorf(File, 0, "not found in %s: is this a benchpress site? Create one with `benchpress new site DIR` (a config.yaml with a title is enough)", root)
		}
		return nil, diag.ReadError(File, err)
	}
	cfg, err := Parse(data)
	if err != nil {
		return nil, err
	}
	// The results store is written and the modules directory read outside
	// the site's file system: a link must not lead either out of the site.
	var list diag.List
	for _, p := range []struct{ key, val string }{{"results", cfg.Playground.Results}, {"modules", cfg.Playground.Modules}} {
		if p.val == "" {
			continue
		}
		if in, err := sysfile.Within(root, filepath.Join(root, p.val)); err != nil || !in {
			list.Add(diag.Errorf(File, keyLine(cfg.doc, "playground", p.key), "playground.%s %q leads outside the site through a symbolic link: keep it inside the site", p.key, p.val))
		}
	}
	if cfg.Playground.Modules != "" && len(list) == 0 {
		list.Add(checkModules(root, cfg.Playground.Modules))
	}
	if err := list.Err(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// checkModules reads the modules directory's go.mod and go.sum as site
// files (no link out of the site) and refuses a replace directive with a
// local directory: the go command would compile, into a snippet, source
// from anywhere on the machine that builds the site.
func checkModules(root, dir string) error {
	fsys := sysfile.DirFS(root)
	modPath := path.Join(filepath.ToSlash(filepath.Clean(dir)), "go.mod")
	mod, err := fs.ReadFile(fsys, modPath)
	if err != nil {
		return diag.ReadError(modPath, err)
	}
	if _, err := fs.ReadFile(fsys, path.Join(path.Dir(modPath), "go.sum")); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return diag.ReadError(path.Join(path.Dir(modPath), "go.sum"), err)
	}
	line, dir, err := playground.LocalReplace(mod)
	if err != nil {
		return diag.Errorf(modPath, 0, "%v", err)
	}
	if line > 0 {
		return diag.Errorf(modPath, line, "replace with a local directory (%s) is not allowed: snippets may use module versions only", dir)
	}
	return nil
}

// Parse decodes config.yaml's bytes over the defaults and validates them.
func Parse(data []byte) (*Config, error) {
	cfg := Default()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && err != io.EOF {
		var doc yaml.Node
		_ = yaml.Unmarshal(data, &doc)
		var list diag.List
		for _, e := range diag.YAMLSourceErrors(File, 0, data, err) {
			if key, ok := strings.CutPrefix(e.Msg, "unknown key "); ok {
				if k, err := strconv.Unquote(key); err == nil {
					e.Msg += unknownKeyHelp(&doc, k, e.Line)
				}
			}
			list = append(list, e)
		}
		return nil, list.Err()
	}
	var doc yaml.Node
	_ = yaml.Unmarshal(data, &doc)
	cfg.doc = &doc
	cfg.data = bytes.Clone(data)
	line := func(path ...string) int { return keyLine(&doc, path...) }

	var list diag.List
	cfg.checkSite(line, &list)
	cfg.checkPlaygroundPaths(line, &list)
	cfg.checkLayout(line, &list)
	cfg.checkRunner(line, &list)
	cfg.checkBench(line, &list)
	for i, m := range cfg.Menu {
		if m.Name == "" || m.URL == "" {
			list.Add(diag.Errorf(File, line("menu"), "menu item %d needs both name and url", i+1))
		}
	}
	if err := list.Err(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// Line is the line of a key path in config.yaml (Line("highlight",
// "light")), for errors found after parsing; 0 if absent.
func (cfg *Config) Line(path ...string) int {
	if cfg.doc == nil {
		return 0
	}
	return keyLine(cfg.doc, path...)
}

// lineOf finds the line of a key path in config.yaml, 0 if absent.
type lineOf func(path ...string) int

// checkSite checks baseURL (and makes it end in /) and title.
func (cfg *Config) checkSite(line lineOf, list *diag.List) {
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		list.Add(diag.Errorf(File, line("baseURL"), "baseURL %q is not an absolute http(s) URL: write e.g. https://example.org/", cfg.BaseURL))
	} else {
		if !strings.HasSuffix(u.Path, "/") {
			u.Path += "/"
		}
		cfg.BaseURL = u.String()
		cfg.baseURL = u
	}
	if strings.TrimSpace(cfg.Title) == "" || line("title") == 0 {
		list.Add(diag.Errorf(File, line("title"), "title is missing or empty: give the site a title, e.g. `title: \"My blog\"`"))
	}
	// The pages' lang attribute: screen readers pick their voice by it.
	if _, err := language.Parse(cfg.Language); err != nil || strings.ContainsAny(cfg.Language, " _") {
		list.Add(diag.Errorf(File, line("language"), "language %q is not a language tag: write e.g. en, en-GB or pt-BR", cfg.Language))
	}
}

// checkPlaygroundPaths checks playground.timeout and that the results
// and modules directories are inside the site.
func (cfg *Config) checkPlaygroundPaths(line lineOf, list *diag.List) {
	if l := line("playground", "timeout"); l > 0 {
		if err := playground.CheckTimeout(cfg.Playground.Timeout); err != nil {
			list.Add(diag.Errorf(File, l, "playground.timeout %v %v", cfg.Playground.Timeout, err))
		}
	}
	for _, p := range []struct{ key, val string }{{"results", cfg.Playground.Results}, {"modules", cfg.Playground.Modules}} {
		if p.val == "" {
			continue
		}
		if c := filepath.Clean(p.val); filepath.IsAbs(c) || c == ".." || strings.HasPrefix(c, ".."+string(filepath.Separator)) || c == "." {
			list.Add(diag.Errorf(File, line("playground", p.key), "playground.%s %q must be a directory inside the site, relative to config.yaml", p.key, p.val))
		}
	}
	if n := cfg.Playground.MaxCombinations; n < 1 || n > MaxCombinationsLimit {
		list.Add(diag.Errorf(File, line("playground", "maxCombinations"), "playground.maxCombinations must be between 1 and %d, got %d", MaxCombinationsLimit, n))
	}
}

// checkLayout checks paginate, the permalink patterns and feed.limit.
func (cfg *Config) checkLayout(line lineOf, list *diag.List) {
	if cfg.Paginate < 1 {
		list.Add(diag.Errorf(File, line("paginate"), "paginate must be at least 1, got %d", cfg.Paginate))
	}
	for _, p := range []struct{ key, val string }{{"posts", cfg.Permalinks.Posts}, {"pages", cfg.Permalinks.Pages}, {"tags", cfg.Permalinks.Tags}} {
		if !strings.HasPrefix(p.val, "/") || !strings.HasSuffix(p.val, "/") || !strings.Contains(p.val, ":slug") {
			list.Add(diag.Errorf(File, line("permalinks", p.key), "permalinks.%s %q must start and end with / and contain :slug, e.g. /posts/:slug/", p.key, p.val))
		} else if err := content.CheckSitePath(p.val); err != nil {
			list.Add(diag.Errorf(File, line("permalinks", p.key), "permalinks.%s %q %v", p.key, p.val, err))
		}
	}
	if cfg.Feed.Limit < 0 {
		list.Add(diag.Errorf(File, line("feed", "limit"), "feed.limit must not be negative"))
	}
}

// checkRunner checks the sandbox, the runner's URL and the playground's.
func (cfg *Config) checkRunner(line lineOf, list *diag.List) {
	switch cfg.Playground.Sandbox {
	case "linux", "none":
		if cfg.Playground.RunnerURL != "" {
			list.Add(diag.Errorf(File, line("playground", "runner"), "playground.runner is set, but playground.sandbox is %s: set sandbox: remote to run snippets on the runner, or remove runner", cfg.Playground.Sandbox))
		}
	case "remote":
		if cfg.Playground.RunnerURL == "" {
			list.Add(diag.Errorf(File, line("playground", "sandbox"), "playground.sandbox is remote, but playground.runner is not set: give the runner's URL, e.g. runner: http://127.0.0.1:8091/"))
		}
	default:
		list.Add(diag.Errorf(File, line("playground", "sandbox"), "playground.sandbox %q: use linux (the default), none or remote", cfg.Playground.Sandbox))
	}
	if r := cfg.Playground.RunnerURL; r != "" {
		if ru, err := url.Parse(r); err != nil || (ru.Scheme != "http" && ru.Scheme != "https") || ru.Host == "" || ru.RawQuery != "" || ru.Fragment != "" {
			list.Add(diag.Errorf(File, line("playground", "runner"), "playground.runner %q is not an http(s) URL: write e.g. http://127.0.0.1:8091/", r))
		} else if ru.User != nil {
			list.Add(diag.Errorf(File, line("playground", "runner"), "playground.runner must not hold a user or password: config.yaml is committed; the token comes from %s", playground.TokenEnv))
		}
	}
	if m := cfg.Playground.Memory; m > 0 && m < 16<<20 {
		// A number alone is bytes: memory: 512 meant 512MiB.
		list.Add(diag.Errorf(File, line("playground", "memory"), "playground.memory %d bytes is too little for any Go program: write a size with its unit, at least 16MiB, e.g. 512MiB", int64(m)))
	}
	if cfg.Playground.URL != "" {
		if pu, err := url.Parse(cfg.Playground.URL); err != nil || (pu.Scheme != "http" && pu.Scheme != "https") {
			list.Add(diag.Errorf(File, line("playground", "url"), "playground.url %q is not an http(s) URL", cfg.Playground.URL))
		}
	}
}

// checkBench checks bench.noise and bench.inconclusive.
func (cfg *Config) checkBench(line lineOf, list *diag.List) {
	if n := cfg.Bench.Noise; !(n > 0 && n <= 1) {
		// Above 100% a ± interval would read as if the time could be
		// negative: such an interval is always shown as its range.
		list.Add(diag.Errorf(File, line("bench", "noise"), "bench.noise %s%%: use a percentage above 0%% and at most 100%%, e.g. 10%%", strconv.FormatFloat(float64(n)*100, 'f', -1, 64)))
	}
	switch cfg.Bench.Inconclusive {
	case "warn", "fail":
	default:
		list.Add(diag.Errorf(File, line("bench", "inconclusive"), "bench.inconclusive %q: use warn (the default: warn and say so on the page) or fail", cfg.Bench.Inconclusive))
	}
}

// keyLine finds the line of a key path in a YAML document, 0 if absent.
func keyLine(doc *yaml.Node, path ...string) int {
	n := doc
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := 0
	for _, key := range path {
		if n.Kind != yaml.MappingNode {
			return line
		}
		found := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				line = n.Content[i].Line
				n = n.Content[i+1]
				found = true
				break
			}
		}
		if !found {
			return line
		}
	}
	return line
}

// AbsURL makes a site-relative path ("/posts/x/") absolute with baseURL.
func (c *Config) AbsURL(p string) string {
	if c.baseURL == nil {
		return p
	}
	if strings.Contains(p, "://") {
		return p
	}
	// RelURL adds baseURL's path: only the scheme and host come from here.
	return c.baseURL.Scheme + "://" + c.baseURL.Host + c.RelURL(p)
}

// RelURL prefixes a site path with baseURL's path, for sites served below
// the host's root (https://example.org/blog/).
func (c *Config) RelURL(p string) string {
	base := "/"
	if c.baseURL != nil {
		base = c.baseURL.Path
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return strings.TrimSuffix(base, "/") + p
}

// LocalBaseURL reports whether baseURL names this machine (localhost, a
// loopback address): right for serve, wrong for a site being published.
func (c *Config) LocalBaseURL() bool {
	if c.baseURL == nil {
		return false
	}
	host := c.baseURL.Hostname()
	ip := net.ParseIP(host)
	return host == "localhost" || strings.HasSuffix(host, ".localhost") || ip != nil && ip.IsLoopback()
}

// SearchEnabled reports whether the build writes the offline search index.
func (c *Config) SearchEnabled() bool { return c.Search == nil || *c.Search }

// RawHTML reports whether raw HTML in markdown is kept.
func (c *Config) RawHTML() bool { return c.Markup.UnsafeHTML == nil || *c.Markup.UnsafeHTML }

// Limits are the playground limits config.yaml sets for every snippet.
func (p *Playground) Limits() playground.Limits {
	return playground.Limits{Timeout: p.Timeout, Memory: int64(p.Memory), Output: int64(p.Output)}
}

// Runner is the playground configuration of the site at root: its
// sandbox, limits and parallelism, with the results store and the modules
// directory as paths under root. What a command's flags decide (frozen,
// shard, rerun, log) is left for the caller to set.
func (p *Playground) Runner(root string) playground.Config {
	c := playground.Config{
		Sandbox:     p.Sandbox,
		Limits:      p.Limits(),
		Parallelism: p.Parallelism,
		Results:     filepath.Join(root, p.Results),
		Remote:      playground.Remote{URL: p.RunnerURL},
	}
	if p.Modules != "" {
		c.Modules = filepath.Join(root, p.Modules)
	}
	return c
}
