package finding

import (
	"slices"
	"strings"
)

// Scenario is one way a configuration is deployed: an environment the
// repository defines for it (a samconfig environment, a .tfvars file, a
// stage), a choice among the values its inputs allow that nothing else
// fixes (each AllowedValues value of a template parameter), or both. A
// source that reads a file under several scenarios tags what it builds
// with the scenario; a finding holds in the scenarios whose model it was
// found in, and the driver says which (Holds) when not in all.
type Scenario struct {
	// Env names the environment ("prod"), empty when there is none;
	// EnvKind is what it is, as a message says it: "samconfig
	// environment" (and, with an s, several).
	Env, EnvKind string
	// Inputs are the values chosen for inputs the configuration allows
	// several of, in the configuration's order: Env=prod.
	Inputs []Input
	// Conds are the configuration's conditions as they hold under it.
	Conds []Cond
	// Set is every scenario the file is read under, this one included.
	Set *Scenarios
}

// Input is one input's value under a scenario.
type Input struct{ Name, Value string }

// Cond is one condition and whether it holds.
type Cond struct {
	Name  string
	Holds bool
}

// Scenarios are the scenarios one file is read under.
type Scenarios struct {
	List []*Scenario
}

// Primary reports whether s stands for its file where one reading is
// enough (counting endpoints, joining logs and a live account): no
// scenarios, or the first.
func (s *Scenario) Primary() bool { return s == nil || s.Set == nil || s.Set.List[0] == s }

// Holds words in which of its file's scenarios something holds, for the
// front of a message: "" when in all of them; else "in samconfig
// environments prod, staging", "when IsProd (Env=prod)", or both ("in
// samconfig environment prod when BigJobs (Size=large)").
func Holds(in []*Scenario) string {
	if len(in) == 0 || in[0].Set == nil || len(in) >= len(in[0].Set.List) {
		return ""
	}
	all := in[0].Set.List
	var envs []string // in file order
	byEnv := map[string][2][]*Scenario{}
	for _, s := range all {
		g, seen := byEnv[s.Env]
		if !seen {
			envs = append(envs, s.Env)
		}
		g[0] = append(g[0], s)
		if slices.Contains(in, s) {
			g[1] = append(g[1], s)
		}
		byEnv[s.Env] = g
	}
	if len(envs) == 1 && envs[0] == "" {
		return "when " + condWords(in, all)
	}
	var whole, parts []string
	kind := all[0].EnvKind
	for _, e := range envs {
		g := byEnv[e]
		switch {
		case len(g[1]) == 0:
		case len(g[1]) == len(g[0]):
			whole = append(whole, e)
		default:
			parts = append(parts, "in "+kind+" "+e+" when "+condWords(g[1], g[0]))
		}
	}
	var out []string
	switch len(whole) {
	case 0:
	case 1:
		out = append(out, "in "+kind+" "+whole[0])
	default:
		out = append(out, "in "+kind+"s "+strings.Join(whole, ", "))
	}
	return strings.Join(append(out, parts...), "; ")
}

// condWords words what sets the scenarios in apart from the rest of all:
// the conditions that hold (or not) in each of them but not in all, and
// the input values they choose: "IsProd (Env=prod)", "not IsProd
// (Env=dev or staging)", "FnTimeout=60".
func condWords(in, all []*Scenario) string {
	var conds []string
	for _, c := range in[0].Conds {
		same, varies := true, false
		for _, s := range in {
			if h, ok := condOf(s, c.Name); !ok || h != c.Holds {
				same = false
			}
		}
		for _, s := range all {
			if h, ok := condOf(s, c.Name); !ok || h != c.Holds {
				varies = true
			}
		}
		if same && varies {
			if c.Holds {
				conds = append(conds, c.Name)
			} else {
				conds = append(conds, "not "+c.Name)
			}
		}
	}
	var inputs []string
	for _, i := range in[0].Inputs {
		vals, allVals := valuesOf(in, i.Name), valuesOf(all, i.Name)
		if len(vals) < len(allVals) {
			inputs = append(inputs, i.Name+"="+strings.Join(vals, " or "))
		}
	}
	switch {
	case len(conds) > 0 && len(inputs) > 0:
		return strings.Join(conds, " and ") + " (" + strings.Join(inputs, ", ") + ")"
	case len(conds) > 0:
		return strings.Join(conds, " and ")
	}
	return strings.Join(inputs, ", ")
}

func condOf(s *Scenario, name string) (bool, bool) {
	for _, c := range s.Conds {
		if c.Name == name {
			return c.Holds, true
		}
	}
	return false, false
}

// valuesOf lists the distinct values scenarios give an input, in order.
func valuesOf(ss []*Scenario, name string) []string {
	var out []string
	for _, s := range ss {
		for _, i := range s.Inputs {
			if i.Name == name && !slices.Contains(out, i.Value) {
				out = append(out, i.Value)
			}
		}
	}
	return out
}
