package code

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"time"

	"github.com/gatelint/gatelint/internal/awsfacts"
	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/srctok"
)

// The Go scanner reads a file with go/parser and follows identifiers to
// their declarations in the file (the parser's object resolution): the
// net/http package functions and DefaultClient (no timeout), http.Client
// literals and their Timeout, context.WithTimeout deadlines on the
// requests a client sends, and the AWS SDK for Go v2's clients with the
// HTTP client and retries config.LoadDefaultConfig gives them.

type goScan struct {
	fs    *fileScan
	fset  *token.FileSet
	file  *ast.File
	pos   *srctok.File // positions and edits
	imp   map[string]string
	calls []rawCall
	// used are client literals some call was found through.
	used map[ast.Expr]bool
}

func scanGo(path string, data []byte) *fileScan {
	fs := &fileScan{path: path, lang: Go}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, data, parser.ParseComments)
	if err != nil {
		return fs // it would not compile: no call of it runs
	}
	g := &goScan{fs: fs, fset: fset, file: f, pos: &srctok.File{Path: path, Src: data}, imp: map[string]string{}, used: map[ast.Expr]bool{}}
	for _, is := range f.Imports {
		p, _ := strconv.Unquote(is.Path.Value)
		name := p[strings.LastIndexByte(p, '/')+1:]
		if strings.HasPrefix(p, "github.com/aws/aws-sdk-go-v2/service/") {
			name = strings.SplitN(strings.TrimPrefix(p, "github.com/aws/aws-sdk-go-v2/service/"), "/", 2)[0]
		}
		if is.Name != nil {
			name = is.Name.Name
		}
		g.imp[name] = p
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.CallExpr:
			g.call(x)
		}
		return true
	})
	ast.Inspect(f, func(n ast.Node) bool {
		if cl, ok := n.(*ast.CompositeLit); ok && g.isHTTPClient(cl.Type) && !g.used[cl] {
			g.clientLit(cl)
		}
		return true
	})
	fs.calls = g.calls
	sortCalls(fs.calls)
	return fs
}

func (g *goScan) off(p token.Pos) int { return g.fset.Position(p).Offset }

func (g *goScan) rng(n ast.Node) (int, int) { return g.off(n.Pos()), g.off(n.End()) }

func (g *goScan) text(n ast.Node) string {
	s, e := g.rng(n)
	return string(g.pos.Src[s:e])
}

func (g *goScan) edit(n ast.Node, text string) []finding.TextEdit {
	s, e := g.rng(n)
	return []finding.TextEdit{{File: g.pos.Path, Start: s, End: e, NewText: text, StartPos: g.pos.Pos(s), EndPos: g.pos.Pos(e)}}
}

func (g *goScan) insert(at int, text string) []finding.TextEdit {
	return []finding.TextEdit{{File: g.pos.Path, Start: at, End: at, NewText: text, StartPos: g.pos.Pos(at), EndPos: g.pos.Pos(at)}}
}

// pkgSel reports whether e is pkg.Name for the import path path.
func (g *goScan) pkgSel(e ast.Expr, path string) (string, bool) {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok {
		return "", false
	}
	id, ok := sel.X.(*ast.Ident)
	if !ok || g.imp[id.Name] != path || id.Obj != nil {
		return "", false
	}
	return sel.Sel.Name, true
}

func (g *goScan) isHTTPClient(t ast.Expr) bool {
	n, ok := g.pkgSel(t, "net/http")
	return ok && n == "Client"
}

// decl is the expression an identifier was declared with in this file
// (x := e, var x = e, a, b := f() gives f()).
func (g *goScan) decl(id *ast.Ident) ast.Expr {
	if id == nil || id.Obj == nil {
		return nil
	}
	if _, param := id.Obj.Decl.(*ast.Field); param {
		// A parameter reassigned in the body (ctx, cancel := ...WithTimeout(ctx, ...)):
		// the last assignment before the use.
		var last ast.Expr
		ast.Inspect(g.file, func(n ast.Node) bool {
			a, ok := n.(*ast.AssignStmt)
			if !ok || a.Pos() >= id.Pos() {
				return true
			}
			for i, l := range a.Lhs {
				if li, ok := l.(*ast.Ident); ok && li.Obj == id.Obj && li != id {
					if len(a.Rhs) == len(a.Lhs) {
						last = a.Rhs[i]
					} else if len(a.Rhs) == 1 {
						last = a.Rhs[0]
					}
				}
			}
			return true
		})
		return last
	}
	switch d := id.Obj.Decl.(type) {
	case *ast.AssignStmt:
		for i, l := range d.Lhs {
			if li, ok := l.(*ast.Ident); ok && li.Name == id.Name {
				if len(d.Rhs) == len(d.Lhs) {
					return d.Rhs[i]
				}
				if len(d.Rhs) == 1 {
					return d.Rhs[0]
				}
			}
		}
	case *ast.ValueSpec:
		for i, n := range d.Names {
			if n.Name == id.Name {
				if i < len(d.Values) {
					return d.Values[i]
				}
				if len(d.Values) == 1 {
					return d.Values[0]
				}
			}
		}
	}
	return nil
}

