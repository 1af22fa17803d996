package terraform

import (
	"fmt"
	"math/big"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/terraform/hclconfig"
)

// setting is a duration argument as Terraform spells it.
type setting struct {
	name string
	unit model.Unit
}

var (
	fnTimeout          = setting{"timeout", model.InSeconds}
	integrationTimeout = setting{"timeout_milliseconds", model.InMillis}
	visibilityTimeout  = setting{"visibility_timeout_seconds", model.InSeconds}
	openAPITimeout     = setting{"timeoutInMillis", model.InMillis}
)

// defaultValue is what a setting takes when the configuration leaves it
// out: d, located at key, with the edit that writes it into blk (nil when
// the block is not the user's to edit).
func (bd *build) defaultValue(s setting, d time.Duration, key loc.Range, blk *hclconfig.Block, name string) model.Value {
	v := model.Value{Known: true, D: d, Unit: s.unit, Setting: s.name, Origin: model.Default, Loc: key}
	if blk != nil && bd.editable(blk.Filename()) {
		v.Remedy.Edit = func(d time.Duration) []finding.TextEdit {
			e, err := blk.InsertAttribute(name, strconv.FormatInt(s.unit.Count(d), 10))
			if err != nil {
				return nil
			}
			return []finding.TextEdit{bd.p.edit(e.Filename, e.Offset, e.Offset+e.Length, e.Text)}
		}
	}
	return v
}

// editable reports whether a file is the user's to fix: not a module
// terraform init downloaded.
func (bd *build) editable(abs string) bool {
	return !bd.readonly && abs != "" && !strings.Contains(filepath.ToSlash(abs), "/.terraform/") && bd.p.bytes[abs] != nil
}

// durations reads a duration argument (av nil when it is not set): one
// value, or one per branch of a conditional whose condition is not known
// offline, like a CloudFormation !If on an undecided condition.
func (bd *build) durations(av *hclconfig.AttrValue, s setting, dflt model.Value) model.Values {
	if av == nil {
		return model.Values{dflt}
	}
	if len(av.Alternatives) > 1 {
		var out model.Values
		for _, alt := range av.Alternatives {
			var when []model.Cond
			for _, c := range alt.Conditions {
				when = append(when, model.Cond{Name: c.Text, Holds: c.Holds})
			}
			for _, v := range bd.fromExpr(av, alt.Expr, alt.Value, s, dflt) {
				v.When = append(append([]model.Cond(nil), when...), v.When...)
				out = append(out, v)
			}
		}
		return out
	}
	return bd.fromExpr(av, av.Expr, av.Value, s, dflt)
}

// fromExpr reads one expression's value.
func (bd *build) fromExpr(av *hclconfig.AttrValue, expr hcl.Expression, val hclconfig.Value, s setting, dflt model.Value) model.Values {
	at := bd.p.rng(expr.Range())
	if expr == av.Expr {
		at = bd.p.rng(av.ValueRange)
	}
	v := model.Value{Unit: s.unit, Setting: s.name, Loc: at}
	if !val.Known() {
		why := bd.unknownReason(val)
		if n, ok := bd.planned(av); ok && expr == av.Expr {
			// Known from the plan made with this configuration.
			file, u := filepath.Base(bd.planFile), s.unit
			v.Known, v.D, v.Origin = true, s.unit.Duration(n), model.Variable
			v.Via = model.Via{Name: "the plan " + file}
			v.Remedy.Advice = func(d time.Duration) string {
				return fmt.Sprintf(" The plan %s gives %d, where the configuration cannot tell (%s): make it %d where that value comes from.", file, n, why, u.Count(d))
			}
			return model.Values{v}
		}
		v.Unknown = why
		return model.Values{v}
	}
	if val.Val.IsNull() {
		// null is Terraform's "not set": the default applies.
		d := dflt
		d.Loc = at
		d.Remedy.Edit = bd.replaceLiteral(expr.Range(), s.unit)
		return model.Values{d}
	}
	n, ok := number(val.Val)
	if !ok {
		v.Unknown = fmt.Sprintf("%s is %s, not a number", s.name, describe(val.Val))
		return model.Values{v}
	}
	v.Known, v.D = true, s.unit.Duration(n)
	bd.origin(&v, av, expr)
	return model.Values{v}
}

