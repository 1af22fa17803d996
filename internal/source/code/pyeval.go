package code

import (
	"strconv"
	"strings"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/source/srctok"
)

// pyCtors are the constructors whose objects the scanner follows, by
// canonical name.
var pyCtors = map[string]string{
	"requests.Session": "requests.Session", "requests.session": "requests.Session", "requests.sessions.Session": "requests.Session",
	"boto3.client": "boto3.client", "boto3.resource": "boto3.client",
	"boto3.Session": "boto3.Session", "boto3.session.Session": "boto3.Session",
	"botocore.config.Config": "Config", "botocore.client.Config": "Config",
	"httpx.Client": "httpx.Client", "httpx.AsyncClient": "httpx.Client", "httpx.Timeout": "httpx.Timeout",
	"aiohttp.ClientSession": "aiohttp.ClientSession", "aiohttp.ClientTimeout": "aiohttp.ClientTimeout",
	"urllib3.PoolManager": "urllib3.PoolManager", "urllib3.poolmanager.PoolManager": "urllib3.PoolManager",
	"urllib3.Timeout": "urllib3.Timeout", "urllib3.util.Timeout": "urllib3.Timeout", "urllib3.util.timeout.Timeout": "urllib3.Timeout",
	"urllib3.Retry": "Retry", "urllib3.util.Retry": "Retry", "urllib3.util.retry.Retry": "Retry",
	"requests.packages.urllib3.util.retry.Retry": "Retry", "requests.adapters.Retry": "Retry",
	"requests.adapters.HTTPAdapter": "HTTPAdapter",
}

const maxDepth = 12

// eval evaluates the expression in tokens [i, j).
func (s *pyScan) eval(i, j, depth int) pv {
	if i >= j || i < 0 || j > len(s.Toks) {
		return pv{why: "an empty expression"}
	}
	if depth > maxDepth {
		return pv{why: "too deep a chain of variables"}
	}
	base := s.depth[i]
	// Tuples, or, conditional expressions, products.
	if parts := s.splitTop(i, j); len(parts) > 1 {
		t := pv{k: pvTuple, start: i, end: j}
		for _, p := range parts {
			t.items = append(t.items, s.eval(p[0], p[1], depth+1))
		}
		return t
	}
	for k := i; k < j; k++ {
		if s.depth[k] != base {
			continue
		}
		switch s.Text(k) {
		case "or":
			l := s.eval(i, k, depth+1)
			r := s.eval(k+1, j, depth+1)
			if l.k == pvEnv && l.dflt == nil {
				l.dflt = &r
				return l
			}
			if l.k == pvUnknown || l.k == pvNone {
				return r
			}
			return l
		case "if":
			return s.eval(i, k, depth+1)
		case "lambda":
			return pv{why: "a lambda"}
		}
	}
	for k := i + 1; k < j; k++ {
		if s.depth[k] == base && (s.Is(k, "*") || s.Is(k, "/") || s.Is(k, "+")) {
			l, r := s.eval(i, k, depth+1), s.eval(k+1, j, depth+1)
			ln, rn := s.asNum(l), s.asNum(r)
			if ln.k == numKnown && rn.k == numKnown {
				v := ln.v * rn.v
				switch s.Text(k) {
				case "/":
					if rn.v == 0 {
						return pv{why: "a division by zero"}
					}
					v = ln.v / rn.v
				case "+":
					v = ln.v + rn.v
				}
				return pv{k: pvNum, n: knownNum(v, s.tokRange(i, j), nil), start: i, end: j}
			}
			if ln.k == numEnv && rn.k == numKnown && s.Is(k, "*") {
				ln.scale = rn.v
				return pv{k: pvNum, n: ln, start: i, end: j}
			}
			return pv{why: "arithmetic on " + s.Text(i) + " gatelint does not evaluate", start: i, end: j}
		}
	}
	if s.Is(i, "await") {
		return s.eval(i+1, j, depth+1)
	}
	if s.Is(i, "-") && j == i+2 {
		v := s.eval(i+1, j, depth+1)
		if v.k == pvNum && v.n.k == numKnown {
			v.n.v = -v.n.v
		}
		return v
	}
	v, k := s.chain(i, j, depth)
	if k != j {
		return pv{why: "an expression gatelint does not evaluate (" + s.snippet(i, j) + ")", start: i, end: j}
	}
	v.start, v.end = i, j
	return v
}

// snippet is tokens [i, j) as written, shortened.
func (s *pyScan) snippet(i, j int) string {
	if i >= j || j > len(s.Toks) {
		return ""
	}
	t := string(s.Src[s.Toks[i].Start:s.Toks[j-1].End])
	t = strings.Join(strings.Fields(t), " ")
	if len(t) > 60 {
		t = t[:57] + "..."
	}
	return t
}

