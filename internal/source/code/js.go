package code

import (
	"strings"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/source/srctok"
)

// The JavaScript and TypeScript scanner works on the shared tokenizer's
// tokens (types hold no unbalanced bracket, so TypeScript needs nothing
// of its own): imports and require()s name the libraries, declarations
// give names their values, functions their parameters' defaults, and
// every call or `new` whose callee resolves to a client it knows is read
// with its options object.

// jvKind is what a JavaScript expression evaluated to.
type jvKind uint8

const (
	jvUnknown jvKind = iota
	jvNum
	jvStr
	jvNone // null, undefined
	jvEnv  // process.env.X: s; dflt the fallback
	jvRef  // an import or global by canonical name: "axios", "axios.create", "global.fetch"
	jvObj  // an object literal between brackets at open
	jvInst // what a constructor or factory made
	jvMeth // a method (s) of an instance
	jvParam
	jvBool
)

type jv struct {
	k      jvKind
	n      num
	s      string
	open   int // jvObj: the brace
	inst   *jsInst
	fn     *jsFunc
	param  int
	dflt   *jv
	start  int
	end    int
	why    string
	viaVar string
	viaAt  int
}

// jsInst is an object a known constructor or factory made.
type jsInst struct {
	ctor    string // "axios.create", "got.extend", "sdk:<service>", "sdk2:<service>", "AbortController", "NodeHttpHandler"
	service string
	open    int // the call's bracket
	start   int // the callee's first token (the `new`)
	args    []arg
	methods []int
	ops     []string
}

// jsFunc is a function declaration or arrow function with named
// parameters.
type jsFunc struct {
	name       string
	open, cl   int // the parameter list's brackets
	body, end  int // the body's tokens
	params     []arg
	returnExpr [2]int
	callers    []int // '(' tokens of calls of it by name
}

type jsDecl struct {
	at         int // the name's token
	start, end int // the value's tokens
}

type jsScan struct {
	*tk
	fs    *fileScan
	lang  string
	alias map[string]string
	decls map[string][]jsDecl
	funcs []*jsFunc
	insts map[int]*jsInst
	busy  map[int]bool
	calls []jsCall
}

type jsCall struct {
	kind   string // "fetch", "axios", "got"
	open   int
	start  int
	name   string
	args   []arg
	inst   *jsInst
	method string
}

func scanJS(path string, data []byte, lang string, im *inlineMap) *fileScan {
	s := &jsScan{tk: newTK(path, data, false, im), fs: &fileScan{path: path, lang: lang}, lang: lang,
		alias: map[string]string{}, decls: map[string][]jsDecl{}, insts: map[int]*jsInst{}, busy: map[int]bool{}}
	s.structure()
	s.findCalls()
	s.finish()
	return s.fs
}

// stmtEnd is where the expression starting at i ends: a ; or , at its
// depth, a closing bracket, or a line break after which the code cannot
// continue it.
func (s *jsScan) stmtEnd(i int, comma bool) int {
	if i >= len(s.Toks) {
		return i
	}
	base := s.depth[i]
	for k := i; k < len(s.Toks); k++ {
		d := s.depth[k]
		if d < base {
			return k
		}
		if d > base {
			continue
		}
		if s.Is(k, ";") || comma && s.Is(k, ",") {
			return k
		}
		if k > i && s.Toks[k].NL && s.ends(k-1) && s.starts(k) {
			return k
		}
	}
	return len(s.Toks)
}

// ends reports whether token k can end an expression.
func (s *jsScan) ends(k int) bool {
	t := s.Toks[k]
	switch t.Kind {
	case srctok.Ident:
		switch s.Text(k) {
		case "new", "await", "return", "typeof", "in", "of", "instanceof", "as", "satisfies", "keyof", "void", "delete":
			return false
		}
		return true
	case srctok.Number, srctok.String, srctok.Regex:
		return true
	}
	return s.Is(k, ")") || s.Is(k, "]") || s.Is(k, "}") || s.Is(k, "++") || s.Is(k, "--") || s.Is(k, "!")
}

// starts reports whether token k begins a new statement rather than
// continuing the one before.
func (s *jsScan) starts(k int) bool {
	t := s.Toks[k]
	if t.Kind == srctok.Ident {
		switch s.Text(k) {
		case "as", "satisfies", "in", "of", "instanceof":
			return false
		}
		return true
	}
	return t.Kind != srctok.Punct || s.Is(k, "(") && false || s.Is(k, "[") && false || s.Is(k, "{") || s.Is(k, "!") || s.Is(k, "++") || s.Is(k, "--") || s.Is(k, "@")
}

