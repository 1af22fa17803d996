package terraform

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/awsfacts"
	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/terraform/hclconfig"
	"github.com/gatelint/gatelint/internal/source/yamlpos"
)

// An API's body is an OpenAPI document: written out with jsonencode({...})
// (read through its HCL expression, so each value keeps its bytes and what
// it refers to, even when a uri is known only after apply), or text from
// file() or templatefile() (read as rendered, located in the file as
// written: the template's own lines, where keys are not substituted), or
// any other string known offline (located at the body argument).

// node is one value of an OpenAPI document, however it was written.
type node interface {
	get(key string) node // nil when absent; keys match case-insensitively for the extension's fields
	keys() []string
	str() (string, bool)
	rng() loc.Range
	// number is the value as a number, with the edit that rewrites it.
	number() (int64, bool, func(int64) []finding.TextEdit)
	// insert is the edit that adds key: n to this mapping, or nil.
	insert(key string) func(int64) []finding.TextEdit
	// target is the function a uri names through a reference, and the text
	// of the uri with what is unknown written as ${...}.
	target(bd *build) (*model.Function, string, string)
	// durations reads the node as a duration setting.
	durations(bd *build, s setting, dflt model.Value) model.Values
}

// body reads an API's OpenAPI body into endpoints.
func (bd *build) body(api *model.API, av *hclconfig.AttrValue) {
	if av == nil {
		return
	}
	root := bd.document(av)
	if root == nil {
		return
	}
	bd.openAPI(api, root)
}

// document turns a body argument into a node tree, or notes why not.
func (bd *build) document(av *hclconfig.AttrValue) node {
	e := unwrap(av.Expr)
	if fc, ok := e.(*hclsyntax.FunctionCallExpr); ok && fc.Name == "jsonencode" && len(fc.Args) == 1 {
		if _, isObj := unwrap(fc.Args[0]).(*hclsyntax.ObjectConsExpr); isObj {
			sub := av.Sub("body", fc.Args[0])
			return &hclNode{bd: bd, av: sub, expr: fc.Args[0], val: sub.Val}
		}
		sub := av.Sub("body", fc.Args[0])
		if sub.Val != cty.NilVal && sub.Val.IsKnown() {
			return &hclNode{bd: bd, av: sub, val: sub.Val, at: av.ValueRange}
		}
	}
	s, ok := str(av)
	if !ok {
		// A template with a variable known only after apply (a function's
		// ARN): read as written, each ${name} resolved through the
		// argument passed for it.
		if raw, editable := bd.templateSource(av, e); raw != nil {
			return &yamlNode{n: raw.Root, raw: raw, rawNode: raw.Root, editable: editable, at: bd.p.rng(av.ValueRange), vars: bd.templateVars(av, e)}
		}
		bd.b.Notef(bd.p.rng(av.ValueRange), "the OpenAPI body is not checked: %s", strings.Join(av.Reasons(), "; "))
		return nil
	}
	var rendered yaml.Node
	if err := yaml.Unmarshal([]byte(s), &rendered); err != nil || len(rendered.Content) == 0 {
		if err != nil {
			bd.b.Notef(bd.p.rng(av.ValueRange), "the OpenAPI body does not parse: %v", err)
		}
		return nil
	}
	doc := &yamlNode{n: rendered.Content[0], at: bd.p.rng(av.ValueRange), vars: bd.templateVars(av, e)}
	if raw, editable := bd.templateSource(av, e); raw != nil {
		doc.raw, doc.rawNode, doc.editable = raw, raw.Root, editable
	}
	return doc
}

// templateSource parses the file a file() or templatefile() body reads,
// as written, for its positions.
func (bd *build) templateSource(av *hclconfig.AttrValue, e hcl.Expression) (*yamlpos.File, bool) {
	fc, ok := e.(*hclsyntax.FunctionCallExpr)
	if !ok || (fc.Name != "file" && fc.Name != "templatefile") || len(fc.Args) == 0 {
		return nil, false
	}
	pv := av.Eval(fc.Args[0])
	p, ok := stringOf(pv)
	if !ok {
		return nil, false
	}
	var dirs []string
	if bd.cfg.Root != nil && bd.cfg.Root.Module != nil {
		dirs = append(dirs, bd.cfg.Root.Module.Dir)
	}
	if mi := av.Scope(); mi != nil && mi.Module != nil {
		dirs = append(dirs, mi.Module.Dir)
	}
	for _, d := range dirs {
		abs := p
		if !filepath.IsAbs(p) {
			abs = filepath.Clean(filepath.Join(d, p))
		}
		if data := bd.p.bytes[abs]; data != nil {
			f, err := yamlpos.Parse(bd.p.display(abs), data)
			if err != nil || f.Root == nil {
				return nil, false
			}
			return f, bd.editable(abs)
		}
	}
	return nil, false
}

