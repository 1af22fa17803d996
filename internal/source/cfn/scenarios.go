package cfn

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/yamlpos"
)

// A template is judged as AWS will deploy it, in each way it is deployed:
// in every environment the repository defines for it (Options.Envs, from
// samconfig), and, for each parameter nothing gives a value to whose
// AllowedValues change what is judged (a duration, a condition, an
// endpoint type), in each of those values, as cfn-lint builds its
// scenarios. Each scenario is one reading of the template, its resources
// tagged with the scenario; the driver says in which scenarios a finding
// holds. A parameter with only a Default is read at its Default, as
// before.

// Env is an environment a template is deployed with.
type Env struct {
	// Name is the environment's name ("prod"); Kind what it is, for
	// messages ("samconfig environment").
	Name, Kind string
	// Params are the parameter values it gives.
	Params map[string]EnvParam
}

// EnvParam is one parameter value an environment gives, with where it is
// written and the edit that changes it there.
type EnvParam struct {
	Env, Kind string
	Value     string
	Loc       loc.Range
	Edit      func(string) []finding.TextEdit
}

// maxScenarios caps the readings of one template, as cfn-lint caps its
// scenarios at 128.
const maxScenarios = 128

// loadScenarios reads f into b under each of its scenarios.
func loadScenarios(b *model.Builder, f *yamlpos.File, opts Options) []finding.InputError {
	envs := make([]*Env, 0, len(opts.Envs))
	for i := range opts.Envs {
		envs = append(envs, &opts.Envs[i])
	}
	if len(envs) == 0 {
		envs = []*Env{nil}
	}
	type spec struct {
		env    *Env
		choice []finding.Input
	}
	var specs []spec
	var capped []string
	for _, env := range envs {
		// A first reading tells which parameters with AllowedValues what
		// is judged depends on; a reading under their values may reach
		// more (a condition behind another), so it is asked again.
		probe := newReader(model.NewBuilder(), f, opts, env, nil, nil)
		probe.read()
		if len(envs) == 1 && env == nil {
			if vary := probe.varying(); len(vary) == 0 {
				b.Model().Add(probe.b.Model())
				return probe.errs
			}
		}
		vary := probe.varying()
		// One value changed at a time (a reading per value, not per
		// combination) is enough to reach what a condition behind
		// another depends on.
		for tried := 0; tried < len(vary) && tried < maxScenarios; tried++ {
			p := vary[tried]
			for _, v := range allowedValues(get(get(f.Root, "Parameters"), p)) {
				r := newReader(model.NewBuilder(), f, opts, env, []finding.Input{{Name: p, Value: v}}, nil)
				r.read()
				for _, q := range r.varying() {
					if !slices.Contains(vary, q) {
						vary = append(vary, q)
					}
				}
			}
		}
		vary = inOrder(f, vary)
		total := 1
		for _, p := range vary {
			total *= len(allowedValues(get(get(f.Root, "Parameters"), p)))
			total = min(total, 1<<30)
		}
		n := maxScenarios / len(envs)
		all := combinations(f, vary, n)
		if total > n {
			capped = append(capped, fmt.Sprintf("%d combinations of %s", total, strings.Join(vary, ", ")))
		}
		for _, c := range all {
			specs = append(specs, spec{env, c})
		}
	}
	set := &finding.Scenarios{}
	var errs []finding.InputError
	for _, sp := range specs {
		sc := &finding.Scenario{Inputs: sp.choice, Set: set}
		if sp.env != nil {
			sc.Env, sc.EnvKind = sp.env.Name, sp.env.Kind
		}
		set.List = append(set.List, sc)
		r := newReader(b, f, opts, sp.env, sp.choice, sc)
		r.read()
		sc.Conds = r.ev.allConds()
		for _, e := range r.errs {
			if !slices.Contains(errs, e) {
				errs = append(errs, e)
			}
		}
	}
	for _, c := range capped {
		b.Notef(loc.Range{File: f.Path}, "the parameters allow %s; gatelint judged the first %d", c, maxScenarios/len(envs))
	}
	return errs
}

// varying lists the parameters this reading depended on that allow
// several values and that nothing gave one: the inputs to judge each
// value of, in the template's order.
func (r *reader) varying() []string {
	var out []string
	pairs(get(r.f.Root, "Parameters"), func(k, v *yaml.Node) {
		p := r.ev.params[k.Value]
		if p == nil || p.override || p.env != nil || !r.ev.touched[k.Value] {
			return
		}
		if p.chosen || len(allowedValues(v)) > 1 {
			out = append(out, k.Value)
		}
	})
	return out
}

// inOrder sorts parameter names in the template's order.
func inOrder(f *yamlpos.File, names []string) []string {
	var out []string
	pairs(get(f.Root, "Parameters"), func(k, _ *yaml.Node) {
		if slices.Contains(names, k.Value) {
			out = append(out, k.Value)
		}
	})
	return out
}

// allowedValues lists a parameter's AllowedValues, each once.
func allowedValues(p *yaml.Node) []string {
	av := get(p, "AllowedValues")
	if av == nil || av.Kind != yaml.SequenceNode {
		return nil
	}
	var out []string
	for _, it := range av.Content {
		if it.Kind == yaml.ScalarNode && !slices.Contains(out, it.Value) {
			out = append(out, it.Value)
		}
	}
	return out
}

// combinations lists the choices of one value for each parameter, the
// first parameter varying slowest; at most limit of them (limit < 0: all).
func combinations(f *yamlpos.File, names []string, limit int) [][]finding.Input {
	out := [][]finding.Input{nil}
	for _, n := range names {
		vals := allowedValues(get(get(f.Root, "Parameters"), n))
		var next [][]finding.Input
	grow:
		for _, c := range out {
			for _, v := range vals {
				next = append(next, append(slices.Clip(c), finding.Input{Name: n, Value: v}))
				if limit >= 0 && len(next) >= limit {
					break grow
				}
			}
		}
		out = next
	}
	if len(names) == 0 {
		return [][]finding.Input{nil}
	}
	return out
}

// allConds evaluates every condition the template declares, for naming
// the scenario: those decided, in the template's order.
func (e *evaluator) allConds() []finding.Cond {
	var out []finding.Cond
	pairs(e.conditions, func(k, _ *yaml.Node) {
		switch e.cond(k.Value) {
		case trueTri:
			out = append(out, finding.Cond{Name: k.Value, Holds: true})
		case falseTri:
			out = append(out, finding.Cond{Name: k.Value, Holds: false})
		}
	})
	return out
}
