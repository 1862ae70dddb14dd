package theme

// Template-use analysis: what each page kind's templates can read of the
// data they are given, found by walking their parse trees. serve's Builder
// keys a page on exactly that; a full build learns from it whether any
// template reads a post's Body (ReadsBody).

import (
	"strings"
	"text/template/parse"
)

// LinkFields are the Post fields that point at other posts: a template
// that follows two of them in a row reads beyond what a page is keyed on.
var LinkFields = map[string]bool{"Prev": true, "Next": true, "SeriesPosts": true}

// siteSafe are the fields of .Site that do not depend on posts.
var siteSafe = map[string]bool{"Config": true, "Dev": true, "Root": true, "TagURL": true}

// scalarFuncs are the template functions that cannot read a post handed to
// them whole (they take strings, numbers and times, or compare pointers).
var scalarFuncs = map[string]bool{
	"abs": true, "rel": true, "date": true, "iso": true, "tagURL": true, "add": true, "base": true,
	"len": true, "index": true, "slice": true, "eq": true, "ne": true, "lt": true, "le": true,
	"gt": true, "ge": true, "and": true, "or": true, "not": true,
}

// Use is what one page kind's templates (base, partials and the
// kind's own) can read, found by walking their parse trees.
type Use struct {
	// Wide: they reach data beyond the page through .Site (.Site.Tags,
	// .Site.Content, .Site handed on whole), or go two steps along
	// Prev/Next/SeriesPosts: the page is keyed on every post.
	Wide bool
	// All: a value is handed whole to a function that can print it
	// (printf, js, ...): every field of a post counts, body included.
	All bool
	// Names: every field or method name the templates mention.
	Names map[string]bool
}

// Uses analyses each page kind's template set: what the templates of
// kind ("post", "home", ...) can read, by kind.
func (t *Templates) Uses() map[string]*Use {
	uses := map[string]*Use{}
	for name, set := range t.sets {
		use := &Use{Names: map[string]bool{}}
		for _, tt := range set.Templates() {
			if tt.Tree != nil && tt.Tree.Root != nil {
				use.walk(tt.Tree.Root, 0)
			}
		}
		uses[strings.TrimSuffix(name, ".html")] = use
	}
	return uses
}

// chain records a field chain evaluated `depth` link steps (Prev, Next,
// SeriesPosts) away from the page's own data, and returns how many steps
// away its value is.
func (u *Use) chain(idents []string, depth int) int {
	for i, id := range idents {
		u.Names[id] = true
		if id == "Site" && (i+1 >= len(idents) || !siteSafe[idents[i+1]]) {
			u.Wide = true
		}
		if LinkFields[id] {
			if depth++; depth > 1 {
				u.Wide = true
			}
		}
	}
	return depth
}

// whole reports whether a pipeline argument is a value handed on whole:
// dot, or a variable without a field.
func whole(n parse.Node) bool {
	switch n := n.(type) {
	case *parse.DotNode:
		return true
	case *parse.VariableNode:
		return len(n.Ident) == 1
	}
	return false
}

// walk records what n reads; depth is how many link steps away dot is
// ({{with .Prev}} makes it one). It returns how many steps away n's value
// is, for the {{with}} or {{range}} that evaluates it.
func (u *Use) walk(n parse.Node, depth int) int {
	switch n := n.(type) {
	case *parse.ListNode:
		if n != nil {
			for _, c := range n.Nodes {
				u.walk(c, depth)
			}
		}
	case *parse.ActionNode:
		u.walk(n.Pipe, depth)
	case *parse.PipeNode:
		return u.walkPipe(n, depth)
	case *parse.CommandNode:
		return u.walkCommand(n, depth)
	case *parse.FieldNode:
		return u.chain(n.Ident, depth)
	case *parse.VariableNode:
		if n.Ident[0] == "$" {
			return u.chain(n.Ident[1:], 0) // $ is the page itself
		}
		return u.chain(n.Ident[1:], depth)
	case *parse.ChainNode:
		return u.chain(n.Field, u.walk(n.Node, depth))
	case *parse.IfNode:
		u.walk(n.Pipe, depth)
		u.walk(n.List, depth)
		u.walk(n.ElseList, depth)
	case *parse.RangeNode:
		inner := u.walk(n.Pipe, depth)
		u.walk(n.List, inner)
		u.walk(n.ElseList, depth)
	case *parse.WithNode:
		inner := u.walk(n.Pipe, depth)
		u.walk(n.List, inner)
		u.walk(n.ElseList, depth)
	case *parse.TemplateNode:
		// The called template is walked on its own, from depth 0: a call
		// made one step away could go a second step unseen.
		if u.walk(n.Pipe, depth) > 0 {
			u.Wide = true
		}
	}
	return depth
}

// ReadsBody reports whether any template may read a post's Body.
func (t *Templates) ReadsBody() bool {
	for _, use := range t.Uses() {
		if use.All || use.Names["Body"] {
			return true
		}
	}
	return false
}

// walkPipe is walk for a pipeline.
func (u *Use) walkPipe(n *parse.PipeNode, depth int) int {
	if n == nil {
		return depth
	}
	last := depth
	for i, c := range n.Cmds {
		last = u.walk(c, depth)
		// {{. | printf "%v"}}: the whole value flows into a function.
		if i > 0 && len(n.Cmds[0].Args) == 1 && whole(n.Cmds[0].Args[0]) {
			if id, ok := c.Args[0].(*parse.IdentifierNode); !ok || !scalarFuncs[id.Ident] {
				u.All = true
			}
		}
	}
	if len(n.Decl) > 0 && last > 0 {
		// {{$p := .Prev}}: where $p leads is not followed.
		u.Wide = true
	}
	return last
}

// walkCommand is walk for one command of a pipeline.
func (u *Use) walkCommand(n *parse.CommandNode, depth int) int {
	if id, ok := n.Args[0].(*parse.IdentifierNode); ok && id.Ident == "partialCached" && len(n.Args) == 3 {
		// Like {{template}}: the partial is walked on its own.
		if u.walk(n.Args[2], depth) > 0 {
			u.Wide = true
		}
		return depth
	}
	if id, ok := n.Args[0].(*parse.IdentifierNode); ok && !scalarFuncs[id.Ident] {
		for _, a := range n.Args[1:] {
			if whole(a) {
				u.All = true
			}
		}
	}
	last := depth
	for _, a := range n.Args {
		last = u.walk(a, depth)
	}
	if len(n.Args) > 1 {
		return depth // a function's result
	}
	return last
}
