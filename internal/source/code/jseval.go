package code

import (
	"strconv"
	"strings"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/source/srctok"
)

var jsGlobals = map[string]bool{"fetch": true, "AbortSignal": true, "AbortController": true, "setTimeout": true, "process": true,
	"Number": true, "parseInt": true, "parseFloat": true, "String": true, "Math": true, "require": true}

// eval evaluates tokens [i, j).
func (s *jsScan) eval(i, j, depth int) jv {
	if i >= j || i < 0 || j > len(s.Toks) {
		return jv{why: "an empty expression"}
	}
	if depth > maxDepth {
		return jv{why: "too deep a chain of variables"}
	}
	base := s.depth[i]
	// a ?? b, a || b: the variable with its fallback.
	for k := i + 1; k < j; k++ {
		if s.depth[k] == base && (s.Is(k, "??") || s.Is(k, "||")) {
			l := s.eval(i, k, depth+1)
			r := s.eval(k+1, j, depth+1)
			if l.k == jvEnv && l.dflt == nil {
				l.dflt = &r
				return l
			}
			if l.k == jvUnknown || l.k == jvNone {
				return r
			}
			return l
		}
	}
	for k := i + 1; k < j; k++ {
		if s.depth[k] == base && s.Is(k, "?") {
			return jv{why: "a conditional expression"}
		}
	}
	for k := i + 1; k < j; k++ {
		if s.depth[k] == base && (s.Is(k, "*") || s.Is(k, "/") || s.Is(k, "+")) {
			l, r := s.asNum(s.eval(i, k, depth+1)), s.asNum(s.eval(k+1, j, depth+1))
			if l.k == numKnown && r.k == numKnown {
				v := l.v * r.v
				switch s.Text(k) {
				case "/":
					if r.v == 0 {
						return jv{why: "a division by zero"}
					}
					v = l.v / r.v
				case "+":
					v = l.v + r.v
				}
				return jv{k: jvNum, n: knownNum(v, s.tokRange(i, j), nil), start: i, end: j}
			}
			if l.k == numEnv && r.k == numKnown && s.Is(k, "*") {
				l.scale = r.v
				return jv{k: jvNum, n: l, start: i, end: j}
			}
			return jv{why: "arithmetic gatelint does not evaluate"}
		}
	}
	// Casts and assertions: x as T, x satisfies T, x!.
	for k := i + 1; k < j; k++ {
		if s.depth[k] == base && (s.Is(k, "as") || s.Is(k, "satisfies")) {
			return s.eval(i, k, depth+1)
		}
	}
	if s.Is(j-1, "!") && j-1 > i {
		j--
	}
	if s.Is(i, "await") || s.Is(i, "void") {
		return s.eval(i+1, j, depth+1)
	}
	v, k := s.chain(i, j, depth)
	if k != j {
		return jv{why: "an expression gatelint does not evaluate (" + s.snippet(i, j) + ")", start: i, end: j}
	}
	v.start, v.end = i, j
	return v
}

func (s *jsScan) snippet(i, j int) string {
	if i >= j || j > len(s.Toks) {
		return ""
	}
	t := strings.Join(strings.Fields(string(s.Src[s.Toks[i].Start:s.Toks[j-1].End])), " ")
	if len(t) > 60 {
		t = t[:57] + "..."
	}
	return t
}

