package hclconfig

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// maxEvalDepth bounds nested evaluation (locals referring to locals ...), so
// a hostile chain cannot exhaust the stack.
const maxEvalDepth = 1000

func toNumber(v cty.Value) (cty.Value, error) { return convert.Convert(v, cty.Number) }

// eval evaluates expr in the scope; errors give an unknown value whose
// Origin says what went wrong.
func (sc *scope) eval(expr hcl.Expression) (cty.Value, hcl.Diagnostics) {
	l := sc.mi.l
	if l.cancelled.Load() {
		return unknownWith(OriginError, "", "", "evaluation stopped: the time budget is exhausted"), nil
	}
	if l.depth >= maxEvalDepth {
		d := &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Evaluation nested too deeply",
			Detail:   fmt.Sprintf("References are nested more than %d deep; the value is treated as unknown.", maxEvalDepth),
			Subject:  expr.Range().Ptr(),
		}
		l.addDiag(d)
		return unknownWith(OriginError, "", "", "references nested too deeply"), hcl.Diagnostics{d}
	}
	l.depth++
	defer func() { l.depth-- }()
	ctx := sc.context(expr.Variables(), dynamicIndexAttrs(expr))
	v, diags := expr.Value(ctx)
	for _, d := range diags {
		// A hash of a build artifact that is not built yet (lambda.zip) is
		// expected offline: a warning, the value stays unknown.
		if d.Severity == hcl.DiagError && d.Summary == "Error in function call" && isArtifactHashMiss(d.Detail) {
			d.Severity = hcl.DiagWarning
			v = unknownWith(OriginUnknown, "", "", d.Detail)
		}
	}
	if diags.HasErrors() {
		var reason string
		for _, d := range diags {
			if d.Severity == hcl.DiagError {
				reason = d.Summary
				if d.Detail != "" {
					reason += ": " + d.Detail
				}
				if d.Subject != nil {
					reason += " (" + d.Subject.String() + ")"
				}
				break
			}
		}
		v = unknownWith(OriginError, "", "", reason)
	}
	l.addDiags(diags)
	return v, diags
}

// addRef records that attr (or, when "", the whole object) of
// root.name is referenced.
func addRef(res map[string]map[string]*refSet, root, name, attr string) {
	if res[root] == nil {
		res[root] = map[string]*refSet{}
	}
	if res[root][name] == nil {
		res[root][name] = &refSet{}
	}
	res[root][name].add(attr)
}

type refSet struct {
	whole bool
	attrs map[string]bool
}

func (r *refSet) add(attr string) {
	if attr == "" {
		r.whole = true
		return
	}
	if r.attrs == nil {
		r.attrs = map[string]bool{}
	}
	r.attrs[attr] = true
}