// number reads a whole number (a number or a numeric string, as Terraform
// converts it).
func number(v cty.Value) (int64, bool) {
	nv, err := convert.Convert(v, cty.Number)
	if err != nil || !nv.IsKnown() || nv.IsNull() {
		return 0, false
	}
	bf := nv.AsBigFloat()
	i, acc := bf.Int64()
	if acc != big.Exact {
		f, _ := bf.Float64()
		i = int64(f)
	}
	return i, true
}

func describe(v cty.Value) string {
	if v.Type() == cty.String {
		return strconv.Quote(v.AsString())
	}
	return "a " + v.Type().FriendlyName()
}

// unknownReason says why a value is not known offline, with what to pass
// when an unset root variable is why.
func (bd *build) unknownReason(val hclconfig.Value) string {
	reasons := val.Reasons()
	var hints []string
	for _, o := range val.Origins {
		if o.Kind == hclconfig.OriginVariable && strings.HasPrefix(o.Addr, "var.") {
			name := strings.TrimPrefix(o.Addr, "var.")
			hints = append(hints, fmt.Sprintf("pass --param %s=VALUE or a .tfvars file with --params-file", name))
		}
	}
	s := strings.Join(reasons, "; ")
	if len(hints) > 0 {
		s += "; " + strings.Join(hints, "; ")
	}
	return s
}

// literalNumber reports whether expr is a number written as such (or as a
// quoted number), whose bytes an edit may replace.
func literalNumber(expr hcl.Expression) bool {
	switch e := unwrap(expr).(type) {
	case *hclsyntax.LiteralValueExpr:
		return e.Val.Type() == cty.Number
	case *hclsyntax.TemplateExpr:
		if len(e.Parts) != 1 {
			return false
		}
		lit, ok := e.Parts[0].(*hclsyntax.LiteralValueExpr)
		if !ok || lit.Val.Type() != cty.String {
			return false
		}
		_, err := strconv.ParseFloat(lit.Val.AsString(), 64)
		return err == nil
	case *hclsyntax.UnaryOpExpr, *hclsyntax.ScopeTraversalExpr, *hclsyntax.FunctionCallExpr, *hclsyntax.ConditionalExpr,
		*hclsyntax.BinaryOpExpr, *hclsyntax.IndexExpr, *hclsyntax.TemplateWrapExpr, *hclsyntax.RelativeTraversalExpr:
		return false
	}
	// JSON syntax: a number or a string holding one, without ${.
	v, diags := expr.Value(nil)
	if diags.HasErrors() || !v.IsKnown() || v.IsNull() {
		return false
	}
	if len(expr.Variables()) > 0 {
		return false
	}
	_, ok := number(v)
	return ok
}

func unwrap(e hcl.Expression) hcl.Expression { return hclconfig.Unwrap(e) }

// replaceLiteral is the edit that writes a number over the bytes of r,
// keeping quotes where the number was written as a string.
func (bd *build) replaceLiteral(r hcl.Range, u model.Unit) func(time.Duration) []finding.TextEdit {
	src := bd.p.bytes[r.Filename]
	if src == nil || !bd.editable(r.Filename) || r.Start.Byte < 0 || r.End.Byte > len(src) || r.End.Byte <= r.Start.Byte {
		return nil
	}
	quoted := src[r.Start.Byte] == '"'
	return func(d time.Duration) []finding.TextEdit {
		text := strconv.FormatInt(u.Count(d), 10)
		if quoted {
			text = `"` + text + `"`
		}
		return []finding.TextEdit{bd.p.edit(r.Filename, r.Start.Byte, r.End.Byte, text)}
	}
}

