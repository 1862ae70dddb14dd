package theme

import (
	"html/template"
	"sort"
	"strings"
	"testing"

	"github.com/benchpress/benchpress/generator/config"
)

// TestTemplateUses: what a template can read, as walking its tree finds it.
func TestTemplateUses(t *testing.T) {
	tests := []struct {
		src       string
		wide, all bool
		names     string
	}{
		{`{{.Site.Config.Title}}{{range .Posts}}{{.Title}}{{end}}`, false, false, "Config Posts Site Title"},
		{`{{range .Site.Tags}}{{.Name}}{{end}}`, true, false, "Name Site Tags"},
		{`{{with .Site}}{{.Dev}}{{end}}`, true, false, "Dev Site"},
		{`{{range $.Site.Content.Posts}}{{end}}`, true, false, "Content Posts Site"},
		{`{{with .Post}}{{.Prev.Title}}{{end}}`, false, false, "Post Prev Title"},
		{`{{.Post.Prev.Next.Title}}`, true, false, "Next Post Prev Title"},
		{`{{range .Posts}}{{printf "%v" .}}{{end}}`, false, true, "Posts"},
		{`{{range $p := .Posts}}{{$p | printf "%v"}}{{end}}`, false, true, "Posts"},
		{`{{range .Posts}}{{printf "%d" .WordCount}} {{len .Tags}} {{date .Date "2006"}}{{end}}`, false, false, "Date Posts Tags WordCount"},
		{`{{with .Post}}{{with .Prev}}{{.Title}}{{with .Next}}{{.Title}}{{end}}{{end}}{{end}}`, true, false, "Next Post Prev Title"},
		{`{{with .Post}}{{range .SeriesPosts}}{{.Title}}{{if eq .URL $.Post.URL}}x{{end}}{{end}}{{end}}`, false, false, "Post SeriesPosts Title URL"},
		{`{{range .Posts}}{{with .Prev}}{{.Title}}{{end}}{{end}}`, false, false, "Posts Prev Title"},
		{`{{range .Posts}}{{with .Prev}}{{template "x" .}}{{end}}{{end}}`, true, false, "Posts Prev"},
		{`{{range .Posts}}{{template "x" .}}{{end}}`, false, false, "Posts"},
		{`{{with $p := .Post.Prev}}{{$p.Prev.Title}}{{end}}`, true, false, "Post Prev Title"},
		{`{{with (index .Posts 0).Prev}}{{.Next.Title}}{{end}}`, true, false, "Next Posts Prev Title"},
	}
	for _, tt := range tests {
		tmpl := template.Must(template.New("x").Funcs(templateFuncs(&config.Config{}, &Templates{})).Parse(tt.src))
		use := &Use{Names: map[string]bool{}}
		use.walk(tmpl.Tree.Root, 0)
		var names []string
		for n := range use.Names {
			names = append(names, n)
		}
		sort.Strings(names)
		if use.Wide != tt.wide || use.All != tt.all || strings.Join(names, " ") != tt.names {
			t.Errorf("%s: wide=%v all=%v names=%v, want %v %v %s", tt.src, use.Wide, use.All, names, tt.wide, tt.all, tt.names)
		}
	}
}
