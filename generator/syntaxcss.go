package generator

import (
	"github.com/benchpress/benchpress/generator/config"
	"github.com/benchpress/benchpress/generator/diag"
	"github.com/benchpress/benchpress/generator/markdown"
)

// newHighlighter is the site's code highlighter, of the styles config.yaml
// names; its CSS is the highlighting stylesheet.
func newHighlighter(cfg *config.Config) (*markdown.Highlighter, error) {
	if !markdown.HasStyle(cfg.Highlight.Light) {
		return nil, diag.Errorf(config.File, cfg.Line("highlight", "light"), "highlight.light: unknown chroma style %q (try github, friendly, solarized-light)", cfg.Highlight.Light)
	}
	if !markdown.HasStyle(cfg.Highlight.Dark) {
		return nil, diag.Errorf(config.File, cfg.Line("highlight", "dark"), "highlight.dark: unknown chroma style %q (try github-dark, monokai, dracula)", cfg.Highlight.Dark)
	}
	return markdown.NewHighlighter(cfg.Highlight.Light, cfg.Highlight.Dark)
}