// chain evaluates a primary and its trailers.
func (s *jsScan) chain(i, j, depth int) (jv, int) {
	var cur jv
	k := i
	switch {
	case s.Is(i, "new"):
		// new X.Y(args)
		c := i + 1
		for c+2 < j && s.IsIdent(c) && s.Is(c+1, ".") {
			c += 2
		}
		if !s.IsIdent(c) {
			return jv{why: "a new expression gatelint does not follow"}, i
		}
		callee, _ := s.chain(i+1, c+1, depth+1)
		k = c + 1
		if s.Is(k, "<") {
			// new X<T>(...)
			for k < j && !s.Is(k, "(") {
				k++
			}
		}
		if !s.Is(k, "(") {
			return jv{why: "new without arguments"}, k
		}
		cl := s.close(k)
		if cl < 0 || cl >= j {
			return jv{why: "an unclosed bracket"}, k
		}
		cur = s.construct(callee, i, k, depth)
		k = cl + 1
	case s.IsIdent(i):
		n := i
		for n+2 < j && (s.Is(n+1, ".") || s.Is(n+1, "?.")) && s.IsIdent(n+2) {
			n += 2
		}
		found := false
		for m := n; m > i; m -= 2 {
			name := s.chainText(i, m+1)
			if ds := s.decls[name]; len(ds) > 0 {
				cur, k, found = s.variable(name, ds, i, depth), m+1, true
				break
			}
		}
		if !found {
			cur, k = s.name(s.Text(i), i, depth), i+1
		}
	case s.Is(i, "("):
		c := s.close(i)
		if c < 0 || c >= j {
			return jv{why: "an unclosed bracket"}, i
		}
		cur, k = s.eval(i+1, c, depth+1), c+1
	case s.Is(i, "{"):
		c := s.close(i)
		if c < 0 || c >= j {
			return jv{why: "an unclosed bracket"}, i
		}
		cur, k = jv{k: jvObj, open: i}, c+1
	case s.Toks[i].Kind == srctok.String:
		str, ok := s.strValue(i)
		if !ok {
			return jv{why: "a template literal", start: i, end: i + 1}, i + 1
		}
		cur, k = jv{k: jvStr, s: str, start: i, end: i + 1}, i+1
	case s.Toks[i].Kind == srctok.Number:
		v, _ := s.numValue(i)
		cur, k = jv{k: jvNum, n: knownNum(v, s.tokRange(i, i+1), s.replaceTok(i, i+1)), start: i, end: i + 1}, i+1
	default:
		return jv{why: "an expression gatelint does not evaluate"}, i
	}
	for k < j {
		switch {
		case (s.Is(k, ".") || s.Is(k, "?.")) && s.IsIdent(k+1):
			cur = s.attr(cur, s.Text(k+1))
			k += 2
		case s.Is(k, "!"):
			k++
		case s.Is(k, "("), s.Is(k, "?.") && s.Is(k+1, "("):
			if s.Is(k, "?.") {
				k++
			}
			c := s.close(k)
			if c < 0 || c >= j {
				return jv{why: "an unclosed bracket"}, k
			}
			cur = s.call(cur, k, depth)
			k = c + 1
		case s.Is(k, "["):
			c := s.close(k)
			if c < 0 || c >= j {
				return jv{why: "an unclosed bracket"}, k
			}
			idx := s.eval(k+1, c, depth+1)
			if cur.k == jvRef && cur.s == "process.env" && idx.k == jvStr {
				cur = jv{k: jvEnv, s: idx.s}
			} else {
				cur = jv{why: "an index gatelint does not evaluate"}
			}
			k = c + 1
		case s.Is(k, "<"):
			// a call's type arguments: f<T>(...)
			m := k
			for m < j && !s.Is(m, "(") && !s.Is(m, ";") {
				m++
			}
			if m < j && s.Is(m, "(") {
				k = m
				continue
			}
			return cur, k
		default:
			return cur, k
		}
	}
	return cur, k
}

func (s *jsScan) attr(cur jv, name string) jv {
	switch cur.k {
	case jvRef:
		if cur.s == "process.env" {
			return jv{k: jvEnv, s: name}
		}
		return jv{k: jvRef, s: cur.s + "." + name}
	case jvInst:
		return jv{k: jvMeth, inst: cur.inst, s: name}
	case jvObj:
		if m, ok := s.member(cur.open, name); ok {
			return s.eval(m[0], m[1], 1)
		}
	}
	return jv{why: "a property gatelint does not follow"}
}

// name resolves an identifier at token at.
func (s *jsScan) name(name string, at, depth int) jv {
	switch name {
	case "null", "undefined":
		return jv{k: jvNone}
	case "true", "false":
		return jv{k: jvBool, s: name}
	case "Infinity":
		return jv{k: jvNone}
	}
	for f := s.funcAt(at); f != nil; f = s.outer(f) {
		for pi, p := range f.params {
			if pn, _ := s.paramName(p); pn == name && at > f.cl {
				return jv{k: jvParam, fn: f, param: pi, s: name}
			}
		}
	}
	if ds := s.decls[name]; len(ds) > 0 {
		return s.variable(name, ds, at, depth)
	}
	if full, ok := s.alias[name]; ok {
		return jv{k: jvRef, s: full}
	}
	for _, f := range s.funcs {
		if f.name == name {
			return jv{k: jvRef, s: "local:" + name, fn: f}
		}
	}
	if jsGlobals[name] {
		if name == "process" {
			return jv{k: jvRef, s: "process"}
		}
		return jv{k: jvRef, s: "global." + name}
	}
	return jv{why: "name " + name + " is not defined in this file"}
}

// outer is the function around f.
func (s *jsScan) outer(f *jsFunc) *jsFunc {
	var best *jsFunc
	for _, g := range s.funcs {
		if g != f && g.open < f.open && f.end <= g.end && (best == nil || g.open > best.open) {
			best = g
		}
	}
	return best
}