// origin says where a known value is really set, and how to change it:
// a literal is edited where it is written; a value a module's caller
// passes is edited at the caller's argument (where the finding points,
// as tflint reports it); a variable's default, a tfvars line or a local
// value may be read by other resources, so it is changed only on request
// (--fix-parameters), and the message says where it is set.
func (bd *build) origin(v *model.Value, av *hclconfig.AttrValue, expr hcl.Expression) {
	e := unwrap(expr)
	if literalNumber(e) {
		v.Origin = model.Literal
		v.Remedy.Edit = bd.replaceLiteral(e.Range(), v.Unit)
		return
	}
	if c, ok := e.(*hclsyntax.ConditionalExpr); ok {
		// A condition known offline: the branch taken is the value.
		cv := av.Eval(c.Condition)
		if cv.Known() && !cv.Val.IsNull() {
			if b, err := convert.Convert(cv.Val, cty.Bool); err == nil {
				if b.True() {
					bd.origin(v, av, c.TrueResult)
				} else {
					bd.origin(v, av, c.FalseResult)
				}
				if v.Via.Name == "" {
					v.Via.Name = "the condition " + bd.text(c.Condition.Range())
				}
				return
			}
		}
	}
	if bd.viaEach(v, av, e) {
		return
	}
	mi := av.Scope()
	steps := hclconfig.TraceExpr(bd.cfg, mi, av.Attribute, e)
	if len(steps) < 2 {
		bd.computed(v, e)
		return
	}
	// The outermost caller's argument the value passed through is where
	// the finding points.
	for _, st := range steps[1:] {
		if st.Source == hclconfig.FromCaller && st.Attr != nil {
			v.Loc = bd.p.rng(st.ValueRange)
		}
	}
	last := steps[len(steps)-1]
	var lastExpr hcl.Expression
	if last.Attr != nil {
		lastExpr = last.Attr.Expr
	}
	if last.Source == hclconfig.FromCaller {
		if lastExpr != nil && literalNumber(lastExpr) {
			// Written in the module call: the user's literal.
			v.Origin = model.Literal
			v.Setting = last.Attr.Name
			v.Remedy.Edit = bd.replaceLiteral(unwrap(lastExpr).Range(), v.Unit)
			return
		}
		bd.computed(v, lastExpr)
		return
	}
	where := bd.p.rng(last.ValueRange)
	owner := ""
	if last.Module != nil && last.Module.Addr != "" {
		owner = " of " + last.Module.Addr
	}
	name := last.What
	u := v.Unit
	editable := last.ValueRange.Filename != "" && bd.editable(last.ValueRange.Filename)
	if lastExpr != nil {
		editable = editable && literalNumber(lastExpr)
	} else {
		_, isNum := bd.numberText(last.ValueRange)
		editable = editable && isNum
	}
	v.Origin = model.Variable
	var shared string // what the shared fix changes, for its description
	switch {
	case strings.HasPrefix(name, "var."):
		vn := strings.TrimPrefix(name, "var.")
		v.Via = model.Via{Name: "variable " + vn + owner, Loc: where}
		switch last.Source {
		case hclconfig.FromDefault:
			v.Via.SetHere = "as the default of variable " + vn
			shared = "the default of variable " + vn + owner
			v.Remedy.Advice = func(d time.Duration) string {
				if owner != "" {
					return fmt.Sprintf(" Pass %s = %d in the module call, or change its default at %s.", vn, u.Count(d), where)
				}
				return fmt.Sprintf(" Set variable %s to %d (in a .tfvars file, or -var) or change its default at %s.", vn, u.Count(d), where)
			}
		case hclconfig.FromTFVars, hclconfig.FromAutoVars, hclconfig.FromVarFile:
			file := filepath.Base(last.File)
			v.Via.SetHere = "in " + file
			shared = vn + " in " + file
			v.Remedy.Advice = func(d time.Duration) string {
				return fmt.Sprintf(" Set %s = %d in %s (line %d).", vn, u.Count(d), file, where.Start.Line)
			}
		case hclconfig.FromEnv:
			v.Via.SetHere = "from TF_VAR_" + vn
			v.Remedy.Advice = func(d time.Duration) string {
				return fmt.Sprintf(" Set TF_VAR_%s=%d.", vn, u.Count(d))
			}
		case hclconfig.FromPlan:
			file := filepath.Base(last.File)
			v.Via.SetHere = "in the plan " + file
			v.Remedy.Advice = func(d time.Duration) string {
				return fmt.Sprintf(" The plan %s was made with this value: plan again with %s = %d.", file, vn, u.Count(d))
			}
		case hclconfig.FromCLI:
			v.Via.SetHere = "from --param " + vn
			v.Remedy.Advice = func(d time.Duration) string {
				return fmt.Sprintf(" Pass --param %s=%d (and -var %s=%d to Terraform).", vn, u.Count(d), vn, u.Count(d))
			}
		}
	case strings.HasPrefix(name, "local."):
		ln := strings.TrimPrefix(name, "local.")
		v.Via = model.Via{Name: "local." + ln + owner, Loc: where, SetHere: "as local value " + ln}
		shared = "local." + ln + owner
		v.Remedy.Advice = func(d time.Duration) string {
			return fmt.Sprintf(" Change local.%s to %d at %s (other resources may use it).", ln, u.Count(d), where)
		}
	default:
		// A module output.
		v.Via = model.Via{Name: name, Loc: where, SetHere: "as " + name}
		shared = name
		v.Remedy.Advice = func(d time.Duration) string {
			return fmt.Sprintf(" Make %s %d at %s.", name, u.Count(d), where)
		}
	}
	if lastExpr != nil && !literalNumber(lastExpr) {
		// Set by an expression (merge(...), a lookup): say where, without
		// pretending one edit of it would do.
		src := bd.text(steps[1].ValueRange)
		if st := steps[0]; st.Attr != nil {
			src = bd.text(unwrap(e).Range())
		}
		v.Via.Name = src + owner
		text := bd.text(lastExpr.Range())
		v.Remedy.Advice = func(d time.Duration) string {
			return fmt.Sprintf(" It comes from %s, set at %s by %s: make it %d.", src, where, text, u.Count(d))
		}
		return
	}
	if !editable {
		return
	}
	var edit func(time.Duration) []finding.TextEdit
	if lastExpr != nil {
		edit = bd.replaceLiteral(unwrap(lastExpr).Range(), v.Unit)
	} else {
		edit = bd.replaceLiteral(last.ValueRange, v.Unit)
	}
	if edit == nil {
		return
	}
	v.Remedy.Shared = func(d time.Duration, what string) (finding.Fix, bool) {
		return finding.Fix{Description: fmt.Sprintf("set %s to %d (%s)", shared, u.Count(d), what), Edits: edit(d)}, true
	}
}

