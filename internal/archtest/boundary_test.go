package archtest

import (
	"os/exec"
	"sort"
	"strings"
	"testing"
)

const module = "github.com/benchpress/benchpress"

var (
	goldmark   = "github.com/yuin/goldmark"
	chroma     = "github.com/alecthomas/chroma"
	playground = module + "/playground"
	generator  = module + "/generator"
)

// rules: each package pattern (a path, or a path/... for the tree under
// it) must not depend, directly or not, on anything matching forbidden.
// allowed lists exceptions inside the forbidden trees.
var rules = []rule{
	{"generator/...", []string{generator}, nil,
		"the stage packages under generator/ are used by the pipeline, never the other way round"},
	{"playground/...", []string{generator + "/...", goldmark + "/...", chroma + "/..."}, nil,
		"the playground knows nothing of markdown, HTML or the site"},
	{"generator/diag", []string{module + "/...", goldmark + "/...", chroma + "/..."}, []string{module + "/internal/sysfile"},
		"diagnostics are a leaf that the CLI and devserver import alone"},
	{"devserver", []string{generator + "/...", playground + "/...", goldmark + "/...", chroma + "/..."}, []string{generator + "/diag"},
		"serve's HTTP handler shows errors; it needs diag, nothing of the build"},
	{"generator/markdown", []string{playground + "/...", generator + "/...", module + "/internal/benchstats"}, []string{generator + "/diag", generator + "/mathml"},
		"markdown renders documents; live blocks are rendered by the caller's Blocks"},
	{"generator/snippet", []string{goldmark + "/...", chroma + "/...", generator + "/..."}, []string{generator + "/diag", generator + "/snippet/..."},
		"snippets are source and results; highlighting is injected"},
	{"generator/content", []string{playground + "/...", goldmark + "/...", chroma + "/...", generator + "/..."}, []string{generator + "/diag", generator + "/content"},
		"loading reads files into plain data: it neither renders nor runs anything"},
	{"generator/config", []string{goldmark + "/...", chroma + "/...", generator + "/..."}, []string{generator + "/diag", generator + "/config", generator + "/content"},
		"config reads config.yaml and maps it to the playground's settings (site paths checked by content's rule)"},
	{"internal/benchreport", []string{playground + "/...", generator + "/...", goldmark + "/...", chroma + "/..."}, nil,
		"a benchmark report is drawn from statistics alone, by the build and by the playground server alike"},
	{"generator/output", []string{playground + "/...", generator + "/...", goldmark + "/...", chroma + "/..."}, []string{generator + "/output"},
		"the output directory's lock, staging and swap know nothing of pages"},
	{"generator/feeds", []string{generator + "/...", goldmark + "/...", chroma + "/..."}, []string{generator + "/feeds", generator + "/diag", generator + "/config", generator + "/content"},
		"feeds and sitemaps are written from plain data: the config and the posts (config reaches the playground only for its defaults)"},
	{"generator/inputkey", []string{generator + "/...", goldmark + "/...", chroma + "/..."}, []string{generator + "/diag", generator + "/config", generator + "/content", generator + "/theme"},
		"a page's input key is hashed from the posts' plain data"},
	{"generator/search", []string{playground + "/...", generator + "/...", goldmark + "/...", chroma + "/..."}, []string{generator + "/search"},
		"the search index is written from plain data"},
	{"generator/mathml", []string{module + "/...", goldmark + "/...", chroma + "/..."}, []string{generator + "/mathml"},
		"math is converted from its text alone"},
	{"generator/diagram", []string{module + "/..."}, []string{generator + "/diagram"},
		"a diagram is drawn from its source alone (d2 itself renders markdown labels with goldmark and chroma)"},
	{"generator/socialcard", []string{module + "/...", goldmark + "/...", chroma + "/..."}, []string{generator + "/socialcard"},
		"a social card is drawn from its texts alone"},
	{"generator/theme", []string{generator + "/...", goldmark + "/...", chroma + "/..."}, []string{generator + "/diag", generator + "/config", generator + "/content"},
		"a theme's templates and static files are loaded and executed on whatever data they are handed: no markdown, no build"},
	{"generator/liverun", []string{generator + "/...", goldmark + "/...", chroma + "/..."}, []string{generator + "/diag", generator + "/config", generator + "/content", generator + "/snippet/..."},
		"the run stage runs and checks live blocks: it knows snippets and programs, not markdown or pages"},
	{"generator/outpath", []string{generator + "/...", goldmark + "/...", chroma + "/..."}, []string{generator + "/diag", generator + "/config", generator + "/content", generator + "/output", generator + "/theme"},
		"output paths and their collisions are found from the site's plain data, before anything renders"},
	{"generator/postdoc", []string{generator + "/..."}, []string{generator + "/diag", generator + "/config", generator + "/content", generator + "/feeds", generator + "/markdown", generator + "/mathml", generator + "/snippet/..."},
		"a post's document is parsed, analysed and rendered from its markdown and live blocks alone (feeds lends the link rewriting a teaser needs on list pages)"},
	{"generator/rendercache", []string{module + "/...", goldmark + "/...", chroma + "/..."}, []string{generator + "/rendercache", module + "/internal/sysfile"},
		"the cache of drawings keeps bytes by key; what they are drawn from is the caller's"},
	{"internal/plot", []string{playground + "/...", generator + "/...", goldmark + "/...", chroma + "/..."}, nil,
		"plots are drawn from data alone"},
	{"internal/sitecheck", []string{playground + "/...", generator + "/...", goldmark + "/...", chroma + "/..."}, nil,
		"benchpress check reads a built tree of files and knows nothing of how it was made"},
	{"internal/benchstats", []string{playground + "/...", generator + "/...", goldmark + "/...", chroma + "/..."}, nil,
		"statistics are shared by the build and the playground server"},
}