// unwrap follows identifiers, & and parentheses to what they hold.
func (g *goScan) unwrap(e ast.Expr) ast.Expr {
	for i := 0; i < maxDepth && e != nil; i++ {
		switch x := e.(type) {
		case *ast.ParenExpr:
			e = x.X
		case *ast.UnaryExpr:
			if x.Op != token.AND {
				return e
			}
			e = x.X
		case *ast.Ident:
			d := g.decl(x)
			if d == nil || d == e {
				return e
			}
			e = d
		default:
			return e
		}
	}
	return e
}

// duration evaluates a time.Duration expression, in seconds.
func (g *goScan) duration(e ast.Expr, depth int) num {
	if depth > maxDepth || e == nil {
		return unknownNum("too deep")
	}
	s, en := g.rng(e)
	at := g.pos.Range(s, en)
	switch x := e.(type) {
	case *ast.ParenExpr:
		return g.duration(x.X, depth+1)
	case *ast.BasicLit:
		v, err := strconv.ParseFloat(strings.ReplaceAll(x.Value, "_", ""), 64)
		if err != nil {
			return unknownNum("the literal " + x.Value)
		}
		return knownNum(v/1e9, at, func(t string) []finding.TextEdit { return g.edit(x, t) })
	case *ast.Ident:
		d := g.decl(x)
		if d == nil {
			return unknownNum(x.Name + " is not declared in this file")
		}
		n := g.duration(d, depth+1)
		return n.through("variable "+x.Name, g.pos.Range(g.rng(x)))
	case *ast.SelectorExpr:
		if name, ok := g.pkgSel(x, "time"); ok {
			if u, ok := goUnits[name]; ok {
				return knownNum(u.Seconds(), at, nil)
			}
		}
	case *ast.BinaryExpr:
		if x.Op == token.MUL {
			count, unit := x.X, g.unit(x.Y)
			if unit == 0 {
				count, unit = x.Y, g.unit(x.X)
			}
			if unit == 0 {
				return unknownNum("the expression " + g.text(e) + " is not evaluated")
			}
			n := g.number(count, depth+1)
			switch n.k {
			case numKnown:
				return g.scaled(count, n, unit)
			case numEnv:
				n.scale = unit.Seconds()
			}
			return n
		}
	case *ast.CallExpr:
		if fun, ok := x.Fun.(*ast.Ident); ok && fun.Name == "Duration" || isSel(x.Fun, "time", "Duration", g) {
			if len(x.Args) == 1 {
				n := g.number(x.Args[0], depth+1)
				if n.k == numKnown {
					n.v /= 1e9 // nanoseconds
				}
				return n
			}
		}
		if name, ok := g.pkgSel(x.Fun, "time"); ok && name == "ParseDuration" && len(x.Args) == 1 {
			if lit, ok := x.Args[0].(*ast.BasicLit); ok {
				if s, err := strconv.Unquote(lit.Value); err == nil {
					if d, err := time.ParseDuration(s); err == nil {
						return knownNum(d.Seconds(), at, func(t string) []finding.TextEdit { return g.edit(lit, strconv.Quote(t+"s")) })
					}
				}
			}
		}
	}
	return unknownNum("the expression " + g.text(e) + " is not evaluated")
}

