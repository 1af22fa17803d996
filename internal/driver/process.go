package driver

import (
	"cmp"
	"slices"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/rules"
)

// Lint runs the enabled rules over m, then the processors: the generated
// place of what is located in its origin (the synthesized template's line
// of a CDK app's), suppressions
// (of findings, and of fixes made on behalf of a rule that is off or
// suppressed), severity overrides, the merging of one file's scenarios
// (holdsIn), and a stable order.
func Lint(m *model.Model, cfg Config) []finding.Finding {
	var fs []finding.Finding
	for _, r := range rules.All() {
		if cfg.Disabled[r.ID] {
			continue
		}
		fs = append(fs, r.Check(m, &cfg.Rules)...)
	}
	fs = generated(fs, m)
	ignores := suppressionIndex(m)
	fs = suppress(fs, ignores)
	fs = behalf(fs, ignores, cfg.Disabled)
	fs = severity(fs, cfg.Severity)
	fs = holdsIn(fs)
	sortFindings(fs)
	return once(fs)
}

// once drops a finding that repeats the one before it word for word, at
// the same place about the same resource: a Terraform module two root
// modules call is judged in each, and says the same of its own lines.
func once(fs []finding.Finding) []finding.Finding {
	return slices.CompactFunc(fs, func(a, b finding.Finding) bool {
		return a.RuleID == b.RuleID && a.Location == b.Location && a.Message == b.Message && a.Resource == b.Resource
	})
}

type resourceKey struct{ file, address string }

func keyOf(r finding.Resource) resourceKey { return resourceKey{r.File, r.Address} }

// suppressionIndex maps every resource in m that carries suppressions to
// them.
func suppressionIndex(m *model.Model) map[resourceKey]map[string]string {
	idx := map[resourceKey]map[string]string{}
	add := func(r *model.Resource) {
		if r != nil && r.Ignore != nil {
			idx[resourceKey{r.File, r.Address}] = r.Ignore
		}
	}
	for _, api := range m.APIs {
		add(api.Resource)
		for _, st := range api.Stages {
			add(st.Resource)
		}
		for _, e := range api.Endpoints {
			add(e.Resource)
			if e.Integration != nil {
				add(e.Integration.Resource)
			}
		}
	}
	for _, fn := range m.Functions {
		add(fn.Resource)
	}
	for _, q := range m.Queues {
		add(q.Resource)
	}
	for _, es := range m.EventSources {
		add(es.Resource)
	}
	return idx
}

// generated adds to each finding located where a source placed something
// read from a generated file (a CDK app's line, for a synthesized
// template) that generated place, as the first related location.
func generated(fs []finding.Finding, m *model.Model) []finding.Finding {
	if len(m.Generated) == 0 {
		return fs
	}
	for i := range fs {
		if g, ok := m.GeneratedFor(fs[i].Location, fs[i].Resource.Address); ok {
			fs[i].Related = append([]finding.Related{g}, fs[i].Related...)
		}
	}
	return fs
}

// suppress drops findings whose resource suppresses their rule.
func suppress(fs []finding.Finding, ignores map[resourceKey]map[string]string) []finding.Finding {
	return slices.DeleteFunc(fs, func(f finding.Finding) bool {
		return model.Suppresses(ignores[keyOf(f.Resource)], f.RuleID, f.RuleName)
	})
}

// behalf drops the fixes a rule made on behalf of another that is off, or
// suppressed where the fix would act; the finding then says what it would
// have said without them.
func behalf(fs []finding.Finding, ignores map[resourceKey]map[string]string, disabled map[string]bool) []finding.Finding {
	for i := range fs {
		f := &fs[i]
		kept := f.Fixes[:0:0]
		for _, fix := range f.Fixes {
			if b := fix.Behalf; b != nil {
				r := rules.Lookup(b.Rule)
				suppressed := slices.ContainsFunc(b.Resources, func(res finding.Resource) bool {
					return r != nil && model.Suppresses(ignores[keyOf(res)], r.ID, r.Name)
				})
				if disabled[b.Rule] || suppressed {
					if b.Otherwise != "" {
						f.Message = b.Otherwise
					}
					continue
				}
			}
			kept = append(kept, fix)
		}
		if len(kept) != len(f.Fixes) {
			f.Fixes = kept
		}
	}
	return fs
}

// severity applies the severity overrides, by rule ID.
func severity(fs []finding.Finding, overrides map[string]finding.Severity) []finding.Finding {
	for i := range fs {
		if s, ok := overrides[fs[i].RuleID]; ok {
			fs[i].Severity = s
		}
	}
	return fs
}

// sortFindings orders findings by file, line, column and rule, so output
// never depends on the order sources were read.
func sortFindings(fs []finding.Finding) {
	slices.SortStableFunc(fs, func(a, b finding.Finding) int {
		return cmp.Or(
			cmp.Compare(a.Location.File, b.Location.File),
			cmp.Compare(a.Location.Start.Line, b.Location.Start.Line),
			cmp.Compare(a.Location.Start.Column, b.Location.Start.Column),
			cmp.Compare(a.RuleID, b.RuleID),
		)
	})
}
