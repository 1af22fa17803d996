package correlate

import (
	"slices"
	"strings"

	"github.com/gatelint/gatelint/internal/model"
)

// Live points what an account runs (live) at the configuration lines that
// define it (m), so a live finding names the line to change and offers its
// edit beside the AWS CLI commands. APIs join by a tag both carry (the
// live API's own, and the one the configured API's deploy gives it, such
// as CloudFormation's logical-ID tag), endpoints by method and path,
// functions by their deployed name. A joined configured API is dropped
// from m: the account says what is deployed.
func Live(m, live *model.Model) {
	if len(m.APIs) == 0 && len(m.Functions) == 0 {
		return
	}
	joined := map[*model.API]bool{}
	for _, la := range live.APIs {
		ta := configuredAPI(m.APIs, la, joined)
		if ta == nil || joined[ta] {
			continue
		}
		joined[ta] = true
		joinAPI(la, ta)
	}
	m.APIs = slices.DeleteFunc(m.APIs, func(a *model.API) bool { return joined[a] })

	dropped := map[*model.Function]bool{}
	for _, lf := range live.Functions {
		tf := deployedFunction(m.Functions, lf.Name)
		if tf == nil {
			continue
		}
		joinValues(lf.Timeout, tf.Timeout, tf.Resource)
		lf.Resource = tf.Resource
		// The configured function stays only while an API the account
		// did not show still invokes it.
		if !slices.ContainsFunc(tf.Integrations, func(in *model.Integration) bool {
			return len(in.Endpoints) > 0 && !joined[in.Endpoints[0].API]
		}) {
			dropped[tf] = true
		}
	}
	m.Functions = slices.DeleteFunc(m.Functions, func(f *model.Function) bool { return dropped[f] })
	// A configured function the account did not join keeps only what still
	// calls it: integrations of a dropped (joined) API are the account's
	// now, judged there with the account's limits.
	for _, f := range m.Functions {
		f.Integrations = slices.DeleteFunc(slices.Clone(f.Integrations), func(in *model.Integration) bool {
			return len(in.Endpoints) > 0 && joined[in.Endpoints[0].API]
		})
	}
	m.EventSources = slices.DeleteFunc(m.EventSources, func(es *model.EventSource) bool { return dropped[es.Function] })
}

// configuredAPI is the configured API a live one is: one whose tags the
// live API all carries (CloudFormation's logical-ID tag; a Terraform
// API's tags), the one of the same name among several; else the one API
// of its type and name, when exactly one is not joined yet and no tag of
// the live API contradicts it.
func configuredAPI(apis []*model.API, la *model.API, joined map[*model.API]bool) *model.API {
	var ta *model.API
	tagged := false
	for _, a := range apis {
		if a.Type != la.Type || !carriesTags(a.Resource, la.Resource) {
			continue
		}
		tagged = true
		if ta == nil || !joined[a] && (joined[ta] || a.Name == la.Name || ta.Name != la.Name) {
			ta = a
		}
	}
	if tagged {
		return ta
	}
	var named []*model.API
	for _, a := range apis {
		if a.Type == la.Type && la.Name != "" && a.Name == la.Name && !joined[a] && !conflicting(a.Resource, la.Resource) {
			named = append(named, a)
		}
	}
	if len(named) == 1 {
		return named[0]
	}
	return nil
}

// carriesTags reports whether a live resource carries every tag of a
// configured one (which has at least one).
func carriesTags(configured, live *model.Resource) bool {
	if configured == nil || live == nil || len(configured.Tags) == 0 {
		return false
	}
	for k, v := range configured.Tags {
		if lv, ok := live.Tags[k]; !ok || lv != v {
			return false
		}
	}
	return true
}

// conflicting reports whether the live resource carries a tag the
// configured one gives another value: another deploy's (another stack,
// another environment), whatever its name.
func conflicting(configured, live *model.Resource) bool {
	if configured == nil || live == nil {
		return false
	}
	for k, v := range configured.Tags {
		if lv, ok := live.Tags[k]; ok && lv != v {
			return true
		}
	}
	return false
}

func joinAPI(la, ta *model.API) {
	la.Resource = ta.Resource
	for _, le := range la.Endpoints {
		for _, te := range ta.Endpoints {
			if !strings.EqualFold(le.Method, te.Method) || le.Path != te.Path {
				continue
			}
			le.Resource, le.Loc = te.Resource, te.Loc
			if li, ti := le.Integration, te.Integration; li != nil && ti != nil {
				li.Resource, li.Loc = ti.Resource, ti.Loc
				joinValues(li.Timeout, ti.Timeout, ti.Resource)
			}
			break
		}
	}
	for _, ls := range la.Stages {
		for _, ts := range ta.Stages {
			if ls.Name == ts.Name {
				ls.Resource, ls.Loc = ts.Resource, ts.Loc
				if ls.AccessLog != nil && ts.AccessLog != nil {
					ls.AccessLog.Loc, ls.AccessLog.Edit = ts.AccessLog.Loc, ts.AccessLog.Edit
				}
			}
		}
	}
}

// joinValues makes live values point where the configuration sets them
// (or at the resource, when it leaves them to the default), with its edit
// when it has one.
func joinValues(live, configured model.Values, res *model.Resource) {
	if len(configured) == 0 {
		return
	}
	t := configured[0]
	for i := range live {
		live[i].Loc = t.Loc
		if t.Setting != "" {
			// Messages speak the configuration's words: its edit is offered.
			live[i].Setting = t.Setting
		}
		if t.Origin == model.Default && res != nil && !res.Key.IsZero() {
			live[i].Loc = res.Key
		}
		if len(configured) == 1 && (t.Origin == model.Literal || t.Origin == model.Default || t.Origin == model.Inherited) {
			live[i].Remedy.Edit = t.Remedy.Edit
		}
	}
}

// deployedFunction finds the configured function deployed as name: by
// its fixed name, else by the part every generated name holds
// (CloudFormation's STACK-LOGICALID-SUFFIX), when exactly one fits.
func deployedFunction(fns []*model.Function, name string) *model.Function {
	base, _, _ := strings.Cut(name, ":")
	var generated []*model.Function
	for _, f := range fns {
		if f.Name != "" && f.Name == base {
			return f
		}
		if f.Name == "" && f.NameHint != "" && strings.Contains(base, f.NameHint) {
			generated = append(generated, f)
		}
	}
	if len(generated) == 1 && !strings.Contains(name, ":") {
		return generated[0]
	}
	return nil
}