// viaEach locates a value read as each.value.<path> in a resource whose
// for_each is a map written out where the module is called (routes = {
// "GET /" = { timeout_milliseconds = 12000 } }), or in the for_each
// itself: at the literal of this instance's entry, which is what to
// edit, as tflint reports a module input at the caller's argument. A
// for_each that projects its map ({ for k, v in var.routes : k =>
// v.integration }) is followed through the projection. Anything else
// (a default, a local, a merge) is left to origin.
func (bd *build) viaEach(v *model.Value, av *hclconfig.AttrValue, e hcl.Expression) bool {
	path, ok := eachValuePath(e)
	if !ok {
		return false
	}
	fe, key, ok := av.Each()
	if !ok {
		return false
	}
	src := unwrap(fe.Expr)
	if fx, ok := src.(*hclsyntax.ForExpr); ok {
		k, kok := rootedPath(fx.KeyExpr, fx.KeyVar)
		val, vok := rootedPath(fx.ValExpr, fx.ValVar)
		if fx.KeyVar == "" || !kok || len(k) != 0 || !vok || fx.Group {
			return false
		}
		path = append(val, path...)
		src = unwrap(fx.CollExpr)
	}
	obj := src
	if _, literal := src.(*hclsyntax.ObjectConsExpr); !literal {
		steps := hclconfig.TraceExpr(bd.cfg, av.Scope(), fe, src)
		last := steps[len(steps)-1]
		if len(steps) < 2 || last.Source != hclconfig.FromCaller || last.Attr == nil {
			return false
		}
		obj = last.Attr.Expr
	}
	x := av.Item(obj, key)
	for _, name := range path {
		if x == nil {
			return false
		}
		x = av.Item(x, name)
	}
	if x == nil || !literalNumber(x) {
		return false
	}
	r := unwrap(x).Range()
	if n, ok := bd.numberText(r); !ok || n != v.Unit.Count(v.D) || v.Unit.Duration(n) != v.D {
		return false // not the value read (a default merged over it, say)
	}
	v.Origin = model.Literal
	v.Loc = bd.p.rng(r)
	v.Remedy.Edit = bd.replaceLiteral(r, v.Unit)
	return true
}