// variable evaluates the declaration of name that holds at token at:
// the last one before it, else the first.
func (s *jsScan) variable(name string, ds []jsDecl, at, depth int) jv {
	d := ds[0]
	for _, x := range ds {
		if x.at < at {
			d = x
		}
	}
	if s.busy[d.start] {
		return jv{why: "variable " + name + " refers to itself"}
	}
	s.busy[d.start] = true
	defer delete(s.busy, d.start)
	v := s.eval(d.start, d.end, depth+1)
	if v.viaVar == "" {
		v.viaVar, v.viaAt = name, d.at
	}
	return v
}

// member finds key in the object literal at open: the value's tokens.
// A shorthand member's value is the name itself.
func (s *jsScan) member(open int, key string) ([2]int, bool) {
	cl := s.close(open)
	if cl < 0 {
		return [2]int{}, false
	}
	for _, part := range s.splitAt(open+1, cl) {
		a, b := part[0], part[1]
		k, ok := s.keyOf(a)
		if !ok || k != key {
			continue
		}
		if b == a+1 {
			return [2]int{a, b}, true // shorthand
		}
		if s.Is(a+1, ":") {
			return [2]int{a + 2, b}, true
		}
	}
	return [2]int{}, false
}

// memberRange is the whole member key: value, for edits.
func (s *jsScan) memberRange(open int, key string) ([2]int, bool) {
	cl := s.close(open)
	if cl < 0 {
		return [2]int{}, false
	}
	for _, part := range s.splitAt(open+1, cl) {
		if k, ok := s.keyOf(part[0]); ok && k == key {
			return part, true
		}
	}
	return [2]int{}, false
}

// hasSpread reports whether the object literal at open spreads another.
func (s *jsScan) hasSpread(open int) bool {
	cl := s.close(open)
	for _, part := range s.splitAt(open+1, cl) {
		if s.Is(part[0], "...") {
			return true
		}
	}
	return false
}

func (s *jsScan) keyOf(a int) (string, bool) {
	if s.IsIdent(a) {
		return s.Text(a), true
	}
	if str, ok := s.strValue(a); ok && s.Toks[a].Kind == srctok.String {
		return str, true
	}
	return "", false
}

// prop evaluates a member of an options object v.
func (s *jsScan) prop(v jv, key string) (jv, bool) {
	if v.k != jvObj {
		return jv{}, false
	}
	m, ok := s.member(v.open, key)
	if !ok {
		return jv{}, false
	}
	r := s.eval(m[0], m[1], 1)
	if m[1] == m[0]+1 && r.viaVar == "" && s.IsIdent(m[0]) && r.k != jvParam {
		r.viaVar, r.viaAt = s.Text(m[0]), m[0]
	}
	return r, true
}

// call evaluates a call of callee with brackets at open.
func (s *jsScan) call(callee jv, open, depth int) jv {
	if callee.k != jvRef && callee.k != jvMeth {
		return jv{why: "the result of a call"}
	}
	args := s.args(open, false)
	switch callee.k {
	case jvRef:
		switch callee.s {
		case "global.Number", "global.parseInt", "global.parseFloat", "global.String", "global.Math.round", "global.Math.floor", "global.Math.ceil":
			if a, ok := positional(args, 0); ok {
				return s.eval(a.start, a.end, depth+1)
			}
		case "global.require":
			if a, ok := positional(args, 0); ok {
				if spec, ok := s.strValue(a.start); ok && a.end == a.start+1 {
					return jv{k: jvRef, s: spec}
				}
			}
		case "global.AbortSignal.timeout":
			if a, ok := positional(args, 0); ok {
				return jv{k: jvInst, inst: &jsInst{ctor: "AbortSignal.timeout", open: open, args: args}, n: s.asNum(s.eval(a.start, a.end, depth+1))}
			}
		case "axios.create", "axios.default.create", "got.extend":
			return jv{k: jvInst, inst: s.inst(strings.TrimSuffix(strings.Replace(callee.s, ".default", "", 1), ""), "", open, open, args)}
		}
		if strings.HasPrefix(callee.s, "local:") && callee.fn != nil {
			f := callee.fn
			if f.returnExpr[0] >= 0 && !s.busy[f.open] {
				s.busy[f.open] = true
				defer delete(s.busy, f.open)
				return s.eval(f.returnExpr[0], f.returnExpr[1], depth+1)
			}
		}
	case jvMeth:
		if callee.inst.ctor == "axios.create" && callee.s == "create" {
			return jv{k: jvInst, inst: s.inst("axios.create", "", open, open, args)}
		}
	}
	return jv{why: "the result of a call"}
}

