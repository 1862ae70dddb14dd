package snippet

//go:generate go run ./internal/genstd

import (
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

var packageClauseRE = regexp.MustCompile(`(?m)^package\s+[A-Za-z_]\w*`)
var funcMainRE = regexp.MustCompile(`(?m)^func\s+main\s*\(\s*\)`)

// completeSource turns a snippet body into a Go file: a complete program is
// kept as is; declarations get a package clause and the imports they use
// but do not declare; bare statements are also wrapped in func main. The
// author's own import declarations (single, grouped, one-line) stay where
// they are, so an import the code does not use is the compiler's error at
// its own line; completion adds only the standard packages the code uses
// and the author did not import. Everything added goes on the first line,
// or, for statements after the author's imports, after the last import
// on its line: body line N is file line N+offset with offset 0 or 1, and
// no column of the body's code moves.
func completeSource(body string, wrapMain bool) (src string, offset int) {
	// The substring tests spare most snippets a regexp scan.
	if strings.Contains(body, "package") && packageClauseRE.MatchString(body) {
		return body, 0
	}
	if wrapMain && strings.Contains(body, "main") && funcMainRE.MatchString(body) {
		wrapMain = false
	}
	explicit, importsEnd := leadingImports(body)
	probe := "package main\n" + body
	if wrapMain {
		probe = "package main\n" + body[:importsEnd] + "\nfunc main() {\n" + body[importsEnd:] + "\n}\n"
	}
	var head strings.Builder
	head.WriteString("package main")
	if imports := missingImports(probe, explicit); len(imports) > 0 {
		head.WriteString("; import (")
		head.WriteString(strings.Join(imports, "; "))
		head.WriteString(")")
	}
	if !wrapMain {
		return head.String() + "\n" + body, 1
	}
	if importsEnd == 0 {
		head.WriteString("; func main() {")
	} else {
		body = body[:importsEnd] + "; func main() {" + body[importsEnd:]
	}
	return head.String() + "\n" + strings.TrimRight(body, "\n") + "\n}\n", 1
}

// leadingImports finds the import declarations a body without a package
// clause starts with, in any of Go's forms (`import "x"`, `import n "x"`,
// `import ( ... )`, `import ("a"; "b")`), and returns their specs as
// `name "path"` or `"path"`, and the offset just past the last one's
// final token (0 when there is none).
func leadingImports(body string) (specs []string, end int) {
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile("main.go", -1, len(body))
	s.Init(file, []byte(body), nil, 0)
	next := func() (int, token.Token, string) {
		pos, tok, lit := s.Scan()
		return file.Offset(pos), tok, lit
	}
	off, tok, lit := next()
	for tok == token.IMPORT {
		off, tok, lit = next()
		spec := func() bool {
			name := ""
			if tok == token.IDENT || tok == token.PERIOD {
				name = lit
				if tok == token.PERIOD {
					name = "."
				}
				off, tok, lit = next()
			}
			if tok != token.STRING {
				return false
			}
			if name != "" {
				specs = append(specs, name+" "+lit)
			} else {
				specs = append(specs, lit)
			}
			end = off + len(lit)
			off, tok, lit = next()
			return true
		}
		if tok == token.LPAREN {
			for off, tok, lit = next(); tok != token.RPAREN; {
				if tok == token.SEMICOLON {
					off, tok, lit = next()
					continue
				}
				if !spec() {
					return specs, end // malformed: the compiler will say so
				}
			}
			end = off + 1
			off, tok, lit = next()
		} else if !spec() {
			return specs, end
		}
		for tok == token.SEMICOLON {
			off, tok, lit = next()
		}
	}
	return specs, end
}

// missingImports finds package names used as pkg.Name but never declared
// and maps them to standard library import paths. It needs no toolchain.
func missingImports(src string, explicit []string) []string {
	declared := importedNames(explicit)
	if need, ok := selectedPackages(src, declared); ok {
		return need
	}
	return parsedPackages(src, declared)
}

// importedNames is the set of package names the author's own imports
// declare: the name given, else the path's last element (the one before a
// major version suffix: math/rand/v2 is rand). A blank or dot import
// declares no name.
func importedNames(explicit []string) map[string]bool {
	declared := map[string]bool{}
	for _, imp := range explicit {
		p := imp
		if name, _, ok := strings.Cut(imp, " "); ok && !strings.HasPrefix(name, `"`) {
			if name != "_" && name != "." {
				declared[name] = true
			}
			continue
		}
		uq, _ := strconv.Unquote(strings.TrimSpace(p))
		base := path.Base(uq)
		if len(base) > 1 && base[0] == 'v' && strings.Trim(base[1:], "0123456789") == "" {
			base = path.Base(path.Dir(uq))
		}
		declared[base] = true
	}
	return declared
}

// parsedPackages is missingImports from the syntax tree. It adds the
// names src declares to declared.
func parsedPackages(src string, declared map[string]bool) []string {
	fset := token.NewFileSet()
	f, _ := parser.ParseFile(fset, "main.go", src, parser.AllErrors|parser.SkipObjectResolution)
	if f == nil {
		return nil
	}
	// Names declared anywhere in the file shadow packages; a rough but
	// safe rule for snippets: any identifier that is defined is not a
	// package.
	ast.Inspect(f, func(n ast.Node) bool {
		declareNames(n, declared)
		return true
	})
	need := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && !declared[id.Name] {
				if p, ok := stdlibByName[id.Name]; ok {
					need[p] = true
				}
			}
		}
		return true
	})
	return quotedPaths(need)
}

