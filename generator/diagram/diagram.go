// Package diagram renders D2 diagrams (https://d2lang.com, a text
// language for diagrams written in Go: oss.terrastruct.com/d2) to inline
// SVG at build time: the dagre layout, which d2 runs in goja, a JavaScript
// interpreter written in Go, so no browser, no external process and no
// network; the neutral theme in light mode and a dark theme under
// prefers-color-scheme and the site's theme toggle, both in the SVG's own
// stylesheet.
//
// A diagram is untrusted input: it may import nothing (an @import would
// otherwise read any file of the machine), only the dagre layout is
// offered, a diagram larger than MaxSource or MaxElements is refused
// before its layout, and a render is stopped after Timeout.
package diagram

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing/fstest"
	"time"

	"oss.terrastruct.com/d2/d2graph"
	"oss.terrastruct.com/d2/d2layouts/d2dagrelayout"
	"oss.terrastruct.com/d2/d2lib"
	"oss.terrastruct.com/d2/d2renderers/d2svg"
	"oss.terrastruct.com/d2/d2target"
	"oss.terrastruct.com/d2/d2themes/d2themescatalog"
	d2log "oss.terrastruct.com/d2/lib/log"
	"oss.terrastruct.com/d2/lib/textmeasure"
)

// Version names the renderer and its options, limits included: part of
// every cached render's key, so a change of either draws every diagram
// again (and a render cached before a limit existed is not served past
// it).
const Version = "d2 v0.7.2 dagre neutral-default/dark-mauve pad=8 max=150/64KiB toggle 4"

// Timeout bounds one render: the layout is the only slow part, seconds
// for hundreds of shapes.
const Timeout = 60 * time.Second

// MaxElements bounds the shapes and connections of a diagram, its boards
// (layers, scenarios, steps) together. dagre in goja cannot be
// interrupted, and its time grows steeply with the graph: on a 2-core
// machine 75 elements take 0.7 s, 150 take 11 s and 300 outlast Timeout,
// after which the abandoned layout runs on until the process exits. A
// diagram within the bound ends in seconds, so the build that gives up on
// it leaves no long layout behind.
const MaxElements = 150

// MaxSource bounds a diagram's source in bytes: far more than a diagram
// of MaxElements needs, and d2's parser is not free either.
const MaxSource = 64 << 10

// Error is a diagram that does not compile: Line is 1-based within the
// diagram's source (0 when d2 gave no position).
type Error struct {
	Line int
	Msg  string
}

func (e *Error) Error() string { return e.Msg }

var (
	// renderMu makes renders take turns: d2 is not known to be safe to
	// run concurrently, and diagrams are rare and cached.
	renderMu sync.Mutex
	// ruler is the text measurer the next render uses (a Ruler is not
	// safe for concurrent use); a render that is given up on keeps its
	// own, and the next render makes a new one.
	ruler *textmeasure.Ruler
)

// gaveUp holds the diagrams whose layout outlasted the limit, by source
// and options (under renderMu).
var gaveUp = map[giveUpKey]bool{}

type giveUpKey struct {
	src string
	o   Options
}

// timeout is Timeout, shortened by tests.
var timeout = Timeout

// quiet is d2's logger: its messages are for its own CLI.
var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// Options are a render's choices.
type Options struct {
	// NoRawHTML refuses what would put markup of the author's into the
	// SVG (a site with markup.unsafeHTML: false): a markdown label, whose
	// HTML d2 passes through (<script> included), and a link or icon
	// that is not http(s) or relative (javascript:, data:, file:).
	NoRawHTML bool
}

// Render compiles src and returns the SVG, with the zero Options.
func Render(ctx context.Context, src string) (string, error) {
	return RenderWith(ctx, src, Options{})
}