// construct evaluates new callee(args) with the `new` at at and the
// bracket at open.
func (s *jsScan) construct(callee jv, at, open, depth int) jv {
	args := s.args(open, false)
	if callee.k != jvRef {
		return jv{why: "an object of a class gatelint does not know"}
	}
	name := callee.s
	switch {
	case name == "global.AbortController":
		return jv{k: jvInst, inst: s.inst("AbortController", "", at, open, args)}
	case strings.HasSuffix(name, ".NodeHttpHandler") || strings.HasSuffix(name, ".FetchHttpHandler"):
		return jv{k: jvInst, inst: s.inst("NodeHttpHandler", "", at, open, args)}
	case strings.HasPrefix(name, "@aws-sdk/client-") && strings.HasSuffix(name, "Client"):
		mod := strings.TrimPrefix(name[:strings.LastIndexByte(name, '.')], "@aws-sdk/client-")
		return jv{k: jvInst, inst: s.inst("sdk", mod, at, open, args)}
	case strings.HasPrefix(name, "@aws-sdk/lib-dynamodb.") && (strings.HasSuffix(name, "DocumentClient") || strings.HasSuffix(name, ".DynamoDBDocument")):
		return jv{k: jvInst, inst: s.inst("sdk", "dynamodb", at, open, args)}
	case strings.HasPrefix(name, "aws-sdk."):
		svc := strings.TrimPrefix(name, "aws-sdk.")
		if strings.HasPrefix(svc, "DynamoDB.") {
			svc = "DynamoDB"
		}
		return jv{k: jvInst, inst: s.inst("sdk2", strings.ToLower(svc), at, open, args)}
	case strings.HasPrefix(name, "aws-sdk/clients/"):
		svc := strings.TrimPrefix(name, "aws-sdk/clients/")
		svc, _, _ = strings.Cut(svc, ".")
		return jv{k: jvInst, inst: s.inst("sdk2", strings.ToLower(svc), at, open, args)}
	}
	return jv{why: "an object of " + name}
}

// inst is the instance made at open, once.
func (s *jsScan) inst(ctor, svc string, at, open int, args []arg) *jsInst {
	if in, ok := s.insts[open]; ok {
		return in
	}
	start := at
	if at == open {
		start = s.calleeStart(open)
	}
	in := &jsInst{ctor: ctor, service: svc, open: open, start: start, args: args}
	s.insts[open] = in
	return in
}

// asNum reads v as one number (milliseconds, as JavaScript writes them).
func (s *jsScan) asNum(v jv) num {
	var n num
	switch v.k {
	case jvNum:
		n = v.n
	case jvNone:
		n = num{k: numNone, at: s.tokRange(v.start, v.end), edit: s.replaceTok(v.start, v.end)}
	case jvStr:
		f, err := strconv.ParseFloat(strings.TrimSpace(v.s), 64)
		if err != nil {
			return unknownNum("the string " + strconv.Quote(v.s) + " is not a number")
		}
		n = knownNum(f, s.tokRange(v.start, v.end), nil)
		if v.end == v.start+1 {
			rep := s.replaceTok(v.start, v.end)
			q := string(s.Text(v.start)[0])
			n.edit = func(t string) []finding.TextEdit { return rep(q + t + q) }
		}
	case jvEnv:
		n = num{k: numEnv, env: v.s}
		if v.dflt != nil {
			d := s.asNum(*v.dflt)
			n.dflt = &d
		}
	case jvParam:
		n = s.paramNum(v)
	default:
		why := v.why
		if why == "" {
			why = "not a number"
		}
		return unknownNum(why)
	}
	if v.viaVar != "" {
		n = n.through("variable "+v.viaVar, s.tokRange(v.viaAt, v.viaAt+1))
	}
	return n
}

// paramNum is the largest of a parameter's default and what this file's
// calls of its function pass.
func (s *jsScan) paramNum(v jv) num {
	f := v.fn
	p := f.params[v.param]
	name, dflt := s.paramName(p)
	var cands []num
	if dflt >= 0 {
		cands = append(cands, s.asNum(s.eval(dflt, p.end, 1)))
	}
	if f.name != "" {
		if f.callers == nil {
			f.callers = []int{}
			for _, i := range s.callsNamed(f.name) {
				if !s.Is(i-2, "function") && i != f.open {
					f.callers = append(f.callers, i)
				}
			}
		}
		for _, i := range f.callers {
			if a, ok := positional(s.args(i, false), v.param); ok {
				cands = append(cands, s.asNum(s.eval(a.start, a.end, 1)))
			}
		}
	}
	if len(cands) == 0 {
		return unknownNum("parameter " + name + " of " + f.name + " has no default and no call in this file passes it")
	}
	best := cands[0]
	for _, c := range cands[1:] {
		if worse(c, best) {
			best = c
		}
	}
	what := "parameter " + name
	if f.name != "" {
		what += " of " + f.name
	}
	return best.through(what, s.tokRange(p.from, p.from+1))
}
