package hclconfig

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// references lists the references of an expression in source order.
func references(expr hcl.Expression) []Reference {
	if expr == nil {
		return nil
	}
	var out []Reference
	for _, t := range expr.Variables() {
		out = append(out, referenceOf(t))
	}
	return out
}

// referenceOf classifies one traversal.
func referenceOf(t hcl.Traversal) Reference {
	r := Reference{Traversal: t, Range: t.SourceRange()}
	if t.RootName() == "resource" && len(t) > 1 {
		if a, ok := t[1].(hcl.TraverseAttr); ok {
			r := referenceOf(append(hcl.Traversal{hcl.TraverseRoot{Name: a.Name, SrcRange: a.SrcRange}}, t[2:]...))
			r.Traversal, r.Range = t, t.SourceRange()
			return r
		}
	}
	root := t.RootName()
	attrAt := func(i int) string {
		if i < len(t) {
			if a, ok := t[i].(hcl.TraverseAttr); ok {
				return a.Name
			}
		}
		return ""
	}
	keyAt := func(i int) (cty.Value, bool) {
		if i < len(t) {
			if ix, ok := t[i].(hcl.TraverseIndex); ok {
				return ix.Key, true
			}
		}
		return cty.NilVal, false
	}
	switch root {
	case "var", "local", "path", "terraform", "count", "each", "self":
		r.Kind = RefKind(root)
		name := attrAt(1)
		r.Subject = root
		if name != "" {
			r.Subject = root + "." + name
		}
		if root == "count" || root == "each" || root == "path" || root == "terraform" {
			r.Attr = name
		} else {
			r.Attr = attrAt(2)
		}
	case "module":
		r.Kind = RefModule
		name := attrAt(1)
		r.Subject = "module." + name
		i := 2
		if k, ok := keyAt(i); ok {
			r.Key = k
			i++
		}
		r.Attr = attrAt(i)
	case "data":
		r.Kind = RefData
		typ, name := attrAt(1), attrAt(2)
		r.Subject = "data." + typ + "." + name
		i := 3
		if k, ok := keyAt(i); ok {
			r.Key = k
			i++
		}
		r.Attr = attrAt(i)
	default:
		if strings.Contains(root, "_") || attrAt(1) != "" {
			r.Kind = RefResource
			name := attrAt(1)
			r.Subject = root + "." + name
			i := 2
			if k, ok := keyAt(i); ok {
				r.Key = k
				i++
			}
			r.Attr = attrAt(i)
		} else {
			r.Kind = RefIterator
			r.Subject = root
			r.Attr = attrAt(1)
		}
	}
	return r
}