// scaled is n * unit where n's literal is what an edit rewrites, in
// seconds.
func (g *goScan) scaled(e ast.Expr, n num, unit time.Duration) num {
	out := n
	out.v = n.v * unit.Seconds()
	if lit, ok := unwrapLit(e); ok && n.via == "" {
		out.edit = func(t string) []finding.TextEdit {
			v, err := strconv.ParseFloat(t, 64)
			if err != nil {
				return nil
			}
			return g.edit(lit, formatNum(v/unit.Seconds()))
		}
	} else if n.via != "" && n.edit != nil {
		inner := n.edit
		out.edit = func(t string) []finding.TextEdit {
			v, err := strconv.ParseFloat(t, 64)
			if err != nil {
				return nil
			}
			return inner(formatNum(v / unit.Seconds()))
		}
	}
	return out
}

func unwrapLit(e ast.Expr) (*ast.BasicLit, bool) {
	for {
		switch x := e.(type) {
		case *ast.ParenExpr:
			e = x.X
		case *ast.BasicLit:
			return x, true
		default:
			return nil, false
		}
	}
}

var goUnits = map[string]time.Duration{"Nanosecond": time.Nanosecond, "Microsecond": time.Microsecond, "Millisecond": time.Millisecond, "Second": time.Second, "Minute": time.Minute, "Hour": time.Hour}

// unit is the time unit an expression is (time.Second), or 0.
func (g *goScan) unit(e ast.Expr) time.Duration {
	if name, ok := g.pkgSel(e, "time"); ok {
		return goUnits[name]
	}
	return 0
}

func isSel(e ast.Expr, pkg, name string, g *goScan) bool {
	n, ok := g.pkgSel(e, pkg)
	return ok && n == name
}

// number evaluates a plain number: a literal, a constant, an environment
// variable read through strconv.
func (g *goScan) number(e ast.Expr, depth int) num {
	if depth > maxDepth || e == nil {
		return unknownNum("too deep")
	}
	s, en := g.rng(e)
	at := g.pos.Range(s, en)
	switch x := e.(type) {
	case *ast.BasicLit:
		v, err := strconv.ParseFloat(strings.ReplaceAll(x.Value, "_", ""), 64)
		if err != nil {
			if u, err := strconv.Unquote(x.Value); err == nil {
				if v, err := strconv.ParseFloat(u, 64); err == nil {
					return knownNum(v, at, nil)
				}
			}
			return unknownNum("the literal " + x.Value)
		}
		return knownNum(v, at, func(t string) []finding.TextEdit { return g.edit(x, t) })
	case *ast.Ident:
		d := g.decl(x)
		if d == nil {
			return unknownNum(x.Name + " is not declared in this file")
		}
		return g.number(d, depth+1).through("variable "+x.Name, g.pos.Range(g.rng(x)))
	case *ast.CallExpr:
		if name, ok := g.pkgSel(x.Fun, "os"); ok && (name == "Getenv" || name == "LookupEnv") && len(x.Args) == 1 {
			if lit, ok := x.Args[0].(*ast.BasicLit); ok {
				if k, err := strconv.Unquote(lit.Value); err == nil {
					return num{k: numEnv, env: k}
				}
			}
		}
		if name, ok := g.pkgSel(x.Fun, "strconv"); ok && (name == "Atoi" || name == "ParseInt" || name == "ParseFloat") && len(x.Args) >= 1 {
			return g.number(x.Args[0], depth+1)
		}
		if id, ok := x.Fun.(*ast.Ident); ok && len(x.Args) == 1 && (id.Name == "int" || id.Name == "int64" || id.Name == "float64") || isSel(x.Fun, "time", "Duration", g) && len(x.Args) == 1 {
			return g.number(x.Args[0], depth+1)
		}
	case *ast.ParenExpr:
		return g.number(x.X, depth+1)
	}
	return unknownNum("the expression " + g.text(e) + " is not evaluated")
}