// chain evaluates a primary and its trailers (.name, (args), [index]),
// returning where it stopped.
func (s *pyScan) chain(i, j, depth int) (pv, int) {
	var cur pv
	k := i
	switch {
	case s.IsIdent(i):
		// The longest dotted prefix a variable holds (self.client).
		n := i
		for n+2 < j && s.Is(n+1, ".") && s.IsIdent(n+2) {
			n += 2
		}
		found := false
		for m := n; m > i; m -= 2 {
			name := s.chainText(i, m+1)
			if as := s.assigns[name]; len(as) > 0 {
				cur, k, found = s.variable(name, as, i, depth).through(name, i), m+1, true
				break
			}
		}
		if !found {
			cur, k = s.name(s.Text(i), i, depth), i+1
		}
	case s.Is(i, "("):
		c := s.close(i)
		if c < 0 || c >= j {
			return pv{why: "an unclosed bracket"}, i
		}
		cur, k = s.eval(i+1, c, depth+1), c+1
	case s.Is(i, "{"):
		c := s.close(i)
		if c < 0 || c >= j {
			return pv{why: "an unclosed bracket"}, i
		}
		cur, k = s.dictLit(i, c, depth), c+1
	case s.Toks[i].Kind == srctok.String:
		k = i
		var b strings.Builder
		ok := true
		for k < j && s.Toks[k].Kind == srctok.String {
			t, good := s.strValue(k)
			ok = ok && good
			b.WriteString(t)
			k++
		}
		if !ok {
			return pv{why: "a formatted string", start: i, end: k}, k
		}
		cur = pv{k: pvStr, s: b.String(), start: i, end: k}
	case s.Toks[i].Kind == srctok.Number:
		v, _ := s.numValue(i)
		cur, k = pv{k: pvNum, n: knownNum(v, s.tokRange(i, i+1), s.replaceTok(i, i+1)), start: i, end: i + 1}, i+1
	default:
		return pv{why: "an expression gatelint does not evaluate"}, i
	}
	for k < j {
		switch {
		case s.Is(k, ".") && s.IsIdent(k+1):
			cur = s.attr(cur, s.Text(k+1))
			k += 2
		case s.Is(k, "("):
			c := s.close(k)
			if c < 0 || c >= j {
				return pv{why: "an unclosed bracket"}, k
			}
			cur = s.call(cur, k, depth)
			k = c + 1
		case s.Is(k, "["):
			c := s.close(k)
			if c < 0 || c >= j {
				return pv{why: "an unclosed bracket"}, k
			}
			idx := s.eval(k+1, c, depth+1)
			if cur.k == pvRef && cur.s == "os.environ" && idx.k == pvStr {
				cur = pv{k: pvEnv, s: idx.s}
			} else {
				cur = pv{why: "an index gatelint does not evaluate"}
			}
			k = c + 1
		default:
			return cur, k
		}
	}
	return cur, k
}

// through records that v was read through a variable.
func (v pv) through(name string, at int) pv {
	if v.viaVar == "" {
		v.viaVar = name
		v.viaAt = [2]int{at, at + 1}
	}
	return v
}

func (s *pyScan) attr(cur pv, name string) pv {
	switch cur.k {
	case pvRef:
		return pv{k: pvRef, s: cur.s + "." + name}
	case pvObj:
		return pv{k: pvMeth, obj: cur.obj, s: name}
	}
	return pv{why: "an attribute of " + kindWord(cur)}
}

func kindWord(v pv) string {
	if v.why != "" {
		return v.why
	}
	return "a value gatelint does not follow"
}

// name resolves a bare name at token at: a parameter, a variable of an
// enclosing def or the module, an import, a builtin.
func (s *pyScan) name(name string, at, depth int) pv {
	switch name {
	case "None":
		return pv{k: pvNone}
	case "True", "False":
		return pv{k: pvBool, s: name}
	}
	for d := s.defAt(at); d != nil; d = enclosing(d) {
		for pi, p := range d.params {
			pname := s.Text(p.from)
			if p.star || pname != name {
				continue
			}
			return pv{k: pvParam, def: d, param: pi, s: name}
		}
	}
	if as := s.assigns[name]; len(as) > 0 {
		return s.variable(name, as, at, depth).through(name, at)
	}
	if full, ok := s.alias[name]; ok {
		return pv{k: pvRef, s: full}
	}
	for _, d := range s.defs {
		if d.name == name && d.parent == nil {
			return pv{k: pvRef, s: "local:" + name, def: d}
		}
	}
	switch name {
	case "int", "float", "str", "round", "abs", "Decimal":
		return pv{k: pvRef, s: name}
	}
	return pv{why: "name " + name + " is not defined in this file"}
}