// templateVars gives the templatefile() argument for a template variable.
func (bd *build) templateVars(av *hclconfig.AttrValue, e hcl.Expression) func(string) *hclconfig.AttrValue {
	fc, ok := e.(*hclsyntax.FunctionCallExpr)
	if !ok || fc.Name != "templatefile" || len(fc.Args) < 2 {
		return nil
	}
	obj := fc.Args[1]
	return func(name string) *hclconfig.AttrValue {
		if x := av.Item(obj, name); x != nil {
			return av.Sub(name, x)
		}
		return nil
	}
}

func stringOf(v hclconfig.Value) (string, bool) {
	if !v.Known() || v.Val.IsNull() || v.Val.Type() != cty.String {
		return "", false
	}
	return v.Val.AsString(), true
}

var openAPIMethods = map[string]string{
	"get": "GET", "put": "PUT", "post": "POST", "delete": "DELETE", "patch": "PATCH",
	"head": "HEAD", "options": "OPTIONS", "x-amazon-apigateway-any-method": "ANY",
}

const integrationExt = "x-amazon-apigateway-integration"

// openAPI reads each operation's x-amazon-apigateway-integration, or the
// component its $ref names.
func (bd *build) openAPI(api *model.API, doc node) {
	paths := doc.get("paths")
	if paths == nil {
		return
	}
	for _, pk := range paths.keys() {
		item := paths.get(pk)
		for _, mk := range item.keys() {
			method, ok := openAPIMethods[strings.ToLower(mk)]
			if !ok {
				continue
			}
			op := item.get(mk)
			at := op.rng()
			integ := op.get(integrationExt)
			if integ == nil {
				bd.endpoint(api, method, pk, api.Resource, at, nil)
				continue
			}
			if ref := integ.get("$ref"); ref != nil {
				r, _ := ref.str()
				integ = resolveRef(doc, r)
				if integ == nil {
					bd.b.Notef(ref.rng(), "the integration of %s %s is a $ref (%s) that does not resolve in the document; it is not checked", method, pk, r)
					bd.endpoint(api, method, pk, api.Resource, at, nil)
					continue
				}
			}
			in := &model.Integration{Resource: api.Resource, Loc: integ.rng()}
			dflt := model.Value{Known: true, D: awsfacts.MaxIntegrationTimeout(api.Type), Unit: model.InMillis, Setting: openAPITimeout.name, Origin: model.Default, Loc: integ.rng()}
			if ins := integ.insert(openAPITimeout.name); ins != nil {
				dflt.Remedy.Edit = func(d time.Duration) []finding.TextEdit { return ins(d.Milliseconds()) }
			}
			in.Timeout = model.Values{dflt}
			if tn := getFold(integ, "timeoutInMillis"); tn != nil {
				in.Timeout = tn.durations(bd, openAPITimeout, dflt)
			}
			bd.b.Unresolved(in.Timeout, fmt.Sprintf("timeoutInMillis of %s %s in %s", method, pk, api.Resource.Name()))
			typ, _ := strOf(getFold(integ, "type"))
			subtype, _ := strOf(getFold(integ, "integrationSubtype"))
			mode, _ := strOf(getFold(integ, "responseTransferMode"))
			invocation := ""
			if params := getFold(integ, "requestParameters"); params != nil {
				for _, k := range params.keys() {
					if strings.EqualFold(k, "integration.request.header.X-Amz-Invocation-Type") {
						s, _ := params.get(k).str()
						invocation = strings.Trim(s, `'"`)
					}
				}
			}
			var fn *model.Function
			var q, text string
			if u := getFold(integ, "uri"); u != nil {
				fn, q, text = u.target(bd)
			}
			if fn == nil && strings.Contains(text, "stageVariables.") {
				fn, q = bd.viaStageVariables(api, text)
			}
			if fn != nil && !strings.Contains(text, ":lambda:path/") && !strings.Contains(text, ":function:") {
				text = ":lambda:path/" + text
			}
			in.Kind, in.Target = awsfacts.Classify(typ, subtype, text, invocation)
			if in.Kind == model.LambdaProxy || in.Kind == model.LambdaSync || in.Kind == model.LambdaEvent {
				in.Function, in.Qualifier = fn, q
			}
			in.Streaming = api.Type == model.REST && strings.EqualFold(mode, "STREAM")
			bd.endpoint(api, method, pk, api.Resource, at, in)
		}
	}
}