// structure reads imports, declarations, functions.
func (s *jsScan) structure() {
	n := len(s.Toks)
	for i := 0; i < n; i++ {
		switch {
		case s.Is(i, "import") && !s.Is(i-1, ".") && !s.Is(i+1, "("):
			s.importDecl(i)
		case (s.Is(i, "const") || s.Is(i, "let") || s.Is(i, "var")) && !s.Is(i-1, "."):
			s.varDecl(i + 1)
		case s.Is(i, "function") && s.Is(i+1, "*") && s.IsIdent(i+2) && s.Is(i+3, "("):
			s.function(s.Text(i+2), i+3)
		case s.Is(i, "function") && s.IsIdent(i+1) && s.Is(i+2, "("):
			s.function(s.Text(i+1), i+2)
		case s.Is(i, "=>") && s.Is(i-1, ")"):
			// (a, b = 1) => ...: named when assigned (const f = (...) =>).
			o := s.close(i - 1)
			name := ""
			k := o - 1
			if s.Is(k, "async") {
				k--
			}
			if s.Is(k, "=") && s.IsIdent(k-1) {
				name = s.Text(k - 1)
			}
			if o >= 0 {
				s.arrow(name, o, i)
			}
		case s.Is(i, "require") && s.Is(i+1, "(") && !s.Is(i-1, "."):
			if spec, ok := s.strValue(i + 2); ok {
				s.fs.imports = append(s.fs.imports, spec)
			}
		case s.Is(i, "import") && s.Is(i+1, "("):
			if spec, ok := s.strValue(i + 2); ok {
				s.fs.imports = append(s.fs.imports, spec)
			}
		case s.Is(i, "=") && s.depth[i] >= 0 && !s.Is(i-2, "const") && !s.Is(i-2, "let") && !s.Is(i-2, "var"):
			// a.b.c = value (axios.defaults.timeout = 5000).
			k := i - 1
			for k-2 >= 0 && s.IsIdent(k) && s.Is(k-1, ".") && s.IsIdent(k-2) {
				k -= 2
			}
			if s.IsIdent(k) && k < i-1 && !s.Is(k-1, ".") {
				name := s.chainText(k, i)
				end := s.stmtEnd(i+1, false)
				s.decls[name] = append(s.decls[name], jsDecl{at: k, start: i + 1, end: end})
			}
		}
	}
}

func (s *jsScan) chainText(i, j int) string {
	var b strings.Builder
	for k := i; k < j; k++ {
		switch {
		case (k-i)%2 == 0 && s.IsIdent(k):
		case (k-i)%2 == 1 && (s.Is(k, ".") || s.Is(k, "?.")):
		default:
			return ""
		}
		if s.Is(k, "?.") {
			b.WriteString(".")
		} else {
			b.WriteString(s.Text(k))
		}
	}
	return b.String()
}

// importDecl reads import X, { a as b } from 'm' and import * as X from 'm'.
func (s *jsScan) importDecl(i int) {
	k := i + 1
	if s.Is(k, "type") && !s.Is(k+1, "from") && !s.Is(k+1, ",") {
		return // import type ...: nothing at run time
	}
	end := k
	for end < len(s.Toks) && !s.Is(end, "from") && s.Toks[end].Kind != srctok.String {
		end++
	}
	specTok := end
	if s.Is(end, "from") {
		specTok = end + 1
	}
	spec, ok := s.strValue(specTok)
	if !ok {
		return
	}
	s.fs.imports = append(s.fs.imports, spec)
	for k < end {
		switch {
		case s.Is(k, "*") && s.Is(k+1, "as") && s.IsIdent(k+2):
			s.alias[s.Text(k+2)] = spec
			k += 3
		case s.Is(k, "{"):
			cl := s.close(k)
			if cl < 0 {
				return
			}
			s.namedImports(k, cl, spec)
			k = cl + 1
		case s.IsIdent(k) && !s.Is(k, "type"):
			s.alias[s.Text(k)] = spec
			k++
		default:
			k++
		}
	}
}

// namedImports reads { a, b as c, default as d } (and the same
// destructuring of a require()).
func (s *jsScan) namedImports(open, cl int, spec string) {
	for _, part := range s.splitAt(open+1, cl) {
		a, b := part[0], part[1]
		if s.Is(a, "type") && b-a > 1 {
			a++
		}
		if !s.IsIdent(a) {
			continue
		}
		name := s.Text(a)
		local := name
		switch {
		case b-a == 3 && (s.Is(a+1, "as") || s.Is(a+1, ":")) && s.IsIdent(a+2):
			local = s.Text(a + 2)
		case b-a != 1:
			continue
		}
		if name == "default" {
			s.alias[local] = spec
		} else {
			s.alias[local] = spec + "." + name
		}
	}
}

