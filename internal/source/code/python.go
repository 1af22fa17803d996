package code

import (
	"sort"
	"strings"

	"github.com/gatelint/gatelint/internal/source/srctok"
)

// The Python scanner works on tokens: logical lines (a line break outside
// brackets), their indentation (which closes a def), imports (which name
// the libraries), assignments and with-statements (which give variables
// their values), and every call whose callee resolves to a client it
// knows. Values are evaluated as far as literals, variables, parameters
// with defaults, os.environ and a few conversions go; everything else is
// unknown with a reason.

// pyDef is a def or class: its header's first token, the token after
// its colon, and the first token past its body.
type pyDef struct {
	name             string
	class            bool
	indent           int
	start, body, end int
	params           []arg // defaults in start/end; name in name
	parent           *pyDef
	returns          [][2]int // the expressions its top-level returns give
	open, close      int      // the parameter list's brackets
	callers          []int    // '(' tokens of calls to it in this file
}

type pyAssign struct {
	scope      *pyDef
	at         int // the target's first token
	start, end int // the value's tokens
}

// pvKind is what a Python expression evaluated to.
type pvKind uint8

const (
	pvUnknown pvKind = iota
	pvNum            // a number (or a None, or an environment variable read as one)
	pvStr
	pvNone
	pvEnv   // os.environ[...] and friends: s is the name, items[0] the fallback
	pvRef   // a module, function or class by canonical name (s)
	pvObj   // an object a known constructor made
	pvMeth  // a method (s) of an object (obj)
	pvTuple // items
	pvDict  // dict
	pvParam // a parameter of a def (param)
	pvBool
)

type pv struct {
	k      pvKind
	n      num
	s      string
	items  []pv
	dict   map[string]pv
	obj    *pyObj
	def    *pyDef
	param  int
	start  int // the expression's tokens
	end    int
	dflt   *pv
	why    string
	viaVar string // the variable it was read through
	viaAt  [2]int
}

// pyObj is an object made by a constructor call at open.
type pyObj struct {
	ctor    string
	open    int
	start   int // the callee's first token
	args    []arg
	service string
	// methods are the calls made on it: '(' tokens and method names.
	methods []int
	names   []string
	mounts  []pv // a requests.Session's mounted adapters
}

type pyScan struct {
	*tk
	fs      *fileScan
	logical []bool
	next    []int // for a logical line's first token, the next one's
	indent  []int
	defs    []*pyDef
	alias   map[string]string
	assigns map[string][]pyAssign
	objs    map[int]*pyObj
	busy    map[int]bool
	// sockDefault is socket.setdefaulttimeout's argument, when called.
	sockDefault *pv
	calls       []pyCall
}

// pyCall is a recognized outbound call, finished into rawCalls once the
// whole file is read (a session's adapters may be mounted after).
type pyCall struct {
	kind   string // "requests", "httpx", "urlopen", "aiohttp", "urllib3"
	open   int
	start  int
	name   string // the callee as written
	args   []arg
	recv   *pyObj
	method string
}

func scanPython(path string, data []byte, im *inlineMap) *fileScan {
	s := &pyScan{tk: newTK(path, data, true, im), fs: &fileScan{path: path, lang: Python},
		alias: map[string]string{}, assigns: map[string][]pyAssign{}, objs: map[int]*pyObj{}, busy: map[int]bool{}}
	s.lines()
	s.structure()
	s.findCalls()
	s.finish()
	return s.fs
}

// lines marks logical lines: a token after a line break outside brackets.
func (s *pyScan) lines() {
	n := len(s.Toks)
	s.logical = make([]bool, n)
	s.next = make([]int, n)
	s.indent = make([]int, n)
	d := 0
	last := -1
	for i, x := range s.Toks {
		if i == 0 || x.NL && d == 0 {
			s.logical[i] = true
			if last >= 0 {
				s.next[last] = i
			}
			last = i
			s.indent[i] = x.Start - s.LineStart(x.Start)
		}
		if x.Kind == srctok.Punct && x.End-x.Start == 1 {
			switch s.Src[x.Start] {
			case '(', '[', '{':
				d++
			case ')', ']', '}':
				d = max(d-1, 0)
			}
		}
	}
	if last >= 0 {
		s.next[last] = n
	}
}

// structure reads defs, classes, imports and assignments, line by line.
func (s *pyScan) structure() {
	var stack []*pyDef
	for i := 0; i < len(s.Toks); i++ {
		if !s.logical[i] {
			continue
		}
		ind := s.indent[i]
		for len(stack) > 0 && stack[len(stack)-1].indent >= ind {
			stack[len(stack)-1].end = i
			stack = stack[:len(stack)-1]
		}
		var cur *pyDef
		for k := len(stack) - 1; k >= 0; k-- {
			if !stack[k].class {
				cur = stack[k]
				break
			}
		}
		end := s.next[i]
		j := i
		if s.Is(j, "async") {
			j++
		}
		switch {
		case (s.Is(j, "def") || s.Is(j, "class")) && s.IsIdent(j+1):
			d := &pyDef{name: s.Text(j + 1), class: s.Is(j, "class"), indent: ind, start: i, end: len(s.Toks), open: -1, close: -1}
			if len(stack) > 0 {
				d.parent = stack[len(stack)-1]
			}
			k := j + 2
			if s.Is(k, "(") {
				d.open, d.close = k, s.close(k)
				if !d.class {
					d.params = s.args(k, true)
				}
				if d.close > 0 {
					k = d.close + 1
				}
			}
			for k < end && !(s.Is(k, ":") && s.depth[k] == s.depth[i]) {
				k++
			}
			d.body = k + 1
			s.defs = append(s.defs, d)
			stack = append(stack, d)
		case s.Is(j, "import") || s.Is(j, "from"):
			s.imports(j, end)
		case s.Is(j, "with"):
			s.with(j+1, end, cur)
		case s.Is(j, "return") && cur != nil && len(stack) > 0 && stack[len(stack)-1] == cur && j+1 < end:
			cur.returns = append(cur.returns, [2]int{j + 1, end})
		default:
			s.assignment(i, end, cur)
		}
	}
	for _, d := range stack {
		d.end = len(s.Toks)
	}
}