func match(pattern, path string) bool {
	if tree, ok := strings.CutSuffix(pattern, "/..."); ok {
		return path == tree || strings.HasPrefix(path, tree+"/")
	}
	return path == pattern
}

type rule = struct {
	pkg       string
	forbidden []string
	allowed   []string
	why       string
}

// violations lists every dependency of deps (package -> its dependencies)
// that a rule forbids, and every rule that matches no package.
func violations(deps map[string][]string, rules []rule) []string {
	var bad []string
	for _, r := range rules {
		pattern := module + "/" + r.pkg
		seen := false
		for pkg, ds := range deps {
			if !match(pattern, pkg) {
				continue
			}
			seen = true
		dep:
			for _, d := range ds {
				for _, a := range r.allowed {
					if match(a, d) {
						continue dep
					}
				}
				for _, f := range r.forbidden {
					if match(f, d) && d != pkg {
						bad = append(bad, pkg+" depends on "+d+": "+r.why)
						break
					}
				}
			}
		}
		if !seen {
			bad = append(bad, "rule for "+r.pkg+" matches no package: update the rule with the layout")
		}
	}
	sort.Strings(bad)
	return bad
}

// TestBoundaries fails when a package depends (its go list .Deps: every
// package it imports, directly or not, as go list -deps prints) on what its
// rule forbids,
// naming the import path that crosses the boundary.
func TestBoundaries(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Deps " "}}`, module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		deps[f[0]] = f[1:]
	}
	for _, v := range violations(deps, rules) {
		t.Error(v)
	}
}

// TestViolations checks the checker on made-up dependencies, so a rule
// that can never fail does not pass for the wrong reason.
func TestViolations(t *testing.T) {
	deps := map[string][]string{
		module + "/playground/server": {"fmt", module + "/generator/markdown", goldmark + "/ast"},
		module + "/devserver":         {module + "/generator/diag", module + "/internal/sysfile"},
	}
	got := violations(deps, []rule{
		{"playground/...", []string{generator + "/...", goldmark + "/..."}, nil, "P"},
		{"devserver", []string{generator + "/..."}, []string{generator + "/diag"}, "D"},
		{"generator/gone", []string{playground}, nil, "G"},
	})
	want := []string{
		module + "/playground/server depends on " + goldmark + "/ast: P",
		module + "/playground/server depends on " + module + "/generator/markdown: P",
		"rule for generator/gone matches no package: update the rule with the layout",
	}
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("violations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
