package driver

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/gatelint/gatelint/internal/finding"
)

// holdsIn merges the findings of the scenarios one file is read under
// (its environments, the parameter values it allows): a finding found
// alike in several of them is reported once, and one that does not hold
// in all of them says where it does, at the front of its message ("in
// samconfig environments prod, staging, function ..."). A finding that
// holds in every scenario says nothing of them. Sources only tag what
// they build with its scenario; this is the one place that words it.
func holdsIn(fs []finding.Finding) []finding.Finding {
	type group struct {
		at int
		in []*finding.Scenario
	}
	groups := map[string]*group{}
	var order []*group
	out := fs[:0:0]
	for _, f := range fs {
		sc := f.Resource.Scenario
		if sc == nil || sc.Set == nil || len(sc.Set.List) < 2 {
			out = append(out, f)
			continue
		}
		k := sameKey(f)
		if g := groups[k]; g != nil {
			if !slices.Contains(g.in, sc) {
				g.in = append(g.in, sc)
			}
			continue
		}
		g := &group{at: len(out), in: []*finding.Scenario{sc}}
		groups[k] = g
		order = append(order, g)
		out = append(out, f)
	}
	for _, g := range order {
		if w := finding.Holds(g.in); w != "" {
			out[g.at].Holds = w
			out[g.at].Message = w + ", " + out[g.at].Message
		}
	}
	return out
}

// sameKey is what makes two findings of one file's scenarios one: the
// same rule, place, message, related places, fixes and evidence.
func sameKey(f finding.Finding) string {
	type fix struct {
		finding.Fix
		Safety finding.Safety
	}
	fixes := make([]fix, len(f.Fixes))
	for i, x := range f.Fixes {
		fixes[i] = fix{x, x.Safety}
	}
	b, _ := json.Marshal(struct {
		Rule     string
		Severity finding.Severity
		Location any
		Message  string
		Endpoint *finding.Endpoint
		Related  []finding.Related
		Fixes    []fix
		Evidence *finding.Evidence
	}{f.RuleID, f.Severity, f.Location, f.Message, f.Endpoint, f.Related, fixes, f.Evidence})
	return fmt.Sprintf("%p %s %s", f.Resource.Scenario.Set, f.Resource.Address, b)
}