// eachValuePath is the path of each.value.a.b (or each.value["a"]): [a b].
func eachValuePath(e hcl.Expression) ([]string, bool) {
	path, ok := rootedPath(e, "each")
	if !ok || len(path) < 2 || path[0] != "value" {
		return nil, false
	}
	return path[1:], true
}

// rootedPath is the attribute names a traversal of root takes (v.a.b:
// [a b]); false for anything but a plain traversal of root by names.
func rootedPath(e hcl.Expression, root string) ([]string, bool) {
	st, ok := unwrap(e).(*hclsyntax.ScopeTraversalExpr)
	if !ok || len(st.Traversal) == 0 || st.Traversal.RootName() != root {
		return nil, false
	}
	var out []string
	for _, t := range st.Traversal[1:] {
		switch s := t.(type) {
		case hcl.TraverseAttr:
			out = append(out, s.Name)
		case hcl.TraverseIndex:
			if s.Key.Type() != cty.String || !s.Key.IsKnown() {
				return nil, false
			}
			out = append(out, s.Key.AsString())
		default:
			return nil, false
		}
	}
	return out, true
}

// computed is a value worked out by an expression (arithmetic, a
// function, a lookup): no edit can say which part to change.
func (bd *build) computed(v *model.Value, e hcl.Expression) {
	v.Origin = model.Literal
	if e == nil {
		return
	}
	if len(e.Variables()) > 0 {
		v.Origin = model.Variable
		if _, ok := unwrap(e).(*hclsyntax.IndexExpr); ok {
			v.Origin = model.Lookup
		}
		if fc, ok := unwrap(e).(*hclsyntax.FunctionCallExpr); ok && fc.Name == "lookup" {
			v.Origin = model.Lookup
		}
	}
	u := v.Unit
	where := bd.p.rng(e.Range())
	text := bd.text(e.Range())
	v.Via = model.Via{Name: "the expression " + text, Loc: where}
	if v.Origin == model.Literal {
		v.Via = model.Via{}
	}
	v.Remedy.Advice = func(d time.Duration) string {
		return fmt.Sprintf(" It is computed by %s at %s: make it %d.", text, where, u.Count(d))
	}
}

// text is the source of r, on one line, shortened.
func (bd *build) text(r hcl.Range) string {
	src := bd.p.bytes[r.Filename]
	if src == nil || r.Start.Byte < 0 || r.End.Byte > len(src) || r.Start.Byte > r.End.Byte {
		return "the expression"
	}
	s := strings.Join(strings.Fields(string(src[r.Start.Byte:r.End.Byte])), " ")
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

// str is a string argument's value when known.
func str(av *hclconfig.AttrValue) (string, bool) {
	if av == nil || !av.Known() || av.Val.IsNull() {
		return "", false
	}
	sv, err := convert.Convert(av.Val, cty.String)
	if err != nil || sv.IsNull() {
		return "", false
	}
	return sv.AsString(), true
}

// boolOr is a bool argument's value, or dflt when unset or not known.
func boolOr(av *hclconfig.AttrValue, dflt bool) bool {
	if av == nil || !av.Known() || av.Val.IsNull() {
		return dflt
	}
	bv, err := convert.Convert(av.Val, cty.Bool)
	if err != nil || bv.IsNull() {
		return dflt
	}
	return bv.True()
}

// numberText reads the bytes of r as a number written plainly or quoted
// (a tfvars line's value).
func (bd *build) numberText(r hcl.Range) (int64, bool) {
	src := bd.p.bytes[r.Filename]
	if src == nil || r.Start.Byte < 0 || r.End.Byte > len(src) || r.Start.Byte >= r.End.Byte {
		return 0, false
	}
	t := strings.Trim(string(src[r.Start.Byte:r.End.Byte]), `"`)
	n, err := strconv.ParseInt(t, 10, 64)
	return n, err == nil
}
