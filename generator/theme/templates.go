// Package theme is where a site's look comes from: the layers of
// templates and static files (the site's layouts/ and static/, its
// themes/NAME/, the built-in default theme), resolved file by file; the
// page kinds' template sets, loaded, with their functions and
// partialCached; and what each kind's templates can read of the data they
// are given (use.go), which serve's Builder keys its pages on.
//
// It knows nothing of how pages are built: it takes a site's files and
// its config, and executes templates on whatever data it is handed.
package theme

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"maps"
	"path"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/benchpress/benchpress/generator/config"
	"github.com/benchpress/benchpress/generator/content"
	"github.com/benchpress/benchpress/generator/diag"
	"github.com/benchpress/benchpress/internal/sysfile"
)

// pageKinds are the templates every theme provides, besides base.html and
// partials/*.html.
var pageKinds = []string{"home.html", "post.html", "page.html", "tag.html", "tags.html", "archive.html", "404.html"}

// Layer is one place templates and static files come from, highest
// priority first: the site's layouts/, the site's themes/<name>/, the
// built-in default theme.
type Layer struct {
	FS      fs.FS
	Dir     string // directory inside fsys ("layouts", "themes/x/layouts")
	Display string // how error messages name it ("layouts", "themes/default/layouts")
	Builtin bool   // the default theme compiled into the binary
}

// Templates are a site's parsed templates: one set per page kind, each
// with base.html and the partials.
type Templates struct {
	sets    map[string]*template.Template
	display map[string]string // logical name -> file path for messages

	// partials runs partials on their own, for partialCached; cache holds
	// what it rendered since the last Reset.
	partials *template.Template
	cache    sync.Map // partialKey -> template.HTML
}

// partialKey names one cached rendering: a partial and the pointer it was
// given (a post, say).
type partialKey struct {
	name string
	data any
}

// Layers lists where files of kind sub ("layouts" or "static") come
// from, highest priority first.
func Layers(site, builtin fs.FS, cfg *config.Config, sub string) ([]Layer, error) {
	var layers []Layer
	if sub == "layouts" {
		layers = append(layers, Layer{site, "layouts", "layouts", false})
	}
	themeDir := "themes/" + cfg.Theme
	if _, err := fs.Stat(site, themeDir); err == nil {
		layers = append(layers, Layer{site, themeDir + "/" + sub, themeDir + "/" + sub, false})
	} else if errors.Is(err, sysfile.ErrOutside) {
		return nil, diag.ReadError(themeDir, err)
	} else if cfg.Theme != "default" || builtin == nil {
		return nil, diag.Errorf(config.File, cfg.Line("theme"), "theme %q not found: there is no %s/ in the site", cfg.Theme, themeDir)
	}
	if cfg.Theme == "default" && builtin != nil {
		layers = append(layers, Layer{builtin, sub, "themes/default/" + sub, true})
	}
	return layers, nil
}

// Static maps each static file of the site to the layer it comes from: the
// site's static/ over its theme's, over the built-in theme's. An error from
// the layers comes with no files; one from a file, with the others.
func Static(site, builtin fs.FS, cfg *config.Config) (map[string]Layer, error) {
	layers, err := Layers(site, builtin, cfg, "static")
	if err != nil {
		return nil, err
	}
	return Resolve(append([]Layer{{FS: site, Dir: "static", Display: "static"}}, layers...))
}

// CopyStatic calls write with the name and contents of each static file
// (see Static), in name order.
func CopyStatic(site, builtin fs.FS, cfg *config.Config, write func(string, []byte)) error {
	files, err := Static(site, builtin, cfg)
	if err != nil {
		return err
	}
	for _, n := range slices.Sorted(maps.Keys(files)) {
		l := files[n]
		b, err := fs.ReadFile(l.FS, l.Dir+"/"+n)
		if err != nil {
			return diag.ReadError(l.Display+"/"+n, err)
		}
		write(n, b)
	}
	return nil
}