// call looks at one call expression.
func (g *goScan) call(c *ast.CallExpr) {
	// http.Get, http.Post, http.Head, http.PostForm: DefaultClient.
	if name, ok := g.pkgSel(c.Fun, "net/http"); ok {
		switch name {
		case "Get", "Post", "Head", "PostForm":
			g.defaultCall(c, "http."+name, c.Fun)
		}
		return
	}
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok {
		return
	}
	m := sel.Sel.Name
	switch m {
	case "Do", "Get", "Post", "Head", "PostForm":
		if isSel(sel.X, "net/http", "DefaultClient", g) {
			g.defaultCall(c, "http.DefaultClient."+m, sel.X)
			return
		}
		if cl, ok := g.unwrap(sel.X).(*ast.CompositeLit); ok && g.isHTTPClient(cl.Type) {
			g.used[cl] = true
			g.clientCall(c, cl, g.text(sel.X)+"."+m)
			return
		}
	}
	// AWS SDK for Go v2: svc.NewFromConfig(cfg) makes a client.
	if m == "NewFromConfig" || m == "New" {
		if id, ok := sel.X.(*ast.Ident); ok && id.Obj == nil && strings.HasPrefix(g.imp[id.Name], "github.com/aws/aws-sdk-go-v2/service/") {
			g.sdkClient(c, id.Name)
		}
	}
}

// ctxDeadline finds the context.WithTimeout deadline of the request a
// Do sends (or of the context passed), when declared in the file.
func (g *goScan) ctxDeadline(e ast.Expr) (num, ast.Expr, bool) {
	e = g.unwrap(e)
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return num{}, nil, false
	}
	if name, ok := g.pkgSel(call.Fun, "net/http"); ok && name == "NewRequestWithContext" && len(call.Args) > 0 {
		return g.ctxDeadline(call.Args[0])
	}
	if name, ok := g.pkgSel(call.Fun, "context"); ok && name == "WithTimeout" && len(call.Args) == 2 {
		return g.duration(call.Args[1], 0), call.Args[1], true
	}
	if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "WithContext" {
		if len(call.Args) == 1 {
			return g.ctxDeadline(call.Args[0])
		}
	}
	return num{}, nil, false
}

// defaultCall is a call through http.DefaultClient, which has no
// timeout: bounded only by a request context's deadline.
func (g *goScan) defaultCall(c *ast.CallExpr, client string, fun ast.Expr) {
	s, e := g.rng(c)
	at := g.pos.Range(s, e)
	t := timing{setting: "Timeout", unit: time.Second, mu: model.InSeconds, missing: true}
	var dl ast.Expr
	if strings.HasSuffix(client, ".Do") && len(c.Args) == 1 {
		if n, d, ok := g.ctxDeadline(c.Args[0]); ok {
			t.missing, t.timeout, t.setting, t.total, dl = false, n, "context.WithTimeout", true, d
		}
	}
	g.calls = append(g.calls, rawCall{at: at, build: func(env *fnEnv) *model.Call {
		mc := callAt(client, Go, at)
		t.finish(mc, env)
		mc.Fix = func(budget time.Duration) (string, []finding.TextEdit) {
			text := goDuration(perAttempt(budget, 1, time.Second))
			if dl != nil {
				if ed := setNum(t.timeout, env, formatNum(perAttempt(budget, 1, time.Second))); ed != nil {
					return describe(client, "context.WithTimeout", budget), ed
				}
				return describe(client, "context.WithTimeout", budget), g.edit(dl, text)
			}
			repl := "(&" + g.httpName() + ".Client{Timeout: " + text + "})"
			if strings.HasPrefix(client, "http.DefaultClient") {
				repl = "(&" + g.httpName() + ".Client{Timeout: " + text + "})"
				return "use an http.Client with Timeout " + model.Seconds(budget) + " for " + client, append(g.edit(fun, repl), g.timeImport()...)
			}
			sel := fun.(*ast.SelectorExpr)
			return "use an http.Client with Timeout " + model.Seconds(budget) + " for " + client, append(g.edit(sel.X, repl), g.timeImport()...)
		}
		return mc
	}})
}

// httpName is how the file names net/http.
func (g *goScan) httpName() string {
	for n, p := range g.imp {
		if p == "net/http" {
			return n
		}
	}
	return "http"
}

// timeImport is the edit that imports "time" where the file does not.
func (g *goScan) timeImport() []finding.TextEdit {
	for _, p := range g.imp {
		if p == "time" {
			return nil
		}
	}
	for _, d := range g.file.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		if gd.Lparen.IsValid() {
			return g.insert(g.off(gd.Lparen)+1, "\n\t\"time\"")
		}
		return g.insert(g.off(gd.End()), "\nimport \"time\"")
	}
	return g.insert(g.off(g.file.Name.End()), "\n\nimport \"time\"")
}

// goDuration writes seconds as a Go duration expression.
func goDuration(sec float64) string {
	if sec == float64(int64(sec)) {
		return formatNum(sec) + " * time.Second"
	}
	return formatNum(sec*1000) + " * time.Millisecond"
}

