package check

import (
	"slices"
	"strings"

	"github.com/gatelint/gatelint/internal/live"
	"github.com/gatelint/gatelint/internal/model"
)

// logicalIDTag is the tag CloudFormation puts on what it creates.
const logicalIDTag = "aws:cloudformation:logical-id"

// joinTemplates points deployed resources at the template lines that
// define them, so a live finding names the line to change (and offers
// its edit beside the AWS CLI commands). APIs join by their CloudFormation
// logical-ID tag, endpoints by method and path, functions by their
// FunctionName or the name CloudFormation generated from the logical ID.
// A joined template API is dropped: the account says what is deployed.
func joinTemplates(m *model.Model, lr *live.Result) {
	if len(m.APIs) == 0 && len(m.Functions) == 0 {
		return
	}
	joined := map[*model.API]bool{}
	for _, la := range lr.Model.APIs {
		id := lr.Tags[la][logicalIDTag]
		if id == "" {
			continue
		}
		var ta *model.API
		for _, a := range m.APIs {
			if a.Resource != nil && a.Resource.LogicalID == id && a.Type == la.Type && (ta == nil || !joined[a]) {
				ta = a
			}
		}
		if ta == nil || joined[ta] {
			continue
		}
		joined[ta] = true
		joinAPI(la, ta)
	}
	m.APIs = slices.DeleteFunc(m.APIs, func(a *model.API) bool { return joined[a] })

	dropped := map[*model.Function]bool{}
	for _, lf := range lr.Model.Functions {
		tf := templateFunction(m.Functions, lf.Name)
		if tf == nil {
			continue
		}
		joinValues(lf.Timeout, tf.Timeout, tf.Resource)
		lf.Resource = tf.Resource
		// The template's function stays only while an API the account
		// did not show still invokes it.
		if !slices.ContainsFunc(tf.Integrations, func(in *model.Integration) bool {
			return len(in.Endpoints) > 0 && !joined[in.Endpoints[0].API]
		}) {
			dropped[tf] = true
		}
	}
	m.Functions = slices.DeleteFunc(m.Functions, func(f *model.Function) bool { return dropped[f] })
	// A template function the account did not join keeps only what still
	// calls it: integrations of a dropped (joined) API are the account's
	// now, judged there with the account's limits.
	for _, f := range m.Functions {
		f.Integrations = slices.DeleteFunc(slices.Clone(f.Integrations), func(in *model.Integration) bool {
			return len(in.Endpoints) > 0 && joined[in.Endpoints[0].API]
		})
	}
	m.EventSources = slices.DeleteFunc(m.EventSources, func(es *model.EventSource) bool { return dropped[es.Function] })
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

// joinValues makes live values point where the template sets them (or at
// the resource, when the template leaves them to the default), with the
// template's edit when it has one.
func joinValues(live, tmpl model.Values, res *model.Resource) {
	if len(tmpl) == 0 {
		return
	}
	t := tmpl[0]
	for i := range live {
		live[i].Loc = t.Loc
		if t.Origin == model.Default && res != nil && !res.Key.IsZero() {
			live[i].Loc = res.Key
		}
		if len(tmpl) == 1 && (t.Origin == model.Literal || t.Origin == model.Default || t.Origin == model.Globals) {
			live[i].Edit = t.Edit
		}
	}
}

// templateFunction finds the template function deployed as name: by its
// FunctionName, else by the name CloudFormation generates,
// STACK-LOGICALID-SUFFIX, when exactly one logical ID fits.
func templateFunction(fns []*model.Function, name string) *model.Function {
	base, _, _ := strings.Cut(name, ":")
	var generated []*model.Function
	for _, f := range fns {
		if f.Name != "" && f.Name == base {
			return f
		}
		if f.Name == "" && f.Resource != nil && strings.Contains(base, "-"+f.Resource.LogicalID+"-") {
			generated = append(generated, f)
		}
	}
	if len(generated) == 1 && !strings.Contains(name, ":") {
		return generated[0]
	}
	return nil
}
