package cfn

import (
	"slices"

	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/yamlpos"
)

// Stages matter for their access-log settings (GL009) and, through their
// variables, for linking functions. A stage the template does not define
// (a Deployment without StageName, an API deployed by another stack) is
// left out rather than guessed.

// addStage registers a stage of api read from rs; setting is its
// AccessLogSetting(s) node, nil when the stage logs nothing.
func (r *reader) addStage(api *model.API, name string, rs *model.Resource, setting *yaml.Node) *model.Stage {
	if api == nil {
		return nil
	}
	st := &model.Stage{Name: name, Resource: rs, Loc: rs.Key}
	st.AccessLog, st.NoAccessLogWhen = r.accessLogIf(setting, nil)
	if st.AccessLog != nil {
		st.Loc = st.AccessLog.Loc
	}
	if st.NoAccessLogWhen != nil {
		st.Loc = r.f.Range(setting)
	}
	return r.b.Stage(api, st)
}

// accessLogIf reads {DestinationArn, Format}. A setting without a
// destination turns nothing on. A setting behind an !If takes the branch
// the condition decides; when it cannot be decided, the branch that logs
// is read, with the condition it holds under, and the stage logs nothing
// under the other (model.Stage.NoAccessLogWhen).
func (r *reader) accessLogIf(n *yaml.Node, when []model.Cond) (*model.AccessLog, []model.Cond) {
	if name, arg, ok := intrinsic(n); ok && name == "Fn::If" && arg.Kind == yaml.SequenceNode && len(arg.Content) == 3 {
		c := arg.Content[0].Value
		switch r.ev.cond(c) {
		case trueTri:
			return r.accessLogIf(arg.Content[1], when)
		case falseTri:
			return r.accessLogIf(arg.Content[2], when)
		}
		on, off := r.accessLogAt(arg.Content[1]), r.accessLogAt(arg.Content[2])
		switch {
		case on != nil && off == nil:
			on.When = append(slices.Clip(when), model.Cond{Name: c, Holds: true})
			return on, []model.Cond{{Name: c, Holds: false}}
		case on == nil && off != nil:
			off.When = append(slices.Clip(when), model.Cond{Name: c, Holds: false})
			return off, []model.Cond{{Name: c, Holds: true}}
		}
		// Both branches log (or neither): the first stands for them.
		return on, nil
	}
	return r.accessLogAt(n), nil
}

func (r *reader) accessLogAt(n *yaml.Node) *model.AccessLog {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	dest := get(n, "DestinationArn")
	if dest == nil {
		return nil
	}
	al := &model.AccessLog{Destination: r.ev.str(r.f, dest).text(), Loc: r.f.Range(n)}
	format := get(n, "Format")
	if format == nil {
		// API Gateway requires a format with a destination; without one the
		// deploy fails, which is not ours to report.
		return al
	}
	al.Loc = r.f.Range(format)
	ps := r.ev.str(r.f, format)
	if s, ok := ps.literal(); ok {
		al.Format, al.FormatKnown = s, true
	} else if format.Kind == yaml.ScalarNode {
		// !Sub '...${AWS::Region}...': the $context variables are all
		// there to read even when the substitutions are not known.
		al.Format, al.FormatKnown = ps.text(), true
	}
	if format.Kind == yaml.ScalarNode {
		al.Edit = yamlpos.ReplaceString(r.f, format)
	}
	return al
}

// restStage reads AWS::ApiGateway::Stage and the stage a Deployment with
// StageName creates.
func (r *reader) restStage(rs *resource) {
	switch rs.typ {
	case "AWS::ApiGateway::Stage":
		name, _ := r.ev.str(r.f, get(rs.props, "StageName")).literal()
		r.addStage(r.apis[refTo(r.ev.str(r.f, get(rs.props, "RestApiId")))], name, rs.res, get(rs.props, "AccessLogSetting"))
	case "AWS::ApiGatewayV2::Stage":
		name, _ := r.ev.str(r.f, get(rs.props, "StageName")).literal()
		r.addStage(r.apis[refTo(r.ev.str(r.f, get(rs.props, "ApiId")))], name, rs.res, get(rs.props, "AccessLogSettings"))
	case "AWS::ApiGateway::Deployment":
		sn := get(rs.props, "StageName")
		if sn == nil {
			return
		}
		name, _ := r.ev.str(r.f, sn).literal()
		r.addStage(r.apis[refTo(r.ev.str(r.f, get(rs.props, "RestApiId")))], name, rs.res, get(get(rs.props, "StageDescription"), "AccessLogSetting"))
	}
}

// samStage reads the stage SAM creates for an Api or HttpApi, whose
// access-log setting may come from Globals.
func (r *reader) samStage(api *model.API, res *model.Resource, props *yaml.Node) {
	key, globals, dflt := "AccessLogSetting", "Api", "Prod"
	if api.Type == model.HTTP {
		key, globals, dflt = "AccessLogSettings", "HttpApi", "$default"
	}
	setting := get(props, key)
	if setting == nil {
		setting = get(get(r.globals, globals), key)
	}
	name := dflt
	if props != nil && api.Type == model.REST {
		// An explicit Api's stage is the StageName it gives; "Prod" is
		// only the implicit API's.
		name = ""
	}
	if sn := get(props, "StageName"); sn != nil {
		name, _ = r.ev.str(r.f, sn).literal()
	} else if sn := get(get(r.globals, globals), "StageName"); sn != nil {
		name, _ = r.ev.str(r.f, sn).literal()
	}
	r.addStage(api, name, res, setting)
}