// splitAt splits tokens [i, j) at commas of their own depth.
func (s *jsScan) splitAt(i, j int) [][2]int {
	if i >= j {
		return nil
	}
	base := s.depth[i]
	var out [][2]int
	start := i
	for k := i; k < j; k++ {
		if s.depth[k] == base && s.Is(k, ",") {
			if k > start {
				out = append(out, [2]int{start, k})
			}
			start = k + 1
		}
	}
	if j > start {
		out = append(out, [2]int{start, j})
	}
	return out
}

// varDecl reads the declarators after const/let/var at i.
func (s *jsScan) varDecl(i int) {
	for i < len(s.Toks) {
		switch {
		case s.IsIdent(i):
			name := s.Text(i)
			k := i + 1
			if s.Is(k, "!") {
				k++
			}
			if s.Is(k, ":") {
				// a type annotation, up to the =, at this depth
				for k < len(s.Toks) && !(s.Is(k, "=") && s.depth[k] == s.depth[i]) && !(s.Is(k, ";") && s.depth[k] == s.depth[i]) {
					k++
				}
			}
			if !s.Is(k, "=") {
				return
			}
			end := s.stmtEnd(k+1, true)
			s.decls[name] = append(s.decls[name], jsDecl{at: i, start: k + 1, end: end})
			if s.Is(end, ",") && s.depth[end] == s.depth[i] {
				i = end + 1
				continue
			}
			return
		case s.Is(i, "{"):
			// const { a, b: c } = require('m') / = obj
			cl := s.close(i)
			if cl < 0 || !s.Is(cl+1, "=") {
				return
			}
			if s.Is(cl+2, "require") && s.Is(cl+3, "(") {
				if spec, ok := s.strValue(cl + 4); ok {
					s.namedImports(i, cl, spec)
				}
			} else if s.Is(cl+2, "await") && s.Is(cl+3, "import") && s.Is(cl+4, "(") {
				if spec, ok := s.strValue(cl + 5); ok {
					s.namedImports(i, cl, spec)
				}
			}
			return
		default:
			return
		}
	}
}

// function records a function whose parameters open at open.
func (s *jsScan) function(name string, open int) {
	cl := s.close(open)
	if cl < 0 {
		return
	}
	body := cl + 1
	for body < len(s.Toks) && !s.Is(body, "{") {
		if s.Is(body, ";") {
			return // an overload signature
		}
		body++
	}
	end := s.close(body)
	if end < 0 {
		return
	}
	f := &jsFunc{name: name, open: open, cl: cl, body: body, end: end, params: s.args(open, false)}
	f.returnExpr = s.returnOf(body, end)
	s.funcs = append(s.funcs, f)
}

// arrow records an arrow function (params) => body.
func (s *jsScan) arrow(name string, open, arrowTok int) {
	cl := s.close(open)
	f := &jsFunc{name: name, open: open, cl: cl, params: s.args(open, false)}
	if s.Is(arrowTok+1, "{") {
		f.body, f.end = arrowTok+1, s.close(arrowTok+1)
		if f.end < 0 {
			return
		}
		f.returnExpr = s.returnOf(f.body, f.end)
	} else {
		f.body = arrowTok + 1
		f.end = s.stmtEnd(arrowTok+1, true)
		f.returnExpr = [2]int{arrowTok + 1, f.end}
	}
	s.funcs = append(s.funcs, f)
}

// returnOf is the expression of a body's only top-level return.
func (s *jsScan) returnOf(body, end int) [2]int {
	found := [2]int{-1, -1}
	n := 0
	for k := body + 1; k < end; k++ {
		if s.depth[k] == s.depth[body]+1 && s.Is(k, "return") {
			n++
			found = [2]int{k + 1, s.stmtEnd(k+1, false)}
		}
	}
	if n != 1 {
		return [2]int{-1, -1}
	}
	return found
}

// param splits a parameter "name = default" (or "name: T = default").
func (s *jsScan) paramName(a arg) (string, int) {
	k := a.from
	if s.Is(k, "...") {
		return "", -1
	}
	if !s.IsIdent(k) {
		return "", -1
	}
	name := s.Text(k)
	for m := k; m < a.end; m++ {
		if s.Is(m, "=") && s.depth[m] == s.depth[k] {
			return name, m + 1
		}
	}
	return name, -1
}

// funcAt is the innermost function whose body holds token i.
func (s *jsScan) funcAt(i int) *jsFunc {
	var best *jsFunc
	for _, f := range s.funcs {
		if f.open < i && i < f.end && (best == nil || f.open > best.open) {
			best = f
		}
	}
	return best
}

// insertMember is the edit that adds a member (text, e.g. "timeout:
// 24000") to the object literal whose brace is at open, in its layout.
func (s *jsScan) insertMember(open int, text string) []finding.TextEdit {
	cl := s.close(open)
	if cl < 0 {
		return nil
	}
	if cl == open+1 {
		return s.edit(s.Toks[open].End, s.Toks[cl].Start, " "+text+" ")
	}
	return s.insertArg(open, text)
}