// clientField is the Timeout field of an http.Client literal.
func clientField(cl *ast.CompositeLit, name string) (*ast.KeyValueExpr, bool) {
	for _, el := range cl.Elts {
		if kv, ok := el.(*ast.KeyValueExpr); ok {
			if k, ok := kv.Key.(*ast.Ident); ok && k.Name == name {
				return kv, true
			}
		}
	}
	return nil, false
}

// clientTiming is what an http.Client literal bounds a call to.
func (g *goScan) clientTiming(cl *ast.CompositeLit) timing {
	t := timing{setting: "Timeout", unit: time.Second, mu: model.InSeconds}
	if kv, ok := clientField(cl, "Timeout"); ok {
		t.timeout = g.duration(kv.Value, 0)
	} else {
		t.missing = true
	}
	t.total = !t.missing
	return t
}

// clientFix bounds an http.Client literal's Timeout.
func (g *goScan) clientFix(cl *ast.CompositeLit, t timing, env *fnEnv, budget time.Duration) []finding.TextEdit {
	sec := perAttempt(budget, 1, time.Second)
	if kv, ok := clientField(cl, "Timeout"); ok {
		if ed := setNum(t.timeout, env, formatNum(sec)); ed != nil {
			return ed
		}
		return append(g.edit(kv.Value, goDuration(sec)), g.timeImport()...)
	}
	field := "Timeout: " + goDuration(sec)
	lb := g.off(cl.Lbrace)
	rb := g.off(cl.Rbrace)
	var ed []finding.TextEdit
	switch {
	case len(cl.Elts) == 0:
		ed = g.insert(lb+1, field)
	case g.fset.Position(cl.Rbrace).Line != g.fset.Position(cl.Elts[len(cl.Elts)-1].End()).Line:
		last := cl.Elts[len(cl.Elts)-1]
		ls := g.pos.LineStart(g.off(last.Pos()))
		ind := string(g.pos.Src[ls:g.off(last.Pos())])
		ed = g.insert(g.pos.LineStart(rb), ind+field+",\n")
	default:
		ed = g.insert(g.off(cl.Elts[len(cl.Elts)-1].End()), ", "+field)
	}
	return append(ed, g.timeImport()...)
}

// clientCall is a call through an http.Client literal.
func (g *goScan) clientCall(c *ast.CallExpr, cl *ast.CompositeLit, client string) {
	s, e := g.rng(c)
	at := g.pos.Range(s, e)
	t := g.clientTiming(cl)
	var dl ast.Expr
	var dn num
	if strings.HasSuffix(client, ".Do") && len(c.Args) == 1 {
		if n, d, ok := g.ctxDeadline(c.Args[0]); ok {
			dn, dl = n, d
		}
	}
	g.calls = append(g.calls, rawCall{at: at, build: func(env *fnEnv) *model.Call {
		mc := callAt(client, Go, at)
		tt := t
		if dl != nil && (t.missing || t.timeout.resolve(env.lookup).k == numKnown && dn.resolve(env.lookup).k == numKnown && dn.resolve(env.lookup).v < t.timeout.resolve(env.lookup).v) {
			tt.missing, tt.timeout, tt.setting = false, dn, "context.WithTimeout"
		}
		tt.finish(mc, env)
		mc.Fix = func(budget time.Duration) (string, []finding.TextEdit) {
			if tt.setting == "context.WithTimeout" {
				if ed := setNum(dn, env, formatNum(perAttempt(budget, 1, time.Second))); ed != nil {
					return describe(client, "context.WithTimeout", budget), ed
				}
				return describe(client, "context.WithTimeout", budget), g.edit(dl, goDuration(perAttempt(budget, 1, time.Second)))
			}
			return describe("the http.Client of "+client, "Timeout", budget), g.clientFix(cl, t, env, budget)
		}
		return mc
	}})
}

// clientLit is an http.Client literal no call was found through: it
// bounds whatever uses it.
func (g *goScan) clientLit(cl *ast.CompositeLit) {
	s, e := g.rng(cl)
	at := g.pos.Range(s, e)
	t := g.clientTiming(cl)
	g.calls = append(g.calls, rawCall{at: at, build: func(env *fnEnv) *model.Call {
		mc := callAt("http.Client", Go, at)
		t.finish(mc, env)
		mc.Fix = func(budget time.Duration) (string, []finding.TextEdit) {
			return describe("the http.Client", "Timeout", budget), g.clientFix(cl, t, env, budget)
		}
		return mc
	}})
}

