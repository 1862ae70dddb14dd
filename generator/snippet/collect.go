package snippet

import (
	"strings"

	"github.com/benchpress/benchpress/generator/diag"
)

// Collector makes the Snippets of one post from its live fences, in order,
// and refuses what a block cannot be: options a verb does not take, a name
// used twice, an empty block, a block with both file= and code of its own.
type Collector struct {
	File string // the post, e.g. content/posts/x.md
	// MaxCombinations caps the combinations of an explorable block's grid
	// (params=): config.yaml's playground.maxCombinations.
	MaxCombinations int
	Snippets        []*Snippet
	named           map[string]*Snippet
}

// Add makes a Snippet of a live fence: fi is its parsed info string, body
// the fence's text, line the line of the opening fence and bodyLine that
// of the body's first line. A refused block is an error at the fence and
// is not added.
func (c *Collector) Add(fi FenceInfo, body string, line, bodyLine int) (*Snippet, *diag.Error) {
	s := &Snippet{File: c.File, Line: line, BodyLine: bodyLine, Index: len(c.Snippets), Verb: fi.Verb, Body: body}
	var err error
	if s.Opts, err = optionsFrom(fi); err != nil {
		return nil, diag.Errorf(c.File, line, "go %s: %v", fi.Verb, err)
	}
	if err := paramOptions(fi, &s.Opts, c.MaxCombinations); err != nil {
		return nil, diag.Errorf(c.File, line, "go %s: %v", fi.Verb, err)
	}
	if s.Opts.Name != "" {
		if prev := c.named[s.Opts.Name]; prev != nil {
			return nil, diag.Errorf(c.File, line, "name=%s is already used by the block at line %d", s.Opts.Name, prev.Line)
		}
		if c.named == nil {
			c.named = map[string]*Snippet{}
		}
		c.named[s.Opts.Name] = s
	}
	if strings.TrimSpace(s.Body) == "" && s.Opts.File == "" {
		return nil, diag.Errorf(c.File, line, "go %s block is empty: write code in it or give file=", fi.Verb)
	}
	if strings.TrimSpace(s.Body) != "" && s.Opts.File != "" {
		// The page shows and runs the file alone: code written in the
		// fence as well would be dropped without a word.
		return nil, diag.Errorf(c.File, line, "go %s: file=%s is the block's source, so the code in the fence would be ignored: move it into %s, or remove file=", fi.Verb, s.Opts.File, s.Opts.File)
	}
	c.Snippets = append(c.Snippets, s)
	return s, nil
}