// context builds the evaluation context for the given traversals: only what
// they refer to is evaluated.
func (sc *scope) context(travs []hcl.Traversal, dyn map[hcl.Range][]string) *hcl.EvalContext {
	mi := sc.mi
	l := mi.l
	vars := map[string]cty.Value{}
	varNames := map[string]bool{}
	localNames := map[string]bool{}
	modules := map[string]*refSet{}
	res := map[string]map[string]*refSet{} // root (type or "data.type") -> name -> attrs
	var explicit []string                  // resource types referenced as resource.<type>
	for _, t := range travs {
		if t.RootName() == "resource" && len(t) > 1 {
			// resource.<type>.<name> is the explicit form of <type>.<name>.
			if a, ok := t[1].(hcl.TraverseAttr); ok {
				rest := append(hcl.Traversal{hcl.TraverseRoot{Name: a.Name, SrcRange: a.SrcRange}}, t[2:]...)
				explicit = append(explicit, a.Name)
				t = rest
			}
		}
		root := t.RootName()
		if v, ok := sc.iters[root]; ok {
			vars[root] = v
			continue
		}
		ref := referenceOf(t)
		name := ""
		if len(t) > 1 {
			if a, ok := t[1].(hcl.TraverseAttr); ok {
				name = a.Name
			}
		}
		if ref.Attr == "" && (ref.Kind == RefResource || ref.Kind == RefModule || ref.Kind == RefData) {
			if attrs, ok := dyn[t.SourceRange()]; ok {
				// aws_x.y[count.index].attr: the attribute follows a
				// computed index, outside the traversal.
				for _, a := range attrs {
					switch root {
					case "module":
						if modules[name] == nil {
							modules[name] = &refSet{}
						}
						modules[name].add(a)
					case "data":
						if len(t) > 2 {
							if ta, ok := t[2].(hcl.TraverseAttr); ok {
								addRef(res, "data."+name, ta.Name, a)
							}
						}
					default:
						addRef(res, root, name, a)
					}
				}
				continue
			}
		}
		switch root {
		case "var":
			varNames[name] = true
		case "local":
			localNames[name] = true
		case "module":
			if modules[name] == nil {
				modules[name] = &refSet{}
			}
			modules[name].add(ref.Attr)
		case "count":
			if sc.count != cty.NilVal {
				vars["count"] = cty.ObjectVal(map[string]cty.Value{"index": sc.count})
			}
		case "each":
			if sc.eachKey != cty.NilVal {
				ev := sc.eachVal
				if ev == cty.NilVal {
					ev = sc.eachKey
				}
				vars["each"] = cty.ObjectVal(map[string]cty.Value{"key": sc.eachKey, "value": ev})
			}
		case "path":
			vars["path"] = cty.ObjectVal(map[string]cty.Value{
				"module": cty.StringVal(mi.pathModule()),
				"root":   cty.StringVal("."),
				"cwd":    cty.StringVal(l.rootDir),
			})
		case "terraform":
			vars["terraform"] = cty.ObjectVal(map[string]cty.Value{"workspace": cty.StringVal(l.opts.Workspace)})
		case "self":
			vars["self"] = unknownWith(OriginUnknown, "", "self", "self is known only after apply")
		case "data":
			if len(t) > 2 {
				if a, ok := t[2].(hcl.TraverseAttr); ok {
					addRef(res, "data."+name, a.Name, ref.Attr)
				}
			}
		default:
			if name == "" {
				continue
			}
			addRef(res, root, name, ref.Attr)
		}
	}
	if mi.Module != nil {
		if len(varNames) > 0 {
			obj := map[string]cty.Value{}
			for n := range varNames {
				if v, ok := mi.varValue(n); ok {
					obj[n] = v
				}
			}
			vars["var"] = cty.ObjectVal(obj)
		}
		if len(localNames) > 0 {
			obj := map[string]cty.Value{}
			for n := range localNames {
				if v, ok := mi.localValue(n); ok {
					obj[n] = v
				}
			}
			vars["local"] = cty.ObjectVal(obj)
		}
		if len(modules) > 0 {
			obj := map[string]cty.Value{}
			for n, rs := range modules {
				c := mi.Module.Call(n)
				if c == nil {
					continue
				}
				obj[n] = mi.moduleRefValue(c, rs)
			}
			vars["module"] = cty.ObjectVal(obj)
		}
		data := map[string]cty.Value{}
		for root, names := range res {
			obj := map[string]cty.Value{}
			for n, rs := range names {
				addr := root + "." + n
				r := mi.Module.Resource(addr)
				if r == nil {
					continue
				}
				obj[n] = mi.resourceRefValue(r, rs)
			}
			if len(obj) == 0 {
				continue
			}
			if strings.HasPrefix(root, "data.") {
				data[strings.TrimPrefix(root, "data.")] = cty.ObjectVal(obj)
			} else {
				vars[root] = cty.ObjectVal(obj)
			}
		}
		if len(data) > 0 {
			vars["data"] = cty.ObjectVal(data)
		}
		if len(explicit) > 0 {
			obj := map[string]cty.Value{}
			for _, typ := range explicit {
				if v, ok := vars[typ]; ok {
					obj[typ] = v
				}
			}
			vars["resource"] = cty.ObjectVal(obj)
		}
	}
	return &hcl.EvalContext{Variables: vars, Functions: l.functions(mi)}
}

// moduleRefValue is the value of module.<name> for the referenced outputs.
func (mi *ModuleInstance) moduleRefValue(c *ModuleCall, rs *refSet) cty.Value {
	addr := mi.prefix() + "module." + c.Name
	children := mi.children(c)
	cs := mi.callMemo[c]
	if cs.state != done {
		return unknownWith(OriginError, addr, "", "cycle: "+addr+" depends on itself")
	}
	if cs.unknown != "" {
		return unknownWith(OriginModule, addr, "", cs.unknown)
	}
	one := func(child *ModuleInstance) cty.Value {
		if rs.whole {
			if child.Module == nil {
				return unknownWith(OriginModule, child.Addr, "", fmt.Sprintf("%s (source %q) is not loaded: %s", child.Addr, child.Source, child.NotLoaded))
			}
			obj := map[string]cty.Value{}
			for _, n := range child.Module.outOrder {
				v, _ := child.outputValue(n)
				obj[n] = v
			}
			return cty.ObjectVal(obj)
		}
		obj := map[string]cty.Value{}
		for n := range rs.attrs {
			if v, ok := child.outputValue(n); ok {
				obj[n] = v
			}
		}
		return cty.ObjectVal(obj)
	}
	switch {
	case c.Count != nil:
		var elems []cty.Value
		for _, ch := range children {
			elems = append(elems, one(ch))
		}
		if len(elems) == 0 {
			return cty.EmptyTupleVal
		}
		return cty.TupleVal(elems)
	case c.ForEach != nil:
		obj := map[string]cty.Value{}
		for _, ch := range children {
			obj[ch.Key.AsString()] = one(ch)
		}
		return cty.ObjectVal(obj)
	case len(children) == 1:
		return one(children[0])
	}
	return unknownWith(OriginModule, addr, "", addr+" is not loaded")
}