// Resolve maps each file name under the layers to the Layer that wins.
// A Layer that does not exist adds nothing; one that is a link out of the
// site is an error.
func Resolve(layers []Layer) (map[string]Layer, error) {
	files := map[string]Layer{}
	var list diag.List
	for i := len(layers) - 1; i >= 0; i-- {
		l := layers[i]
		_ = fs.WalkDir(l.FS, l.Dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, sysfile.ErrOutside) {
					list.Add(diag.ReadError(l.Display+strings.TrimPrefix(p, l.Dir), err))
				}
				return nil
			}
			if p == l.Dir && !d.IsDir() {
				// Its files would be none, in silence.
				list.Add(diag.Errorf(l.Display, 0, "this is a file, not a directory: its files go in a directory %s/", l.Display))
				return nil
			}
			if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
				return nil
			}
			files[strings.TrimPrefix(p, l.Dir+"/")] = l
			return nil
		})
	}
	return files, list.Err()
}

// Load reads and parses the templates of every page kind from the
// layouts layers; an error names the template file and line.
func Load(site, builtin fs.FS, cfg *config.Config) (*Templates, error) {
	layers, err := Layers(site, builtin, cfg, "layouts")
	if err != nil {
		return nil, err
	}
	files, err := Resolve(layers)
	if err != nil {
		return nil, err
	}
	if err := checkUnused(files); err != nil {
		return nil, err
	}
	t := &Templates{sets: map[string]*template.Template{}, display: map[string]string{}}
	read := func(name string) (string, error) {
		l, ok := files[name]
		if !ok {
			return "", diag.Errorf(layers[len(layers)-1].Display+"/"+name, 0, "template missing: the theme must provide it (add layouts/%s to override)", name)
		}
		t.display[name] = l.Display + "/" + name
		b, err := fs.ReadFile(l.FS, l.Dir+"/"+name)
		if err != nil {
			return "", diag.ReadError(l.Display+"/"+name, err)
		}
		return string(b), nil
	}
	var list diag.List
	base, err := read("base.html")
	if err != nil {
		return nil, err
	}
	var partials []string
	for name := range files {
		if strings.HasPrefix(name, "partials/") && strings.HasSuffix(name, ".html") {
			partials = append(partials, name)
		}
	}
	sort.Strings(partials)
	common := template.New("base.html").Funcs(templateFuncs(cfg, t))
	if _, err := common.Parse(base); err != nil {
		return nil, t.wrap(err)
	}
	for _, p := range partials {
		src, err := read(p)
		if err != nil {
			list.Add(err)
			continue
		}
		if _, err := common.New(p).Parse(src); err != nil {
			list.Add(t.wrap(err))
		}
	}
	if err := list.Err(); err != nil {
		return nil, err
	}
	if t.partials, err = common.Clone(); err != nil {
		return nil, t.wrap(err)
	}
	for _, kind := range pageKinds {
		src, err := read(kind)
		if err != nil {
			list.Add(err)
			continue
		}
		set, err := common.Clone()
		if err == nil {
			_, err = set.New(kind).Parse(src)
		}
		if err != nil {
			list.Add(t.wrap(err))
			continue
		}
		t.sets[kind] = set
	}
	return t, list.Err()
}

// checkUnused refuses a file of a site's layouts (or its theme's) that no
// page uses: only base.html, the page kinds and partials/*.html are read,
// so layouts/posts.html, a typo for post.html, changed nothing without a
// word, as an unknown front matter key would.
func checkUnused(files map[string]Layer) error {
	var list diag.List
	for _, name := range slices.Sorted(maps.Keys(files)) {
		l := files[name]
		if l.Builtin || name == "base.html" || slices.Contains(pageKinds, name) ||
			strings.HasPrefix(name, "partials/") && strings.HasSuffix(name, ".html") {
			continue
		}
		list.Add(diag.Errorf(l.Display+"/"+name, 0, "no page uses this file: a theme's templates are base.html, %s and partials/NAME.html: rename it, or move it out of %s/",
			strings.Join(pageKinds, ", "), l.Display))
	}
	return list.Err()
}