// RenderWith compiles src and returns the SVG.
//
// d2 runs the dagre layout in goja without ever interrupting it: the
// context's deadline is not looked at while the layout runs, so a large
// diagram kept a build busy for as long as the layout took (minutes for
// a few hundred edges). The render runs in its own goroutine, and Render
// returns at the deadline; a render given up on runs on unwatched until
// it ends (the process, a build, usually ends first, as the error fails
// it).
func RenderWith(ctx context.Context, src string, o Options) (string, error) {
	renderMu.Lock()
	defer renderMu.Unlock()
	// A diagram given up on is not started again (serve rebuilds on every
	// save): each try would leave one more layout running.
	if gaveUp[giveUpKey{src, o}] {
		return "", positioned(context.DeadlineExceeded)
	}
	if len(src) > MaxSource {
		return "", &Error{Msg: fmt.Sprintf("the diagram is %d bytes; benchpress lays out diagrams of at most %d: split the diagram", len(src), MaxSource)}
	}
	r := ruler
	ruler = nil
	if r == nil {
		var err error
		if r, err = textmeasure.NewRuler(); err != nil {
			return "", err
		}
	}
	ctx, cancel := context.WithTimeout(d2log.With(ctx, quiet), timeout)
	defer cancel()
	type result struct {
		svg string
		err error
	}
	done := make(chan result, 1)
	go func() {
		svg, err := render(ctx, r, src, o)
		done <- result{svg, err}
	}()
	select {
	case res := <-done:
		ruler = r
		return res.svg, res.err
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			gaveUp[giveUpKey{src, o}] = true
		}
		return "", positioned(ctx.Err())
	}
}

// render is Render's work, measuring text with r.
func render(ctx context.Context, r *textmeasure.Ruler, src string, o Options) (string, error) {
	dagre := "dagre"
	theme, dark := d2themescatalog.NeutralDefault.ID, d2themescatalog.DarkMauve.ID
	pad := int64(8)
	noXML := true
	var elements atomic.Int64 // of every board laid out so far
	render := &d2svg.RenderOpts{ThemeID: &theme, DarkThemeID: &dark, Pad: &pad, NoXMLTag: &noXML}
	diagram, _, err := d2lib.Compile(ctx, src, &d2lib.CompileOptions{
		Ruler:  r,
		Layout: &dagre,
		FS:     fstest.MapFS{}, // no imports: nothing outside the fence is read
		LayoutResolver: func(engine string) (d2graph.LayoutGraph, error) {
			if engine != "dagre" {
				return nil, fmt.Errorf("layout engine %q is not available: benchpress lays diagrams out with dagre", engine)
			}
			return func(ctx context.Context, g *d2graph.Graph) error {
				if n := elements.Add(int64(len(g.Objects) + len(g.Edges))); n > MaxElements {
					return fmt.Errorf("the diagram has more than %d shapes and connections (%d so far), which the layout would take minutes over: split the diagram", MaxElements, n)
				}
				return d2dagrelayout.Layout(ctx, g, nil)
			}, nil
		},
	}, render)
	if err != nil {
		return "", positioned(err)
	}
	if o.NoRawHTML {
		if err := noRawHTML(diagram); err != nil {
			return "", err
		}
	}
	out, err := d2svg.Render(diagram, render)
	if err != nil {
		return "", &Error{Msg: err.Error()}
	}
	svg := string(out)
	if !strings.Contains(svg, `id="streaks-`) {
		// d2 writes its sketch-mode rules into every stylesheet; without
		// sketch mode they point at patterns the SVG does not hold, which
		// benchpress check rightly reports as missing.
		svg = sketchRuleRE.ReplaceAllString(svg, "")
	}
	return followToggle(svg), nil
}

// darkMedia opens the block of d2's dark theme in its stylesheet.
const darkMedia = "@media screen and (prefers-color-scheme:dark){"

// followToggle makes the diagram's dark theme follow the site's theme
// toggle, as the page's own colours and the code's do: d2 writes it under
// prefers-color-scheme alone, so a reader who chose light on a dark
// system got a dark diagram on a light page, and the other way round.
// Each rule of the block is written twice: under the media query unless
// the page is set to light (:root:not([data-theme=light])), and for a
// page set to dark (:root[data-theme=dark]) whatever the system says. An
// inline SVG's stylesheet is the page's, so :root is the page's html.
func followToggle(svg string) string {
	var b strings.Builder
	for {
		i := strings.Index(svg, darkMedia)
		if i < 0 {
			break
		}
		body := svg[i+len(darkMedia):]
		end := flatRulesEnd(body)
		if end < 0 {
			break // not the flat list of rules d2 writes: leave it
		}
		body = body[:end]
		b.WriteString(svg[:i])
		b.WriteString(darkMedia)
		scopeRules(&b, body, ":root:not([data-theme=light]) ")
		b.WriteString("}@media screen{")
		scopeRules(&b, body, ":root[data-theme=dark] ")
		b.WriteString("}")
		svg = svg[i+len(darkMedia)+end+1:]
	}
	b.WriteString(svg)
	return b.String()
}