// imports reads `import a.b as c` and `from x import y as z`.
func (s *pyScan) imports(i, end int) {
	if s.Is(i, "import") {
		for _, part := range s.splitTop(i+1, end) {
			name, as := s.dotted(part[0], part[1])
			if name == "" {
				continue
			}
			s.fs.imports = append(s.fs.imports, name)
			if as != "" {
				s.alias[as] = name
			} else {
				first, _, _ := strings.Cut(name, ".")
				s.alias[first] = first
			}
		}
		return
	}
	// from X import ...
	k := i + 1
	mod := ""
	for k < end && !s.Is(k, "import") {
		mod += s.Text(k)
		k++
	}
	if k >= end {
		return
	}
	s.fs.imports = append(s.fs.imports, mod)
	from, to := k+1, end
	if s.Is(from, "(") && s.close(from) > 0 {
		from, to = from+1, s.close(from)
	}
	for _, part := range s.splitTop(from, to) {
		name, as := s.dotted(part[0], part[1])
		if name == "" || name == "*" {
			continue
		}
		full := mod + "." + name
		if strings.HasSuffix(mod, ".") {
			full = mod + name
		}
		s.fs.imports = append(s.fs.imports, full)
		if as == "" {
			as = name
		}
		s.alias[as] = strings.TrimLeft(full, ".")
	}
}

// dotted reads `a.b.c [as d]` in tokens [i, j).
func (s *pyScan) dotted(i, j int) (name, as string) {
	k := i
	for k < j && !s.Is(k, "as") {
		name += s.Text(k)
		k++
	}
	if s.Is(k, "as") && k+1 < j {
		as = s.Text(k + 1)
	}
	return name, as
}

// splitTop splits tokens [i, j) at commas outside brackets.
func (s *pyScan) splitTop(i, j int) [][2]int {
	var out [][2]int
	if i >= j {
		return nil
	}
	base := s.depth[i]
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

// with reads `with A as a, B as b:`.
func (s *pyScan) with(i, end int, scope *pyDef) {
	hdr := i
	for hdr < end && !(s.Is(hdr, ":") && s.depth[hdr] == s.depth[i]) {
		hdr++
	}
	from, to := i, hdr
	if s.Is(from, "(") && s.close(from) == hdr-1 {
		from, to = from+1, hdr-1
	}
	for _, part := range s.splitTop(from, to) {
		for k := part[0]; k < part[1]; k++ {
			if s.Is(k, "as") && s.depth[k] == s.depth[part[0]] {
				name := s.chainText(k+1, part[1])
				if name != "" {
					s.assigns[name] = append(s.assigns[name], pyAssign{scope: scope, at: k + 1, start: part[0], end: k})
				}
				break
			}
		}
	}
}

// chainText is the dotted name in tokens [i, j), or "" when they are
// something else.
func (s *pyScan) chainText(i, j int) string {
	var b strings.Builder
	for k := i; k < j; k++ {
		switch {
		case (k-i)%2 == 0 && s.IsIdent(k):
		case (k-i)%2 == 1 && s.Is(k, "."):
		default:
			return ""
		}
		b.WriteString(s.Text(k))
	}
	return b.String()
}

// assignment reads `name = value`, `self.x = value`, `name: T = value`.
func (s *pyScan) assignment(i, end int, scope *pyDef) {
	k := i
	for k+1 < end && s.IsIdent(k) && s.Is(k+1, ".") {
		k += 2
	}
	if !s.IsIdent(k) {
		return
	}
	name := s.chainText(i, k+1)
	k++
	if s.Is(k, ":") {
		for k < end && !s.Is(k, "=") {
			k++
		}
	}
	if !s.Is(k, "=") || k+1 >= end {
		return
	}
	if name == "" || strings.HasPrefix(name, "_") && false {
		return
	}
	// a = b = value: the value is the last part.
	start := k + 1
	for m := start; m+1 < end; m++ {
		if s.depth[m] == s.depth[i] && s.Is(m, "=") {
			start = m + 1
		}
	}
	s.assigns[name] = append(s.assigns[name], pyAssign{scope: scope, at: i, start: start, end: end})
}

// defAt is the innermost def (not class) holding token i: an ancestor
// of the last def that starts before it (defs are in source order).
func (s *pyScan) defAt(i int) *pyDef {
	k := sort.Search(len(s.defs), func(k int) bool { return s.defs[k].start >= i }) - 1
	if k < 0 {
		return nil
	}
	for d := s.defs[k]; d != nil; d = d.parent {
		if i < d.end && !d.class {
			return d
		}
	}
	return nil
}

// enclosing is the def around d, skipping classes.
func enclosing(d *pyDef) *pyDef {
	for p := d.parent; p != nil; p = p.parent {
		if !p.class {
			return p
		}
	}
	return nil
}