// declareNames adds the names node n declares to declared: variables,
// constants, types, functions and their parameters and results, := and
// range variables, labels.
func declareNames(n ast.Node, declared map[string]bool) {
	switch n := n.(type) {
	case *ast.ValueSpec:
		for _, id := range n.Names {
			declared[id.Name] = true
		}
	case *ast.TypeSpec:
		declared[n.Name.Name] = true
	case *ast.FuncDecl:
		if n.Recv == nil {
			declared[n.Name.Name] = true
		}
		for _, fl := range []*ast.FieldList{n.Recv, n.Type.Params, n.Type.Results} {
			declareFields(fl, declared)
		}
	case *ast.FuncLit:
		declareFields(n.Type.Params, declared)
		declareFields(n.Type.Results, declared)
	case *ast.AssignStmt:
		if n.Tok == token.DEFINE {
			declareIdents(n.Lhs, declared)
		}
	case *ast.RangeStmt:
		if n.Tok == token.DEFINE {
			declareIdents([]ast.Expr{n.Key, n.Value}, declared)
		}
	case *ast.LabeledStmt:
		declared[n.Label.Name] = true
	}
}

// declareIdents adds the names of the identifiers among exprs to declared.
func declareIdents(exprs []ast.Expr, declared map[string]bool) {
	for _, e := range exprs {
		if id, ok := e.(*ast.Ident); ok {
			declared[id.Name] = true
		}
	}
}

// selectedPackages is missingImports without a parse, for the common
// snippet: from the tokens alone, the standard packages named as X in X.Y.
// It gives up (ok false) when the answer needs the syntax tree: a
// package's name also used any other way (it may be declared: a variable
// fmt, a parameter, a label), or a scanning error.
func selectedPackages(src string, declared map[string]bool) (imports []string, ok bool) {
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile("main.go", -1, len(src))
	errs := 0
	s.Init(file, []byte(src), func(token.Position, string) { errs++ }, 0)
	type tok struct {
		t   token.Token
		lit string
	}
	var toks []tok
	for {
		_, t, lit := s.Scan()
		if t == token.EOF {
			break
		}
		toks = append(toks, tok{t, lit})
	}
	if errs > 0 {
		return nil, false
	}
	need := map[string]bool{}
	for i, t := range toks {
		if t.t != token.IDENT {
			continue
		}
		p, isPkg := stdlibByName[t.lit]
		if !isPkg || declared[t.lit] || i > 0 && toks[i-1].t == token.PERIOD {
			continue // not a package, imported by the author, or a field or method name
		}
		if i+2 < len(toks) && toks[i+1].t == token.PERIOD && toks[i+2].t == token.IDENT {
			need[p] = true
			continue
		}
		return nil, false
	}
	return quotedPaths(need), true
}

// quotedPaths is the sorted, quoted import paths of a set.
func quotedPaths(set map[string]bool) []string {
	var out []string
	for p := range set {
		out = append(out, strconv.Quote(p))
	}
	sort.Strings(out)
	return out
}

func declareFields(fl *ast.FieldList, declared map[string]bool) {
	if fl == nil {
		return
	}
	for _, f := range fl.List {
		for _, id := range f.Names {
			declared[id.Name] = true
		}
	}
}
