package serverless

import (
	"encoding/json"
	"fmt"
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
		if s.api == nil {
			continue
		}
		if s.api.Resource.Type == "" {
			r.externalLogs(logs, s.key, s.api)
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

// externalLogs says what becomes of provider.logs.<key> for an API the
// service attaches to but does not define: v3 leaves a REST API's stage
// as it is ("Do not update APIGW-wide settings, in case external APIGW is
// referenced", lib/plugins/aws/package/compile/events/api-gateway/lib/
// hack/update-stage.js), and refuses access logs for an HTTP API
// (EXTERNAL_HTTP_API_LOGS_CONFIG, compile/events/http-api.js).
func (r *reader) externalLogs(logs vars.Value, key string, api *model.API) {
	if logs.File == nil {
		return
	}
	if al := r.accessLog(logs, key, "-"); al == nil || al.Destination == "" {
		return // off, or not known offline: nothing to say of it
	}
	k := keyOf(logs.Node, key)
	at := r.rangeOf(logs.File, k)
	switch key {
	case "restApi":
		r.b.Notef(at, "provider.logs.restApi is not applied to the REST API %s, which the service attaches to (provider.apiGateway.restApiId): the framework leaves the stage of an API it does not define as it is, so turn its access logging on where that API is defined", api.Resource.Address)
	case "httpApi":
		r.errs = append(r.errs, finding.InputError{File: logs.File.Path, Line: at.Start.Line, Column: at.Start.Column,
			Message: fmt.Sprintf("provider.logs.httpApi with the HTTP API %s, which the service attaches to (provider.httpApi.id): the framework refuses it (\"Cannot setup access logs for externally configured HTTP API\"), so the package fails", api.Resource.Address)})
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
