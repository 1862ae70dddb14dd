package markdown

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

type textBlock string

func (b textBlock) WriteHTML(w io.Writer) { io.WriteString(w, string(b)) }

// liveFence makes "x live" fences live and refuses "x bad", a live fence
// with malformed options.
func liveFence(info string) (Fence, error) {
	f := strings.Fields(info)
	switch {
	case len(f) > 1 && f[1] == "bad":
		return Fence{Lang: f[0], Live: true}, errors.New("bad info")
	case len(f) > 1 && f[1] == "live":
		return Fence{Lang: f[0], Live: true}, nil
	case len(f) > 0:
		return Fence{Lang: f[0]}, nil
	}
	return Fence{}, nil
}

// TestParseLive: live fences reach Live in order with their lines and
// body, render as the Block returned, and errors from the recogniser and
// from Live are positioned at the fence; a nil Block drops the fence.
func TestParseLive(t *testing.T) {
	src := "# T\n\nIntro.\n\n```go live\nfmt.Println(1)\n```\n\n```go\nplain()\n```\n\n```go bad\nx\n```\n\n```go live\nrefused\n```\n\n```go live\ndropped\n```\n"
	m := New(Options{Fence: liveFence})
	var seen []string
	doc, errs := m.Parse([]byte(src), "p.md", func(f LiveFence) (Block, error) {
		seen = append(seen, fmt.Sprintf("%d/%d %q %s", f.Line, f.BodyLine, f.Body, f.Info))
		switch strings.TrimSpace(f.Body) {
		case "refused":
			return nil, errors.New("p.md:17: refused")
		case "dropped":
			return nil, nil
		}
		return textBlock("<LIVE>"), nil
	})
	want := []string{`5/6 "fmt.Println(1)\n" go live`, `17/18 "refused\n" go live`, `21/22 "dropped\n" go live`}
	if strings.Join(seen, "; ") != strings.Join(want, "; ") {
		t.Errorf("Live saw %q\nwant %q", seen, want)
	}
	if got := errs.Error(); got != "p.md:13: code fence: bad info\np.md:17: refused\n(2 errors)" {
		t.Errorf("errors %q", got)
	}
	var b strings.Builder
	if err := doc.Render(&b); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	if strings.Count(html, "<LIVE>") != 1 || strings.Contains(html, "fmt.Println") || strings.Contains(html, "dropped") || !strings.Contains(html, "plain") {
		t.Errorf("rendered:\n%s", html)
	}
	if o := doc.Outline(); len(o.Headings) != 1 || o.Headings[0].Title != "T" || o.Headings[0].ID != "t" || o.Words != 2 || o.Text != "T Intro." {
		t.Errorf("outline %+v", o)
	}
	b.Reset()
	if err := doc.RenderSummary(&b); err != nil || b.String() != "<p>Intro.</p>\n" {
		t.Errorf("summary %q, %v", b.String(), err)
	}
}

// TestSummaryBeforeMore: a top-level <!--more--> ends the summary, which
// leaves live blocks out.
func TestSummaryBeforeMore(t *testing.T) {
	src := "First.\n\n```go live\nx\n```\n\nSecond.\n\n<!--more-->\n\nThird.\n"
	m := New(Options{Fence: liveFence, Unsafe: true})
	doc, _ := m.Parse([]byte(src), "p.md", func(LiveFence) (Block, error) { return textBlock("<LIVE>"), nil })
	var b strings.Builder
	if err := doc.RenderSummary(&b); err != nil || b.String() != "<p>First.</p>\n<p>Second.</p>\n" {
		t.Errorf("summary %q, %v", b.String(), err)
	}
}
