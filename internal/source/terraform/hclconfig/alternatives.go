package hclconfig

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// maxAlternatives bounds the branches explored for one expression.
const maxAlternatives = 16

// Condition is one undecided condition on the way to an alternative.
type Condition struct {
	Text  string    // the condition as written, e.g. var.env == "prod"
	Range hcl.Range // where it is written
	Holds bool      // true for the "? a" branch, false for the ": b" branch
}

// Alternative is one possible value of an expression whose conditional has
// an unknown condition (like a CloudFormation !If on an undecided condition).
type Alternative struct {
	Value
	// Conditions lead from the expression to this branch, outermost first.
	Conditions []Condition
	// Range is the branch expression's source: edit it to change this
	// alternative. Expr is the branch expression.
	Range hcl.Range
	Expr  hcl.Expression
}

// alternatives explores conditionals with unknown conditions: through
// parentheses, nested conditionals and local values that are such
// conditionals. It returns nil when the expression has no undecided
// conditional at its top.
func (sc *scope) alternatives(expr hcl.Expression) []Alternative {
	var out []Alternative
	sc.walkAlt(expr, nil, &out, 0)
	if len(out) < 2 {
		return nil
	}
	return out
}

func (sc *scope) walkAlt(expr hcl.Expression, conds []Condition, out *[]Alternative, depth int) {
	if len(*out) >= maxAlternatives || depth > 8 {
		return
	}
	leaf := func() {
		v, diags := sc.eval(expr)
		*out = append(*out, Alternative{Value: public(v, diags), Conditions: append([]Condition(nil), conds...), Range: expr.Range(), Expr: expr})
	}
	switch e := expr.(type) {
	case *hclsyntax.ParenthesesExpr:
		sc.walkAlt(e.Expression, conds, out, depth+1)
		return
	case *hclsyntax.ConditionalExpr:
		cv, _ := sc.eval(e.Condition)
		ucv, _ := cv.UnmarkDeep()
		if ucv.IsKnown() && !ucv.IsNull() && ucv.Type().Equals(ucv.Type()) {
			if b, err := toBool(ucv); err == nil {
				if b {
					sc.walkAlt(e.TrueResult, conds, out, depth+1)
				} else {
					sc.walkAlt(e.FalseResult, conds, out, depth+1)
				}
				return
			}
		}
		text := exprText(sc, e.Condition)
		sc.walkAlt(e.TrueResult, append(conds, Condition{Text: text, Range: e.Condition.Range(), Holds: true}), out, depth+1)
		sc.walkAlt(e.FalseResult, append(conds, Condition{Text: text, Range: e.Condition.Range(), Holds: false}), out, depth+1)
		return
	case *hclsyntax.ScopeTraversalExpr:
		if len(e.Traversal) == 2 && e.Traversal.RootName() == "local" && sc.mi.Module != nil {
			if a, ok := e.Traversal[1].(hcl.TraverseAttr); ok {
				if lc := sc.mi.Module.Locals[a.Name]; lc != nil {
					if _, isCond := unwrapParens(lc.Attr.Expr).(*hclsyntax.ConditionalExpr); isCond {
						(&scope{mi: sc.mi}).walkAlt(lc.Attr.Expr, conds, out, depth+1)
						return
					}
				}
			}
		}
	}
	leaf()
}

// Unwrap removes the parentheses around an expression.
func Unwrap(e hcl.Expression) hcl.Expression { return unwrapParens(e) }

func unwrapParens(e hcl.Expression) hcl.Expression {
	for {
		p, ok := e.(*hclsyntax.ParenthesesExpr)
		if !ok {
			return e
		}
		e = p.Expression
	}
}

func exprText(sc *scope, e hcl.Expression) string {
	r := e.Range()
	for _, m := range sc.mi.l.modules {
		for _, f := range m.Files {
			if f.Name == r.Filename && r.End.Byte <= len(f.Bytes) && r.Start.Byte <= r.End.Byte {
				return strings.TrimSpace(string(f.Bytes[r.Start.Byte:r.End.Byte]))
			}
		}
	}
	return r.String()
}
