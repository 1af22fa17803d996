package hclconfig

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// Text returns the attribute's value as a string with the parts known
// offline filled in and each unknown part written as ${reference} (or
// ${?} for what is not a plain reference): enough to see that an
// integration URI is a Lambda invocation, which function name or stage
// variable it names, even when the region or account is not known. A
// wholly known string is returned as it is; "" when the value is not a
// string at all.
func (av *AttrValue) Text() string {
	if av == nil {
		return ""
	}
	if av.Known() {
		if s, ok := stringOf(av.Val); ok {
			return s
		}
		return ""
	}
	if av.sc == nil || av.Expr == nil {
		return ""
	}
	var b strings.Builder
	av.sc.text(av.Expr, &b, 0)
	return b.String()
}

func stringOf(v cty.Value) (string, bool) {
	if v == cty.NilVal || !v.IsKnown() || v.IsNull() {
		return "", false
	}
	if !v.Type().IsPrimitiveType() {
		return "", false
	}
	sv, err := convert.Convert(v, cty.String)
	if err != nil || !sv.IsKnown() || sv.IsNull() {
		return "", false
	}
	return sv.AsString(), true
}

func (sc *scope) text(expr hcl.Expression, b *strings.Builder, depth int) {
	if depth > 16 {
		b.WriteString("${?}")
		return
	}
	switch e := expr.(type) {
	case *hclsyntax.TemplateExpr:
		for _, p := range e.Parts {
			sc.text(p, b, depth+1)
		}
		return
	case *hclsyntax.TemplateWrapExpr:
		sc.text(e.Wrapped, b, depth+1)
		return
	case *hclsyntax.ParenthesesExpr:
		sc.text(e.Expression, b, depth+1)
		return
	}
	v, _ := sc.eval(expr)
	uv, _ := v.UnmarkDeep()
	if s, ok := stringOf(uv); ok {
		b.WriteString(s)
		return
	}
	if st, ok := expr.(*hclsyntax.ScopeTraversalExpr); ok {
		b.WriteString("${" + traversalText(st.Traversal) + "}")
		return
	}
	b.WriteString("${?}")
}

// traversalText writes a traversal as it is written: var.x, a.b[0].c.
func traversalText(t hcl.Traversal) string {
	var b strings.Builder
	for i, step := range t {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			b.WriteString(s.Name)
		case hcl.TraverseAttr:
			b.WriteString("." + s.Name)
		case hcl.TraverseIndex:
			if s.Key.Type() == cty.String {
				b.WriteString(`["` + s.Key.AsString() + `"]`)
			} else if s.Key.Type() == cty.Number {
				b.WriteString("[" + s.Key.AsBigFloat().Text('f', -1) + "]")
			} else {
				b.WriteString("[?]")
			}
		case hcl.TraverseSplat:
			b.WriteString("[*]")
		default:
			if i > 0 {
				b.WriteString(".?")
			}
		}
	}
	return b.String()
}

// Eval evaluates expr (a part of the attribute's expression) in the scope
// the attribute was evaluated in.
func (av *AttrValue) Eval(expr hcl.Expression) Value {
	if av == nil || av.sc == nil || expr == nil {
		return Value{Val: cty.DynamicVal}
	}
	v, diags := av.sc.eval(expr)
	return public(v, diags)
}

// Scope returns the module instance the attribute was evaluated in.
func (av *AttrValue) Scope() *ModuleInstance {
	if av == nil || av.sc == nil {
		return nil
	}
	return av.sc.mi
}

// Instance is the resource instance av was evaluated in; nil outside
// one (a module's output, a local).
func (av *AttrValue) Instance() *ResourceInstance {
	if av == nil || av.sc == nil {
		return nil
	}
	return av.sc.resource
}

// Each is the for_each of the resource instance av was evaluated in, and
// the instance's key; false outside such a resource, or when its keys
// are not known offline.
func (av *AttrValue) Each() (*Attribute, string, bool) {
	if av == nil || av.sc == nil || av.sc.resource == nil {
		return nil, "", false
	}
	ri := av.sc.resource
	if ri.Resource.ForEach == nil || ri.KeyUnknown || ri.Key == cty.NilVal || !ri.Key.IsKnown() || ri.Key.Type() != cty.String {
		return nil, "", false
	}
	return ri.Resource.ForEach, ri.Key.AsString(), true
}

// Sub evaluates expr, a part of the attribute's expression (an object
// item's value), as an attribute of its own named name: in the same
// scope, with its own Origins and Alternatives, so that a caller can read
// one entry of a map argument (routes["GET /"].integration) with the
// bytes it is written in.
func (av *AttrValue) Sub(name string, expr hcl.Expression) *AttrValue {
	if av == nil || expr == nil {
		return nil
	}
	r := expr.Range()
	sub := &AttrValue{Attribute: &Attribute{Name: name, Expr: expr, Range: r, NameRange: r, ValueRange: r, JSON: av.JSON, Refs: references(expr)}, sc: av.sc}
	if av.sc == nil {
		sub.Value = Value{Val: cty.DynamicVal}
		return sub
	}
	v, diags := av.sc.eval(expr)
	sub.marked = v
	sub.Value = public(v, diags)
	if !sub.Known() {
		sub.Alternatives = av.sc.alternatives(expr)
	}
	return sub
}

// Item finds the value expression of key in an object constructor
// (name = value or "key" = value items), or nil.
func (av *AttrValue) Item(obj hcl.Expression, key string) hcl.Expression {
	oc, ok := unwrapParens(obj).(*hclsyntax.ObjectConsExpr)
	if !ok {
		return nil
	}
	for _, it := range oc.Items {
		if k := av.keyName(it.KeyExpr); k == key {
			return it.ValueExpr
		}
	}
	return nil
}

// Items lists the keys of an object constructor in the order written.
func (av *AttrValue) Items(obj hcl.Expression) []string {
	oc, ok := unwrapParens(obj).(*hclsyntax.ObjectConsExpr)
	if !ok {
		return nil
	}
	var out []string
	for _, it := range oc.Items {
		if k := av.keyName(it.KeyExpr); k != "" {
			out = append(out, k)
		}
	}
	return out
}

func (av *AttrValue) keyName(k hcl.Expression) string {
	if kw := hcl.ExprAsKeyword(k); kw != "" {
		return kw
	}
	if ok, isKey := k.(*hclsyntax.ObjectConsKeyExpr); isKey {
		if kw := hcl.ExprAsKeyword(ok.Wrapped); kw != "" && !ok.ForceNonLiteral {
			return kw
		}
		k = ok.Wrapped
	}
	v := av.Eval(k)
	if s, ok := stringOf(v.Val); ok && v.Known() {
		return s
	}
	return ""
}