// resolveRef follows a local $ref ("#/components/x-amazon-apigateway-integrations/name").
func resolveRef(doc node, ref string) node {
	p, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil
	}
	n := doc
	for _, part := range strings.Split(p, "/") {
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		if n = n.get(part); n == nil {
			return nil
		}
	}
	return n
}

func getFold(n node, key string) node {
	if n == nil {
		return nil
	}
	if x := n.get(key); x != nil {
		return x
	}
	for _, k := range n.keys() {
		if strings.EqualFold(k, key) {
			return n.get(k)
		}
	}
	return nil
}

func strOf(n node) (string, bool) {
	if n == nil {
		return "", false
	}
	return n.str()
}

// yamlNode is a document from text: the rendered node, and the node at
// the same path in the file as written, when there is one.
type yamlNode struct {
	n       *yaml.Node
	raw     *yamlpos.File
	rawNode *yaml.Node
	// editable: the file is the user's (not a downloaded module's).
	editable bool
	// vars, for a templatefile() document, gives the argument passed for a
	// template variable.
	vars func(name string) *hclconfig.AttrValue
	at   loc.Range // where the body is given, when the file is not known
}

func (y *yamlNode) get(key string) node {
	_, v := yamlpos.Lookup(y.n, key)
	if v == nil {
		return nil
	}
	c := &yamlNode{n: v, raw: y.raw, editable: y.editable, at: y.at, vars: y.vars}
	if y.rawNode != nil {
		_, c.rawNode = yamlpos.Lookup(y.rawNode, key)
	}
	return c
}

func (y *yamlNode) keys() []string {
	var out []string
	yamlpos.Pairs(y.n, func(k, _ *yaml.Node) { out = append(out, k.Value) })
	return out
}

func (y *yamlNode) str() (string, bool) {
	if y.n.Kind != yaml.ScalarNode {
		return "", false
	}
	return y.n.Value, true
}

func (y *yamlNode) rng() loc.Range {
	if y.raw != nil && y.rawNode != nil {
		return y.raw.Range(y.rawNode)
	}
	return y.at
}

func (y *yamlNode) number() (int64, bool, func(int64) []finding.TextEdit) {
	if y.n.Kind != yaml.ScalarNode {
		return 0, false, nil
	}
	n, err := strconv.ParseInt(strings.TrimSpace(y.n.Value), 10, 64)
	if err != nil {
		return 0, false, nil
	}
	// Only the very bytes that were rendered may be edited.
	if y.editable && y.raw != nil && y.rawNode != nil && y.rawNode.Kind == yaml.ScalarNode && y.rawNode.Value == y.n.Value &&
		y.rawNode.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
		return n, true, yamlpos.ReplaceNumber(y.raw, y.rawNode)
	}
	return n, true, nil
}

func (y *yamlNode) insert(key string) func(int64) []finding.TextEdit {
	if !y.editable || y.raw == nil || y.rawNode == nil {
		return nil
	}
	return yamlpos.InsertProperty(y.raw, y.rawNode, key)
}

func (y *yamlNode) target(bd *build) (*model.Function, string, string) {
	s, _ := y.str()
	if y.vars != nil {
		// A template's ${name}: the function the templatefile() argument
		// passes as name.
		for _, m := range templateVar.FindAllStringSubmatch(s, -1) {
			if av := y.vars(m[1]); av != nil {
				if fn, q := bd.functionOf(av); fn != nil {
					return fn, q, s
				}
			}
		}
	}
	fn, q := bd.functionNamed(s)
	return fn, q, s
}

var templateVar = regexp.MustCompile(`\$\{\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\}`)

func (y *yamlNode) durations(bd *build, s setting, dflt model.Value) model.Values {
	v := model.Value{Unit: s.unit, Setting: s.name, Loc: y.rng(), Origin: model.Literal}
	n, ok, edit := y.number()
	if !ok {
		text, _ := y.str()
		if m := templateVar.FindStringSubmatch(text); m != nil && y.vars != nil && strings.TrimSpace(text) == m[0] {
			// timeoutInMillis: ${timeout}, passed to templatefile().
			if av := y.vars(m[1]); av != nil {
				return bd.durations(av, s, dflt)
			}
		}
		v.Unknown = fmt.Sprintf("%s is %q, not a number known offline", s.name, text)
		return model.Values{v}
	}
	v.Known, v.D = true, s.unit.Duration(n)
	if edit != nil {
		u := s.unit
		v.Remedy.Edit = func(d time.Duration) []finding.TextEdit { return edit(u.Count(d)) }
	}
	return model.Values{v}
}

// hclNode is a document written as an HCL object in jsonencode(): values
// read through their expressions.
type hclNode struct {
	bd   *build
	av   *hclconfig.AttrValue // the value, evaluated where it is written
	expr hcl.Expression       // nil when the object is not written out
	val  cty.Value
	at   hcl.Range // when expr is nil
}

