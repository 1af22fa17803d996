package hclconfig

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// TraceStep is one place on the way a value travelled to an attribute.
type TraceStep struct {
	Module *ModuleInstance
	// What is "" for the starting attribute, else what it referred to:
	// "var.timeout", "local.t", "module.fn.timeout".
	What string
	// Source is where a variable's value was set (for var steps).
	Source VarSource
	// Attr is the attribute holding the expression, when there is one
	// (nil for TF_VAR_ and -var settings; tfvars lines have Range only).
	Attr       *Attribute
	File       string
	Range      hcl.Range
	ValueRange hcl.Range
}

// Trace follows an attribute whose expression is a plain reference
// (var.x, local.x, module.m.out, possibly in parentheses) to where the value
// is written: through module inputs, variable defaults, tfvars lines, locals
// and outputs. The last step is the place to edit to change the value.
func Trace(cfg *Config, mi *ModuleInstance, a *Attribute) []TraceStep {
	return TraceExpr(cfg, mi, a, a.Expr)
}

// TraceExpr is Trace from a part of a's expression (a conditional's
// branch): the first step is that part.
func TraceExpr(cfg *Config, mi *ModuleInstance, a *Attribute, expr hcl.Expression) []TraceStep {
	r := expr.Range()
	steps := []TraceStep{{Module: mi, Attr: a, File: r.Filename, Range: r, ValueRange: r}}
	if expr == a.Expr {
		steps[0].Range, steps[0].ValueRange = a.Range, a.ValueRange
	}
	for i := 0; i < 32; i++ {
		t, ok := plainTraversal(expr)
		if !ok || mi == nil || mi.Module == nil {
			break
		}
		ref := referenceOf(t)
		var next TraceStep
		switch ref.Kind {
		case RefVar:
			name := ref.Subject[len("var."):]
			vv := mi.Vars[name]
			if vv == nil {
				return steps
			}
			next = TraceStep{Module: mi, What: ref.Subject, Source: vv.Source, Attr: vv.Attr, File: vv.File, Range: vv.Range, ValueRange: vv.ValueRange}
			if vv.Source == FromCaller {
				next.Module = mi.Parent
			}
			steps = append(steps, next)
			if vv.Attr == nil {
				return steps
			}
			expr = vv.Attr.Expr
			mi = next.Module
		case RefLocal:
			lc := mi.Module.Locals[ref.Subject[len("local."):]]
			if lc == nil {
				return steps
			}
			steps = append(steps, TraceStep{Module: mi, What: ref.Subject, Attr: lc.Attr, File: lc.Attr.Range.Filename, Range: lc.Attr.Range, ValueRange: lc.Attr.ValueRange})
			expr = lc.Attr.Expr
		case RefModule:
			var child *ModuleInstance
			for _, c := range mi.Children {
				if c.Call != nil && "module."+c.Call.Name == ref.Subject && (ref.Key == cty.NilVal || c.Key.RawEquals(ref.Key)) {
					child = c
					break
				}
			}
			if child == nil || child.Module == nil || child.KeyUnknown && ref.Key != cty.NilVal {
				return steps
			}
			o := child.Module.Outputs[ref.Attr]
			if o == nil || o.Value == nil {
				return steps
			}
			steps = append(steps, TraceStep{Module: child, What: ref.Subject + "." + ref.Attr, Attr: o.Value, File: o.Value.Range.Filename, Range: o.Value.Range, ValueRange: o.Value.ValueRange})
			expr = o.Value.Expr
			mi = child
		default:
			return steps
		}
	}
	return steps
}

func plainTraversal(expr hcl.Expression) (hcl.Traversal, bool) {
	expr = unwrapParens(expr)
	if st, ok := expr.(*hclsyntax.ScopeTraversalExpr); ok {
		return st.Traversal, true
	}
	if _, ok := expr.(*hclsyntax.TemplateWrapExpr); ok {
		return plainTraversal(expr.(*hclsyntax.TemplateWrapExpr).Wrapped)
	}
	// JSON: "${var.x}" parses to a traversal when it is only that.
	if t, diags := hcl.AbsTraversalForExpr(expr); !diags.HasErrors() && len(t) > 1 {
		return t, true
	}
	return nil, false
}