// variable evaluates the assignment of name that holds at token at: the
// last one before it in the innermost scope that assigns it, else the
// module's.
func (s *pyScan) variable(name string, as []pyAssign, at, depth int) pv {
	pick := func(scope *pyDef) (pyAssign, bool) {
		var best pyAssign
		found := false
		for _, a := range as {
			if a.scope != scope {
				continue
			}
			if !found || a.at < at && a.at > best.at || best.at > at && a.at < best.at {
				best, found = a, true
			}
		}
		return best, found
	}
	var a pyAssign
	found := false
	if strings.Contains(name, ".") {
		a, found = as[len(as)-1], true
	} else {
		for d := s.defAt(at); d != nil && !found; d = enclosing(d) {
			a, found = pick(d)
		}
		if !found {
			a, found = pick(nil)
		}
	}
	if !found {
		a = as[len(as)-1]
	}
	if s.busy[a.start] {
		return pv{why: "variable " + name + " refers to itself"}
	}
	s.busy[a.start] = true
	defer delete(s.busy, a.start)
	return s.eval(a.start, a.end, depth+1)
}

// dictLit evaluates {'k': v, ...} between braces at open and cl.
func (s *pyScan) dictLit(open, cl, depth int) pv {
	d := pv{k: pvDict, dict: map[string]pv{}, start: open, end: cl + 1}
	for _, part := range s.splitTop(open+1, cl) {
		colon := -1
		for k := part[0]; k < part[1]; k++ {
			if s.Is(k, ":") && s.depth[k] == s.depth[part[0]] {
				colon = k
				break
			}
		}
		if colon < 0 {
			continue
		}
		key, ok := s.strValue(part[0])
		if !ok || colon != part[0]+1 {
			continue
		}
		v := s.eval(colon+1, part[1], depth+1)
		v.start, v.end = colon+1, part[1]
		d.dict[key] = v
	}
	return d
}

// call evaluates a call of callee with brackets at open.
func (s *pyScan) call(callee pv, open, depth int) pv {
	if callee.k != pvRef && callee.k != pvMeth {
		return pv{why: "the result of a call"}
	}
	args := s.args(open, true)
	switch callee.k {
	case pvRef:
		name := callee.s
		switch name {
		case "int", "float", "str", "round", "abs", "Decimal", "decimal.Decimal":
			if a, ok := positional(args, 0); ok {
				return s.eval(a.start, a.end, depth+1)
			}
		case "os.environ.get", "os.getenv", "os.environ.setdefault", "environ.get":
			a, ok := positional(args, 0)
			if !ok {
				break
			}
			key := s.eval(a.start, a.end, depth+1)
			if key.k != pvStr {
				return pv{why: "an environment variable whose name is computed"}
			}
			v := pv{k: pvEnv, s: key.s}
			if b, ok := positional(args, 1); ok {
				d := s.eval(b.start, b.end, depth+1)
				v.dflt = &d
			} else if b, ok := kw(args, "default"); ok {
				d := s.eval(b.start, b.end, depth+1)
				v.dflt = &d
			}
			return v
		}
		if strings.HasPrefix(name, "local:") && callee.def != nil {
			// A factory: what its return gives (def get_client(): return
			// boto3.client(...)).
			d := callee.def
			if d.class {
				return pv{k: pvObj, obj: s.obj(d.name, open, args, depth)}
			}
			if len(d.returns) == 1 && !s.busy[d.start] {
				s.busy[d.start] = true
				defer delete(s.busy, d.start)
				r := d.returns[0]
				return s.eval(r[0], r[1], depth+1)
			}
			return pv{why: "the result of " + d.name + "()"}
		}
		ctor, known := pyCtors[name]
		if !known {
			last := name[strings.LastIndexByte(name, '.')+1:]
			if last == "" || last[0] < 'A' || last[0] > 'Z' {
				return pv{why: "the result of " + name + "()"}
			}
			ctor = name // a class: an adapter, say
		}
		return pv{k: pvObj, obj: s.obj(ctor, open, args, depth)}
	case pvMeth:
		o := callee.obj
		if o.ctor == "boto3.Session" && (callee.s == "client" || callee.s == "resource") {
			return pv{k: pvObj, obj: s.obj("boto3.client", open, args, depth)}
		}
		return pv{why: "the result of ." + callee.s + "()"}
	}
	return pv{why: "the result of a call"}
}

