package cfn

import (
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/model"
)

// Cross-stack references: an Output with Export.Name makes a value known
// to every stack of the account and region by that name, and
// Fn::ImportValue reads it. CDK writes one pair for every reference
// between the stacks of an app (Outputs "ExportsOutputFnGetAtt...Arn..."
// with Export.Name "Stack:ExportsOutput..."). The reader records the
// functions a template exports and the integrations that import theirs;
// correlate.Imports joins them over every template of the run.

// exports records each Output with an Export.Name whose value names a
// function of this template.
func (r *reader) exports() {
	pairs(get(r.f.Root, "Outputs"), func(k, v *yaml.Node) {
		if v.Kind != yaml.MappingNode {
			return
		}
		if c := get(v, "Condition"); c != nil && r.ev.cond(c.Value) == falseTri {
			return
		}
		nameNode := get(get(v, "Export"), "Name")
		if nameNode == nil {
			return
		}
		fn, q := r.functionTarget(r.ev.str(r.f, get(v, "Value")))
		if fn == nil {
			return
		}
		name := r.ev.str(r.f, nameNode)
		e := &model.Export{Function: fn, Qualifier: q, Loc: r.f.Range(nameNode)}
		if s, ok := name.literal(); ok {
			e.Name = s
		} else {
			e.Name, e.Pattern = name.text(), namePattern(name)
		}
		r.b.Export(e)
	})
}

// namePattern matches the names an export name partly known only at
// deploy may take: its literal text, anything for the rest.
func namePattern(ps parts) string {
	var b strings.Builder
	b.WriteString("^")
	for _, p := range ps {
		if s, ok := (parts{p}).literal(); ok {
			b.WriteString(regexp.QuoteMeta(s))
		} else {
			b.WriteString(".+")
		}
	}
	b.WriteString("$")
	return b.String()
}

// imported records an integration whose function URI imports its
// function, for correlate.Imports to link.
func (r *reader) imported(in *model.Integration, uri parts) {
	for _, p := range uri {
		if p.Import != "" {
			r.b.Import(&model.Import{Name: p.Import, Integration: in, Loc: in.Loc})
			return
		}
	}
}
