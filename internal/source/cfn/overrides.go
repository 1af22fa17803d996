package cfn

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// overrides lays the values given on the command line (--param,
// --params-file) over the parameters the template declares in ps. A
// value CloudFormation would refuse — not a number for a Number, outside
// AllowedValues, MinValue or MaxValue — is an input error at the
// parameter, and is not used: a deploy with it fails before anything is
// created.
func (r *reader) overrides(out map[string]*param, ps *yaml.Node) {
	var names []string
	pairs(ps, func(k, _ *yaml.Node) { names = append(names, k.Value) })
	if r.opts.OnParameters != nil {
		r.opts.OnParameters(names)
	}
	for _, k := range slices.Sorted(mapKeys(r.opts.Params)) {
		v := r.opts.Params[k]
		key, decl := lookup(ps, k)
		if decl == nil {
			// Not this template's; the run says when no template has it.
			out[k] = &param{value: v, known: true, override: true}
			continue
		}
		if why := refused(decl, v); why != "" {
			r.errorf(key, "the value given for parameter %s, %q, %s: CloudFormation refuses it, so the deploy fails", k, v, why)
			out[k] = &param{rejected: fmt.Sprintf("the value given for parameter %s is refused (%s)", k, why)}
			continue
		}
		if ep, ok := r.opts.ParamsAt[k]; ok && ep.Value == v && !slices.Contains(r.opts.FlagParams, k) {
			// From the --params-file: where it is written is what to
			// change, as for an environment's value.
			out[k] = &param{value: v, known: true, env: &ep}
			continue
		}
		out[k] = &param{value: v, known: true, override: true}
	}
	r.passedParam(out)
}

func mapKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// refused says why CloudFormation would refuse v for the parameter decl
// declares; "" when it would take it.
func refused(decl *yaml.Node, v string) string {
	typ := scalar(get(decl, "Type"))
	values := []string{v}
	if strings.HasPrefix(typ, "List<") || typ == "CommaDelimitedList" {
		values = strings.Split(v, ",")
		for i := range values {
			values[i] = strings.TrimSpace(values[i])
		}
	}
	numeric := typ == "Number" || typ == "List<Number>"
	for _, x := range values {
		if numeric {
			n, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
			if err != nil {
				return fmt.Sprintf("is not a number (the parameter is Type: %s)", typ)
			}
			if m, ok := number(get(decl, "MinValue")); ok && n < m {
				return fmt.Sprintf("is below its MinValue of %s", scalar(get(decl, "MinValue")))
			}
			if m, ok := number(get(decl, "MaxValue")); ok && n > m {
				return fmt.Sprintf("is above its MaxValue of %s", scalar(get(decl, "MaxValue")))
			}
		}
		if av := get(decl, "AllowedValues"); av != nil && av.Kind == yaml.SequenceNode {
			var allowed []string
			ok := false
			for _, a := range av.Content {
				if a.Kind != yaml.ScalarNode {
					ok = true // computed: not judged
					break
				}
				allowed = append(allowed, a.Value)
				ok = ok || a.Value == x || (numeric && sameNumber(a.Value, x))
			}
			if !ok {
				return "is not one of its AllowedValues (" + strings.Join(allowed, ", ") + ")"
			}
		}
	}
	return ""
}

func number(n *yaml.Node) (float64, bool) {
	if n == nil || n.Kind != yaml.ScalarNode {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(n.Value), 64)
	return f, err == nil
}

func sameNumber(a, b string) bool {
	x, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
	y, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
	return err1 == nil && err2 == nil && x == y
}