// obj is the object the constructor call at open makes, once.
func (s *pyScan) obj(ctor string, open int, args []arg, depth int) *pyObj {
	if o, ok := s.objs[open]; ok {
		return o
	}
	start := open - 1
	for start-2 >= 0 && s.Is(start-1, ".") && s.IsIdent(start-2) {
		start -= 2
	}
	o := &pyObj{ctor: ctor, open: open, start: start, args: args}
	s.objs[open] = o
	if ctor == "boto3.client" {
		if a, ok := positional(args, 0); ok {
			if v := s.eval(a.start, a.end, depth+1); v.k == pvStr {
				o.service = v.s
			}
		} else if a, ok := kw(args, "service_name"); ok {
			if v := s.eval(a.start, a.end, depth+1); v.k == pvStr {
				o.service = v.s
			}
		}
	}
	return o
}

// asNum reads v as one number.
func (s *pyScan) asNum(v pv) num {
	var n num
	switch v.k {
	case pvNum:
		n = v.n
	case pvNone:
		n = num{k: numNone, at: s.tokRange(v.start, v.end), edit: s.replaceTok(v.start, v.end)}
	case pvStr:
		f, err := strconv.ParseFloat(strings.TrimSpace(v.s), 64)
		if err != nil {
			return unknownNum("the string " + strconv.Quote(v.s) + " is not a number")
		}
		q := s.quote()
		n = knownNum(f, s.tokRange(v.start, v.end), nil)
		if v.end == v.start+1 {
			rep := s.replaceTok(v.start, v.end)
			n.edit = func(t string) []finding.TextEdit { return rep(string(q) + t + string(q)) }
		}
	case pvEnv:
		n = num{k: numEnv, env: v.s}
		if v.dflt != nil {
			d := s.asNum(*v.dflt)
			n.dflt = &d
		}
	case pvParam:
		n = s.paramNum(v)
	case pvBool:
		return unknownNum("a boolean")
	default:
		why := v.why
		if why == "" {
			why = "not a number"
		}
		return unknownNum(why)
	}
	if v.viaVar != "" {
		n = n.through("variable "+v.viaVar, s.tokRange(v.viaAt[0], v.viaAt[1]))
	}
	return n
}

// paramNum is what a def's parameter holds: the largest of its default
// and of what this file's calls of the def pass.
func (s *pyScan) paramNum(v pv) num {
	d := v.def
	p := d.params[v.param]
	pname := s.Text(p.from)
	var cands []num
	for k := p.from; k < p.end; k++ {
		if s.Is(k, "=") && s.depth[k] == s.depth[p.from] {
			// name=default, name: T = default
			cands = append(cands, s.asNum(s.eval(k+1, p.end, 1)))
			break
		}
	}
	for _, c := range s.callersOf(d) {
		as := s.args(c, true)
		if a, ok := kw(as, pname); ok {
			cands = append(cands, s.asNum(s.eval(a.start, a.end, 1)))
			continue
		}
		idx := v.param
		if len(d.params) > 0 && (s.Text(d.params[0].from) == "self" || s.Text(d.params[0].from) == "cls") {
			idx--
		}
		if a, ok := positional(as, idx); ok && idx >= 0 {
			cands = append(cands, s.asNum(s.eval(a.start, a.end, 1)))
		}
	}
	if len(cands) == 0 {
		return unknownNum("parameter " + pname + " of " + d.name + " has no default and no call in this file passes it")
	}
	best := cands[0]
	for _, c := range cands[1:] {
		if worse(c, best) {
			best = c
		}
	}
	return best.through("parameter "+pname+" of "+d.name, s.tokRange(p.from, p.from+1))
}

// worse reports whether a bounds a call less than b: none is worst, then
// unknown, then the larger number.
func worse(a, b num) bool {
	rank := func(n num) int {
		switch n.k {
		case numNone:
			return 3
		case numUnknown:
			return 2
		case numEnv:
			return 1
		}
		return 0
	}
	if rank(a) != rank(b) {
		return rank(a) > rank(b)
	}
	return a.v > b.v
}

// callersOf are the '(' tokens of calls of d by name in this file.
func (s *pyScan) callersOf(d *pyDef) []int {
	if d.callers != nil {
		return d.callers
	}
	d.callers = []int{}
	for _, i := range s.tk.callsNamed(d.name) {
		if !s.Is(i-2, "def") && (i-1 < d.start || i-1 > d.start+2) {
			d.callers = append(d.callers, i)
		}
	}
	return d.callers
}
