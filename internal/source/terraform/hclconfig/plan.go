package hclconfig

import (
	"fmt"
	"os"
	"regexp"
	"sort"

	tfjson "github.com/hashicorp/terraform-json"
)

// PlanResource is one resource instance of a `terraform show -json` plan.
type PlanResource struct {
	// Addr is the instance address: module.fn["a"].aws_lambda_function.this[0].
	Addr string
	// ConfigAddr drops instance keys: module.fn.aws_lambda_function.this, the
	// address shared by every instance of one block (link it to the HCL
	// block with Config.Module(...) / Module.Resource(...)).
	ConfigAddr string
	// ModuleAddr is the module instance address ("" for the root).
	ModuleAddr string
	Mode       string // "managed" or "data"
	Type, Name string
	Index      any // nil, float64 (count) or string (for_each)
	// Values are the planned values (known ones); Unknown marks those known
	// only after apply (the plan's after_unknown, same shape as Values).
	Values  map[string]any
	Unknown map[string]any
	Actions []string
	// Expressions are the block's configuration expressions, from the
	// plan's configuration section (constants and references only).
	Expressions map[string]*tfjson.Expression
}

// References returns the references of a configuration attribute,
// e.g. ["aws_lambda_function.x.invoke_arn", "aws_lambda_function.x"].
func (r *PlanResource) References(attr string) []string {
	if e := r.Expressions[attr]; e != nil && e.ExpressionData != nil {
		return e.References
	}
	return nil
}

// Plan is a loaded plan.
type Plan struct {
	FormatVersion    string
	TerraformVersion string
	Variables        map[string]any
	Resources        []*PlanResource
}

// Resource returns the plan resource with instance address addr, or nil.
func (p *Plan) Resource(addr string) *PlanResource {
	for _, r := range p.Resources {
		if r.Addr == addr {
			return r
		}
	}
	return nil
}

// LoadPlan reads a `terraform show -json` file.
func LoadPlan(path string) (*Plan, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParsePlan(b)
}

var instanceKeys = regexp.MustCompile(`\[(?:"(?:[^"\\]|\\.)*"|[0-9]+)\]`)

// configAddr strips instance keys from an address.
func configAddr(addr string) string { return instanceKeys.ReplaceAllString(addr, "") }

// ParsePlan reads the JSON of `terraform show -json <planfile>`.
func ParsePlan(b []byte) (*Plan, error) {
	var tp tfjson.Plan
	if err := tp.UnmarshalJSON(b); err != nil {
		return nil, fmt.Errorf("not a Terraform JSON plan: %w", err)
	}
	p := &Plan{FormatVersion: tp.FormatVersion, TerraformVersion: tp.TerraformVersion, Variables: map[string]any{}}
	for k, v := range tp.Variables {
		if v != nil {
			p.Variables[k] = v.Value
		}
	}
	byAddr := map[string]*PlanResource{}
	var walk func(m *tfjson.StateModule)
	walk = func(m *tfjson.StateModule) {
		if m == nil {
			return
		}
		for _, r := range m.Resources {
			pr := &PlanResource{Addr: r.Address, ConfigAddr: configAddr(r.Address), ModuleAddr: m.Address,
				Mode: string(r.Mode), Type: r.Type, Name: r.Name, Index: r.Index, Values: r.AttributeValues}
			byAddr[r.Address] = pr
			p.Resources = append(p.Resources, pr)
		}
		for _, c := range m.ChildModules {
			walk(c)
		}
	}
	if tp.PlannedValues != nil {
		walk(tp.PlannedValues.RootModule)
	}
	for _, rc := range tp.ResourceChanges {
		if rc == nil || rc.Change == nil {
			continue
		}
		pr := byAddr[rc.Address]
		if pr == nil {
			// Deleted instances appear only in resource_changes.
			pr = &PlanResource{Addr: rc.Address, ConfigAddr: configAddr(rc.Address), ModuleAddr: rc.ModuleAddress,
				Mode: string(rc.Mode), Type: rc.Type, Name: rc.Name, Index: rc.Index}
			if m, ok := rc.Change.After.(map[string]any); ok {
				pr.Values = m
			}
			byAddr[rc.Address] = pr
			p.Resources = append(p.Resources, pr)
		}
		for _, a := range rc.Change.Actions {
			pr.Actions = append(pr.Actions, string(a))
		}
		if u, ok := rc.Change.AfterUnknown.(map[string]any); ok {
			pr.Unknown = u
		}
	}
	exprs := map[string]map[string]*tfjson.Expression{}
	var walkCfg func(prefix string, m *tfjson.ConfigModule, depth int)
	walkCfg = func(prefix string, m *tfjson.ConfigModule, depth int) {
		if m == nil || depth > 64 {
			return
		}
		for _, r := range m.Resources {
			exprs[prefix+r.Address] = r.Expressions
		}
		names := make([]string, 0, len(m.ModuleCalls))
		for n := range m.ModuleCalls {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			if c := m.ModuleCalls[n]; c != nil {
				walkCfg(prefix+"module."+n+".", c.Module, depth+1)
			}
		}
	}
	if tp.Config != nil {
		walkCfg("", tp.Config.RootModule, 0)
	}
	for _, pr := range p.Resources {
		pr.Expressions = exprs[pr.ConfigAddr]
	}
	sort.SliceStable(p.Resources, func(i, j int) bool { return p.Resources[i].Addr < p.Resources[j].Addr })
	return p, nil
}