// sdkClient is an AWS SDK for Go v2 client made from a config: bounded
// by the HTTP client config.WithHTTPClient gives (none by default) times
// the retryer's attempts (config.WithRetryMaxAttempts, 3 by default).
func (g *goScan) sdkClient(c *ast.CallExpr, svc string) {
	s, e := g.rng(c)
	at := g.pos.Range(s, e)
	t := timing{setting: "HTTP client Timeout", unit: time.Second, mu: model.InSeconds, missing: true}
	attempts := 0
	var attemptsAt num
	if len(c.Args) > 0 {
		if load, ok := g.unwrap(c.Args[0]).(*ast.CallExpr); ok {
			if name, ok := g.pkgSel(load.Fun, "github.com/aws/aws-sdk-go-v2/config"); ok && name == "LoadDefaultConfig" {
				for _, opt := range load.Args[1:] {
					oc, ok := opt.(*ast.CallExpr)
					if !ok {
						continue
					}
					name, _ := g.pkgSel(oc.Fun, "github.com/aws/aws-sdk-go-v2/config")
					switch {
					case name == "WithHTTPClient" && len(oc.Args) == 1:
						switch h := g.unwrap(oc.Args[0]).(type) {
						case *ast.CompositeLit:
							if g.isHTTPClient(h.Type) {
								t = g.clientTiming(h)
								t.setting, t.total = "HTTP client Timeout", false
							}
						case *ast.CallExpr:
							if sel, ok := h.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "WithTimeout" && len(h.Args) == 1 {
								t.missing, t.timeout, t.setting = false, g.duration(h.Args[0], 0), "BuildableClient WithTimeout"
							}
						}
					case name == "WithRetryMaxAttempts" && len(oc.Args) == 1:
						attemptsAt = g.number(oc.Args[0], 0)
						if attemptsAt.k == numKnown {
							attempts = int(attemptsAt.v)
						}
					}
				}
			}
		}
	}
	// What is called through it decides whether the service is slow.
	var through []ast.Node
	slow := false
	var callsSeen bool
	if id := g.assignedTo(c); id != nil {
		ast.Inspect(g.file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); ok && x.Obj != nil && x.Obj == id.Obj {
				callsSeen = true
				if awsfacts.SlowOperation(svc, sel.Sel.Name) {
					slow = true
					through = append(through, call)
				}
			}
			return true
		})
	}
	if !callsSeen && awsfacts.SlowService(svc) && awsfacts.SlowOperation(svc, "any") {
		slow = true
	}
	name := "AWS SDK for Go " + svc + " client"
	g.calls = append(g.calls, rawCall{at: at, build: func(env *fnEnv) *model.Call {
		mc := callAt(name, Go, at)
		mc.Service, mc.Fast = svc, !slow
		for _, n := range through {
			s, e := g.rng(n)
			mc.Through = append(mc.Through, g.pos.Range(s, e))
		}
		t.attempts = func(e *fnEnv) (int, string) {
			if attempts > 0 {
				return attempts, "config.WithRetryMaxAttempts"
			}
			if text, _, ok, _ := e.lookup("AWS_MAX_ATTEMPTS"); ok {
				if n, err := strconv.Atoi(strings.TrimSpace(text)); err == nil && n > 0 {
					return n, "AWS_MAX_ATTEMPTS"
				}
			}
			return goSDKAttempts, "the standard retryer's default"
		}
		t.finish(mc, env)
		return mc
	}})
}

// assignedTo is the variable a call's result is assigned to, if any.
func (g *goScan) assignedTo(c *ast.CallExpr) *ast.Ident {
	var out *ast.Ident
	ast.Inspect(g.file, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.AssignStmt:
			for i, r := range x.Rhs {
				if r == c && i < len(x.Lhs) {
					out, _ = x.Lhs[i].(*ast.Ident)
				}
			}
		case *ast.ValueSpec:
			for i, v := range x.Values {
				if v == c && i < len(x.Names) {
					out = x.Names[i]
				}
			}
		}
		return out == nil
	})
	return out
}