// resourceRefValue is the value of a resource reference for the referenced
// attributes: attributes set in the configuration have their configured
// value (marked with the resource as Origin), others are unknown.
func (mi *ModuleInstance) resourceRefValue(r *Resource, rs *refSet) cty.Value {
	kind := OriginResource
	if r.Mode == Data {
		kind = OriginData
	}
	addr := mi.prefix() + r.Addr
	ins := mi.instancesOf(r)
	if ins.state != done {
		return unknownWith(OriginError, addr, "", "cycle: the count or for_each of "+addr+" depends on itself")
	}
	if ins.reason != "" {
		return unknownWith(kind, addr, "", ins.reason)
	}
	one := func(ri *ResourceInstance) cty.Value {
		if rs.whole {
			return unknownWith(kind, ri.Addr, "", ri.Addr+" is known only after apply")
		}
		obj := map[string]cty.Value{}
		names := make([]string, 0, len(rs.attrs))
		for n := range rs.attrs {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			if v, _, ok := ri.attrValue(n); ok {
				// A data source's arguments are its query: only a primitive
				// argument is sure to come back unchanged.
				if uv, _ := v.UnmarkDeep(); kind != OriginData || uv.Type().IsPrimitiveType() {
					obj[n] = v.WithMarks(originMark(kind, ri.Addr, n, ""))
					continue
				}
			}
			obj[n] = unknownWith(kind, ri.Addr, n, ri.Addr+"."+n+" is known only after apply")
		}
		return cty.ObjectVal(obj)
	}
	switch ins.kind {
	case "count":
		var elems []cty.Value
		for _, ri := range ins.list {
			elems = append(elems, one(ri))
		}
		if len(elems) == 0 {
			return cty.EmptyTupleVal
		}
		return cty.TupleVal(elems)
	case "for_each":
		obj := map[string]cty.Value{}
		for _, ri := range ins.list {
			obj[ri.Key.AsString()] = one(ri)
		}
		return cty.ObjectVal(obj)
	}
	if len(ins.list) == 1 {
		return one(ins.list[0])
	}
	return unknownWith(kind, addr, "", addr+" is known only after apply")
}

func toBool(v cty.Value) (bool, error) {
	bv, err := convert.Convert(v, cty.Bool)
	if err != nil || bv.IsNull() || !bv.IsKnown() {
		return false, fmt.Errorf("not a bool")
	}
	return bv.True(), nil
}

func isArtifactHashMiss(detail string) bool {
	if !strings.Contains(detail, "failed: no file exists") {
		return false
	}
	for _, f := range []string{`"filebase64sha256"`, `"filebase64sha512"`, `"filesha256"`, `"filesha512"`, `"filesha1"`, `"filemd5"`, `"filebase64"`} {
		if strings.Contains(detail, "function "+f) {
			return true
		}
	}
	return false
}

// dynamicIndexAttrs finds references whose instance index is computed
// (aws_x.y[count.index].attr, module.m[each.key].out): HCL reports them as
// the bare aws_x.y, with the attribute outside the traversal. It maps the
// reference's range to the attributes read after the index.
func dynamicIndexAttrs(expr hcl.Expression) map[hcl.Range][]string {
	se, ok := expr.(hclsyntax.Expression)
	if !ok {
		return nil
	}
	var out map[hcl.Range][]string
	hclsyntax.VisitAll(se, func(n hclsyntax.Node) hcl.Diagnostics {
		rt, ok := n.(*hclsyntax.RelativeTraversalExpr)
		if !ok || len(rt.Traversal) == 0 {
			return nil
		}
		ix, ok := rt.Source.(*hclsyntax.IndexExpr)
		if !ok {
			return nil
		}
		st, ok := ix.Collection.(*hclsyntax.ScopeTraversalExpr)
		if !ok {
			return nil
		}
		a, ok := rt.Traversal[0].(hcl.TraverseAttr)
		if !ok {
			return nil
		}
		if out == nil {
			out = map[hcl.Range][]string{}
		}
		r := st.Traversal.SourceRange()
		out[r] = append(out[r], a.Name)
		return nil
	})
	return out
}
