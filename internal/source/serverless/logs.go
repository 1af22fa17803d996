package serverless

import (
	"encoding/json"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/serverless/vars"
	"github.com/gatelint/gatelint/internal/source/yamlpos"
)

// The formats `logs.restApi: true`, `logs.httpApi: true` and
// `logs.websocket: true` write (serverless/serverless v3.40.0:
// api-gateway/lib/hack/update-stage.js, http-api.js,
// websockets/lib/stage.js): none has $context.integrationLatency or
// $context.error.responseType, so a timeout's 504 reads as any other 5xx.
const (
	defaultRESTFormat = "requestId: $context.requestId, ip: $context.identity.sourceIp, caller: $context.identity.caller, user: $context.identity.user, requestTime: $context.requestTime, httpMethod: $context.httpMethod, resourcePath: $context.resourcePath, status: $context.status, protocol: $context.protocol, responseLength: $context.responseLength"
	defaultHTTPFormat = `{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","routeKey":"$context.routeKey","status":"$context.status","protocol":"$context.protocol","responseLength":"$context.responseLength"}`
	defaultWSFormat   = `$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime] "$context.eventType $context.routeKey $context.connectionId" $context.requestId`
)

// stages gives each API the service defines its one stage, with the
// access logs provider.logs sets for it. An external API's stages are
// not this service's.
func (r *reader) stages() {
	logs, _ := r.get(r.provider, "logs")
	type one struct {
		api               *model.API
		name, key, format string
		id, typ           string
	}
	for _, s := range []one{
		{r.rest, r.stage, "restApi", defaultRESTFormat, restAPIID, "AWS::ApiGateway::RestApi"},
		{r.http, "$default", "httpApi", defaultHTTPFormat, httpStageID, "AWS::ApiGatewayV2::Stage"},
		{r.ws, r.stage, "websocket", defaultWSFormat, websocketStage, "AWS::ApiGatewayV2::Stage"},
	} {
		if s.api == nil || s.api.Resource.Type == "" {
			continue
		}
		res := s.api.Resource
		if s.id != res.Address {
			res = &model.Resource{Address: s.id, Kind: model.KindStage, File: r.f.Path, Key: res.Key, LogicalID: s.id, Type: s.typ, Ignore: res.Ignore}
		}
		st := &model.Stage{Name: s.name, Resource: res, Loc: r.rangeOf(r.f, keyOf(r.f.Root, "provider"))}
		if lk := keyOf(logs.Node, s.key); lk != nil && logs.File != nil {
			st.Loc = r.rangeOf(logs.File, lk)
		}
		st.AccessLog = r.accessLog(logs, s.key, s.format)
		if st.AccessLog != nil {
			st.Loc = st.AccessLog.Loc
		}
		r.b.Stage(s.api, st)
	}
}

// accessLog reads provider.logs.<key>: absent or false, no access logs;
// true (or a mapping without format), the framework's default format;
// {format: ...}, that format. accessLogging: false turns them off.
func (r *reader) accessLog(logs vars.Value, key, dflt string) *model.AccessLog {
	v, ok := r.get(logs, key)
	if !ok || !v.Known() {
		if v.Unknown != "" {
			return &model.AccessLog{Loc: r.rangeOf(logs.File, yamlpos.Get(logs.Node, key))}
		}
		return nil
	}
	switch v.Node.Kind {
	case yaml.ScalarNode:
		if !strings.EqualFold(v.Scalar(), "true") {
			return nil
		}
		al := &model.AccessLog{Destination: "the framework's log group", Format: dflt, FormatKnown: true, Loc: r.rangeOf(v.File, v.Node)}
		if v.Literal() && v.File != nil {
			al.Edit = replaceWithFormat(v.File, v.Node)
		}
		return al
	case yaml.MappingNode:
		if s, ok := r.text(v, "accessLogging"); ok && strings.EqualFold(s, "false") {
			return nil
		}
		al := &model.AccessLog{Destination: "the framework's log group"}
		fn := yamlpos.Get(v.Node, "format")
		if fn == nil {
			al.Format, al.FormatKnown = dflt, true
			al.Loc = r.rangeOf(logs.File, keyOf(logs.Node, key))
			if v.File != nil {
				al.Edit = insertString(v.File, v.Node, "format")
			}
			return al
		}
		al.Loc = r.rangeOf(v.File, fn)
		fv, err := r.res.Resolve(v.File, fn)
		if err != nil {
			r.err(err)
			return al
		}
		if fv.Known() && fv.Node.Kind == yaml.ScalarNode {
			al.Format, al.FormatKnown = fv.Scalar(), true
		}
		if fv.Literal() && v.File != nil {
			al.Edit = yamlpos.ReplaceString(v.File, fn)
		}
		return al
	}
	return nil
}

// quote writes s as the file quotes strings: JSON in JSON, single quotes
// in YAML.
func quote(f *yamlpos.File, s string) string {
	if f.Root != nil && f.Root.Style&yaml.FlowStyle != 0 {
		b, _ := json.Marshal(s)
		return string(b)
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// replaceWithFormat rewrites `restApi: true` as `restApi: {format: '...'}`,
// which turns logs on as true did, in the format given.
func replaceWithFormat(f *yamlpos.File, n *yaml.Node) func(string) []finding.TextEdit {
	if f.Shared(n) {
		return nil
	}
	return func(s string) []finding.TextEdit {
		rg := f.Range(n)
		key := "format"
		if f.Root != nil && f.Root.Style&yaml.FlowStyle != 0 {
			key = `"format"`
		}
		return f.Parses([]finding.TextEdit{f.Edit(rg.Start.Offset, rg.End.Offset, "{"+key+": "+quote(f, s)+"}")})
	}
}

// insertString adds `key: '<s>'` as the first entry of the mapping m, on
// its own line at its keys' indentation (block style), or first in a
// flow mapping.
func insertString(f *yamlpos.File, m *yaml.Node, key string) func(string) []finding.TextEdit {
	if m == nil || m.Kind != yaml.MappingNode || len(m.Content) < 2 || f.Shared(m) {
		return nil
	}
	first := m.Content[0]
	at := f.Offset(first.Line, first.Column)
	prefix := string(f.Data[f.LineStart(at):at])
	if strings.Trim(prefix, " \t") != "" && m.Style&yaml.FlowStyle == 0 {
		return nil // `- key: v` or `? key`: no line of its own to copy
	}
	return func(s string) []finding.TextEdit {
		k := key
		if first.Style&yaml.DoubleQuotedStyle != 0 {
			k = `"` + key + `"`
		}
		entry := k + ": " + quote(f, s)
		text := entry + yamlpos.LineBreak(f.Data) + prefix
		if m.Style&yaml.FlowStyle != 0 {
			text = entry + ", "
		}
		return f.Parses([]finding.TextEdit{f.Edit(at, at, text)})
	}
}