// flatRulesEnd returns the length of the rules at the start of css that a
// "}" closes (the block's end), or -1 when a rule nests or the block does
// not end.
func flatRulesEnd(css string) int {
	open := false
	for i := 0; i < len(css); i++ {
		switch css[i] {
		case '{':
			if open {
				return -1
			}
			open = true
		case '}':
			if !open {
				return i
			}
			open = false
		}
	}
	return -1
}

// scopeRules writes the rules of css ("sel{decls}sel, sel{decls}") with
// each selector prefixed by scope.
func scopeRules(b *strings.Builder, css, scope string) {
	for _, rule := range strings.SplitAfter(css, "}") {
		sel, decls, ok := strings.Cut(rule, "{")
		if !ok {
			continue
		}
		for i, s := range strings.Split(sel, ",") {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(scope + strings.TrimSpace(s))
		}
		b.WriteString("{" + decls)
	}
}

// noRawHTML is the error of the first label, link or icon of d (or of
// its boards) that Options.NoRawHTML refuses.
func noRawHTML(d *d2target.Diagram) error {
	if d == nil {
		return nil
	}
	check := func(id, language, link string, icon *url.URL) error {
		if language == "markdown" {
			return &Error{Msg: fmt.Sprintf("%s: a markdown label may hold raw HTML, which this site leaves out (markup.unsafeHTML: false): use a plain label", id)}
		}
		if !safeURL(link) {
			return &Error{Msg: fmt.Sprintf("%s: link %q: only http, https and relative links (markup.unsafeHTML: false)", id, link)}
		}
		if icon != nil && !safeURL(icon.String()) {
			return &Error{Msg: fmt.Sprintf("%s: icon %q: only http, https and relative URLs (markup.unsafeHTML: false)", id, icon)}
		}
		return nil
	}
	for _, sh := range d.Shapes {
		if err := check(sh.ID, sh.Language, sh.Link, sh.Icon); err != nil {
			return err
		}
	}
	for _, c := range d.Connections {
		if err := check(c.ID, c.Language, c.Link, c.Icon); err != nil {
			return err
		}
	}
	for _, boards := range [][]*d2target.Diagram{d.Layers, d.Scenarios, d.Steps} {
		for _, b := range boards {
			if err := noRawHTML(b); err != nil {
				return err
			}
		}
	}
	return nil
}

// safeURL reports whether u is empty, relative or http(s).
func safeURL(u string) bool {
	if u == "" {
		return true
	}
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil {
		return false
	}
	switch strings.ToLower(p.Scheme) {
	case "", "http", "https":
		return p.Scheme != "" || p.Opaque == ""
	}
	return false
}

var sketchRuleRE = regexp.MustCompile(`\.sketch-overlay-[A-Za-z0-9_-]+\{[^}]*\}`)

// d2's messages start with the range, "path:LINE:COL: message" or
// "LINE:COL: message".
var d2PosRE = regexp.MustCompile(`^(?:[^:\s]*:)?(\d+):(\d+): `)

// positioned turns d2's first error into an Error at its line.
func positioned(err error) error {
	msg := err.Error()
	if first, _, ok := strings.Cut(msg, "\n"); ok {
		msg = first
	}
	if strings.Contains(msg, "failed to import") {
		msg = strings.SplitN(msg, "failed to import", 2)[0] + "imports are not supported: a diagram is the text of its fence"
	}
	var e *Error
	if m := d2PosRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		e = &Error{Line: line, Msg: strings.TrimPrefix(msg, m[0])}
	} else {
		e = &Error{Msg: msg}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		e.Msg = fmt.Sprintf("the layout took longer than %v: split the diagram", timeout)
	}
	return e
}