func (h *hclNode) get(key string) node {
	if h.val == cty.NilVal || !h.val.IsKnown() || h.val.IsNull() {
		return nil
	}
	t := h.val.Type()
	var v cty.Value
	switch {
	case t.IsObjectType():
		if !t.HasAttribute(key) {
			return nil
		}
		v = h.val.GetAttr(key)
	case t.IsMapType():
		if !h.val.HasIndex(cty.StringVal(key)).True() {
			return nil
		}
		v = h.val.Index(cty.StringVal(key))
	default:
		return nil
	}
	c := &hclNode{bd: h.bd, av: h.av, val: v, at: h.at}
	if h.expr != nil {
		if x := h.av.Item(h.expr, key); x != nil {
			c.expr = x
			c.av = h.av.Sub(key, x)
			c.val = c.av.Val
			if c.val == cty.NilVal {
				c.val = v
			}
		} else {
			c.at = h.expr.Range()
		}
	}
	return c
}

func (h *hclNode) keys() []string {
	if h.expr != nil {
		if ks := h.av.Items(h.expr); ks != nil {
			return ks
		}
	}
	if h.val == cty.NilVal || !h.val.IsKnown() || h.val.IsNull() || !(h.val.Type().IsObjectType() || h.val.Type().IsMapType()) {
		return nil
	}
	var out []string
	it := h.val.ElementIterator()
	for it.Next() {
		k, _ := it.Element()
		out = append(out, k.AsString())
	}
	return out
}

func (h *hclNode) str() (string, bool) {
	if h.val == cty.NilVal || !h.val.IsWhollyKnown() || h.val.IsNull() || !h.val.Type().IsPrimitiveType() {
		return "", false
	}
	if h.val.Type() == cty.Number {
		return h.val.AsBigFloat().Text('f', -1), true
	}
	if h.val.Type() == cty.Bool {
		return strconv.FormatBool(h.val.True()), true
	}
	return h.val.AsString(), true
}

func (h *hclNode) rng() loc.Range {
	if h.expr != nil {
		return h.bd.p.rng(h.expr.Range())
	}
	return h.bd.p.rng(h.at)
}

func (h *hclNode) number() (int64, bool, func(int64) []finding.TextEdit) {
	if h.val == cty.NilVal || !h.val.IsWhollyKnown() || h.val.IsNull() {
		return 0, false, nil
	}
	n, ok := number(h.val)
	if !ok {
		return 0, false, nil
	}
	if h.expr != nil && literalNumber(h.expr) {
		if ed := h.bd.replaceLiteral(unwrap(h.expr).Range(), model.InMillis); ed != nil {
			return n, true, func(x int64) []finding.TextEdit { return ed(time.Duration(x) * time.Millisecond) }
		}
	}
	return n, true, nil
}

func (h *hclNode) insert(key string) func(int64) []finding.TextEdit {
	if h.expr == nil || !isObjectCons(h.expr) || !h.bd.editable(h.expr.Range().Filename) {
		return nil
	}
	o := h.expr
	return func(x int64) []finding.TextEdit {
		ed, err := hclconfig.InsertIntoObject(h.bd.p.bytes[o.Range().Filename], o, key, strconv.FormatInt(x, 10))
		if err != nil {
			return nil
		}
		return []finding.TextEdit{h.bd.p.edit(ed.Filename, ed.Offset, ed.Offset+ed.Length, ed.Text)}
	}
}

func (h *hclNode) durations(bd *build, s setting, dflt model.Value) model.Values {
	if h.expr != nil {
		return bd.durations(h.av, s, dflt)
	}
	v := model.Value{Unit: s.unit, Setting: s.name, Loc: h.rng(), Origin: model.Variable, Via: model.Via{Name: "the body's value", Loc: h.rng()}}
	if n, ok, _ := h.number(); ok {
		v.Known, v.D = true, s.unit.Duration(n)
	} else {
		text, _ := h.str()
		v.Unknown = fmt.Sprintf("%s is %q, not a number known offline", s.name, text)
	}
	return model.Values{v}
}

func (h *hclNode) target(bd *build) (*model.Function, string, string) {
	if h.expr == nil {
		s, _ := h.str()
		fn, q := bd.functionNamed(s)
		return fn, q, s
	}
	fn, q := bd.functionOf(h.av)
	return fn, q, h.av.Text()
}

// parseDocument checks that a patched OpenAPI document still parses.
func parseDocument(path string, data []byte) (*yamlpos.File, error) {
	f, err := yamlpos.Parse(path, data)
	if err != nil {
		return nil, yamlpos.ParseError(path, err)
	}
	return f, nil
}