// tmplErrRE finds text/template's "template: NAME:LINE:" and
// html/template's escaper's "html/template:NAME:LINE:COL:".
var tmplErrRE = regexp.MustCompile(`(?:html/)?template: ?([^:\s]+):(\d+)(?::\d+)?: `)

// wrap rewrites a template error's "template: NAME:LINE:" (or the
// escaper's "html/template:NAME:LINE:COL:") into the template file's
// path, so the message points at the file to edit.
func (t *Templates) wrap(err error) error {
	msg := err.Error()
	m := tmplErrRE.FindStringSubmatchIndex(msg)
	if m == nil {
		return &diag.Error{Msg: msg}
	}
	name := msg[m[2]:m[3]]
	file := t.display[name]
	if file == "" {
		file = name
	}
	var line int
	fmt.Sscan(msg[m[4]:m[5]], &line)
	rest := strings.TrimSpace(msg[m[1]:])
	rest = strings.TrimPrefix(strings.TrimPrefix(rest, "html/template:"), "template: ")
	return &diag.Error{File: file, Line: line, Msg: rest}
}

// Execute renders the page of kind ("post", "home", ...) with data.
func (t *Templates) Execute(w io.Writer, kind string, data any) error {
	set := t.sets[kind+".html"]
	if err := set.ExecuteTemplate(w, "base.html", data); err != nil {
		return t.wrap(err)
	}
	return nil
}

// Reset forgets what partialCached rendered: a new render starts from the
// site's current data.
func (t *Templates) Reset() { t.cache.Clear() }

// buffers are partialCached's: a partial's HTML is copied out of one.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// CachedPartials is how many renderings partialCached holds.
func (t *Templates) CachedPartials() int {
	n := 0
	t.cache.Range(func(any, any) bool { n++; return true })
	return n
}

// partialCached renders the partial name with data once per Render and
// returns the same HTML to every later call with the same data. data must
// be a pointer (a post): the HTML is keyed by it, so the partial must
// depend on nothing but what data reaches. A post's summary appears on a
// home page and on each of its tags' pages; this renders it once.
func (t *Templates) partialCached(name string, data any) (template.HTML, error) {
	if data == nil || reflect.TypeOf(data).Kind() != reflect.Pointer {
		return "", fmt.Errorf("partialCached %q: the data must be a pointer, such as a post (got %T); use {{template %q .}} to render it uncached", name, data, name)
	}
	key := partialKey{name, data}
	if h, ok := t.cache.Load(key); ok {
		return h.(template.HTML), nil
	}
	if t.partials.Lookup(name) == nil {
		return "", fmt.Errorf("partialCached: no template %q (partials are named partials/NAME.html)", name)
	}
	buf := buffers.Get().(*bytes.Buffer)
	defer func() { buf.Reset(); buffers.Put(buf) }()
	if err := t.partials.ExecuteTemplate(buf, name, data); err != nil {
		return "", t.wrap(err)
	}
	h := template.HTML(buf.String())
	t.cache.Store(key, h)
	return h, nil
}

func templateFuncs(cfg *config.Config, t *Templates) template.FuncMap {
	var tagURLs sync.Map // tag -> URL
	return template.FuncMap{
		"partialCached": t.partialCached,
		"abs":           cfg.AbsURL,
		"rel":           cfg.RelURL,
		"date": func(t time.Time, layout string) string {
			if t.IsZero() {
				return ""
			}
			return t.Format(layout)
		},
		"iso": func(t time.Time) string { return t.Format(time.RFC3339) },
		"tagURL": func(tag string) string {
			// Every summary on every list page links its tags: a few
			// dozen distinct answers, asked thousands of times a build.
			if u, ok := tagURLs.Load(tag); ok {
				return u.(string)
			}
			u := cfg.RelURL(content.ExpandPermalink(cfg.Permalinks.Tags, content.Slugify(tag), time.Time{}))
			tagURLs.Store(tag, u)
			return u
		},
		"add":  func(a, b int) int { return a + b },
		"base": path.Base,
	}
}
