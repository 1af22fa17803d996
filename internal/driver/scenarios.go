package driver

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

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
			together(&out[g.at], f)
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
	oneValue(out)
	return out
}

// oneValue reconciles the fixes of findings in several scenarios of one
// file that write different numbers over the same bytes (a Timeout
// literal that two scenarios' waits ask different values of): one edit
// has to serve them all, so each takes the number that fixes every one
// of them, the smallest of values lowered, the largest of values raised.
// A value lowered further than its own scenario needs may fail work
// there that succeeds today: that fix is unsafe.
func oneValue(fs []finding.Finding) {
	type spot struct {
		set        *finding.Scenarios
		file       string
		start, end int
	}
	at := map[spot][]int{}
	for i, f := range fs {
		sc := f.Resource.Scenario
		if sc == nil || len(f.Fixes) == 0 || len(f.Fixes[0].Edits) != 1 || f.Fixes[0].Bound == finding.NoBound {
			continue
		}
		e := f.Fixes[0].Edits[0]
		k := spot{sc.Set, e.File, e.Start, e.End}
		at[k] = append(at[k], i)
	}
	for _, idx := range at {
		if len(idx) < 2 {
			continue
		}
		b := fs[idx[0]].Fixes[0].Bound
		best, ok := int64(0), true
		for n, i := range idx {
			fix := fs[i].Fixes[0]
			x, err := strconv.ParseInt(fix.Edits[0].NewText, 10, 64)
			if err != nil || fix.Bound != b {
				ok = false
				break
			}
			if n == 0 || b == finding.AtMost && x < best || b == finding.AtLeast && x > best {
				best = x
			}
		}
		if !ok {
			continue
		}
		text := strconv.FormatInt(best, 10)
		for _, i := range idx {
			fix := &fs[i].Fixes[0]
			if fix.Edits[0].NewText == text {
				continue
			}
			fix.Edits = []finding.TextEdit{fix.Edits[0]}
			fix.Edits[0].NewText = text
			if j := strings.LastIndex(fix.Description, " to "); j >= 0 {
				fix.Description = fix.Description[:j] + " to " + text + fix.Description[j+4+len(numberAt(fix.Description[j+4:])):]
			}
			fix.Description += ", which every scenario of the file needs"
			if b == finding.AtMost {
				fix.Safety = finding.Unsafe
			}
		}
	}
}

// numberAt is the number s begins with.
func numberAt(s string) string {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return s[:n]
}

// sameKey is what makes two findings of one file's scenarios one: the
// same rule, place, message, fixes (as described) and evidence. Where the
// scenarios' values are set may differ (each environment's line): the
// finding then relates them all, and its fixes edit them all.
func sameKey(f finding.Finding) string {
	type fix struct {
		Description string
		Commands    []string
		Safety      finding.Safety
		Bound       finding.Bound
	}
	fixes := make([]fix, len(f.Fixes))
	for i, x := range f.Fixes {
		fixes[i] = fix{x.Description, x.Commands, x.Safety, x.Bound}
	}
	b, _ := json.Marshal(struct {
		Rule     string
		Severity finding.Severity
		Location any
		Message  string
		Endpoint *finding.Endpoint
		Fixes    []fix
		Evidence *finding.Evidence
	}{f.RuleID, f.Severity, f.Location, f.Message, f.Endpoint, fixes, f.Evidence})
	return fmt.Sprintf("%p %s %s", f.Resource.Scenario.Set, f.Resource.Address, b)
}

// together adds to f what g, the same finding in another scenario, has
// of its own: related places, and the edits of its fixes.
func together(f *finding.Finding, g finding.Finding) {
	for _, r := range g.Related {
		if !slices.Contains(f.Related, r) {
			f.Related = append(slices.Clip(f.Related), r)
		}
	}
	for i := range f.Fixes {
		fix := &f.Fixes[i]
		for _, e := range g.Fixes[i].Edits {
			if !slices.ContainsFunc(fix.Edits, func(x finding.TextEdit) bool {
				return x.File == e.File && x.Start == e.Start && x.End == e.End && x.NewText == e.NewText
			}) {
				fix.Edits = append(slices.Clip(fix.Edits), e)
			}
		}
	}
}
