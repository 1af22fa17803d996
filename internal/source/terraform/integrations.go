package terraform

import (
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/gatelint/gatelint/internal/awsfacts"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/terraform/hclconfig"
)

// restPath rebuilds an aws_api_gateway_resource's path from its parent_id
// chain up to the API's root_resource_id.
func (bd *build) restPath(addr string, depth int) (string, bool) {
	ri := bd.res[addr]
	if ri == nil || ri.Resource.Type != "aws_api_gateway_resource" || depth > 64 {
		return "", false
	}
	part, ok := str(ri.Attr("path_part"))
	if !ok {
		part = "{" + bd.text(rangeOf(ri.Attr("path_part"), ri)) + "}"
	}
	for _, o := range refs(ri.Attr("parent_id"), "aws_api_gateway_resource") {
		if pp, ok := bd.restPath(o.Addr, depth+1); ok {
			return pp + "/" + part, true
		}
	}
	return "/" + part, true
}

// pathOf is the path a resource_id argument names.
func (bd *build) pathOf(ri *hclconfig.ResourceInstance) string {
	av := ri.Attr("resource_id")
	for _, o := range refs(av, "aws_api_gateway_resource") {
		if _, ok := lookup(bd.res, o.Addr); ok {
			if p, ok := bd.restPath(lookupKey(bd.res, o.Addr), 0); ok {
				return p
			}
		}
	}
	for _, o := range refs(av, "aws_api_gateway_rest_api") {
		if o.Attr == "root_resource_id" {
			return "/"
		}
	}
	// A resource defined elsewhere: "/" would name the wrong endpoint.
	return "(resource " + bd.text(rangeOf(av, ri)) + ")"
}

// lookupKey is the key lookup would find addr under.
func lookupKey[T any](m map[string]T, addr string) string {
	if _, ok := m[addr]; ok {
		return addr
	}
	if base := instanceKey.ReplaceAllString(addr, ""); base != addr {
		if _, ok := m[base]; ok {
			return base
		}
	}
	for k := range m {
		if strings.HasPrefix(k, addr+"[") {
			return k
		}
	}
	return addr
}

type methodKey struct {
	api          *model.API
	path, method string
}

// methods reads aws_api_gateway_method and aws_api_gateway_integration,
// joined by API, resource and HTTP method.
func (bd *build) methods() {
	ints := map[methodKey]*model.Integration{}
	intRes := map[methodKey]*hclconfig.ResourceInstance{}
	var intOrder []methodKey
	for _, ri := range bd.byType["aws_api_gateway_integration"] {
		api := bd.apiOf(ri, "rest_api_id", model.REST)
		method, _ := str(ri.Attr("http_method"))
		k := methodKey{api, bd.pathOf(ri), strings.ToUpper(method)}
		in := bd.integration(ri, api, fields{typ: "type", uri: "uri", subtype: "", params: "request_parameters", transferMode: "response_transfer_mode"})
		if _, dup := ints[k]; !dup {
			intOrder = append(intOrder, k)
		}
		ints[k], intRes[k] = in, ri
	}
	used := map[methodKey]bool{}
	for _, ri := range bd.byType["aws_api_gateway_method"] {
		api := bd.apiOf(ri, "rest_api_id", model.REST)
		method, _ := str(ri.Attr("http_method"))
		k := methodKey{api, bd.pathOf(ri), strings.ToUpper(method)}
		res := bd.resource(ri, model.KindMethod)
		in := ints[k]
		used[k] = true
		if e := bd.endpoint(api, k.method, k.path, res, res.Key, in); e != nil {
			e.RequiredHeaders = requiredHeaders(ri.Attr("request_parameters"))
		}
	}
	// An integration whose method is not here (or not known) still serves
	// its endpoint.
	for _, k := range intOrder {
		if !used[k] {
			in := ints[k]
			bd.endpoint(k.api, k.method, k.path, in.Resource, in.Resource.Key, in)
		}
	}
	_ = intRes
}

// requiredHeaders reads a method's request_parameters
// ("method.request.header.X" = true).
func requiredHeaders(av *hclconfig.AttrValue) []string {
	if av == nil || !av.Known() || av.Val.IsNull() || !av.Val.CanIterateElements() {
		return nil
	}
	var out []string
	it := av.Val.ElementIterator()
	for it.Next() {
		k, v := it.Element()
		if !k.IsKnown() || k.IsNull() || !v.IsKnown() || v.IsNull() {
			continue
		}
		name := k.AsString()
		if !strings.HasPrefix(strings.ToLower(name), "method.request.header.") {
			continue
		}
		if b, ok := boolValue(v); ok && b {
			out = append(out, strings.ToLower(name[len("method.request.header."):]))
		}
	}
	return out
}

// fields name an integration's arguments.
type fields struct {
	typ, uri, subtype, params, transferMode string
}

// integration reads an integration resource's timeout, kind and target.
func (bd *build) integration(ri *hclconfig.ResourceInstance, api *model.API, fl fields) *model.Integration {
	res := bd.resource(ri, model.KindIntegration)
	in := &model.Integration{Resource: res, Loc: res.Key}
	dflt := bd.defaultValue(integrationTimeout, awsfacts.MaxIntegrationTimeout(api.Type), res.Key, ri.Resource.Block, "timeout_milliseconds")
	in.Timeout = bd.durations(ri.Attr("timeout_milliseconds"), integrationTimeout, dflt)
	bd.b.Unresolved(in.Timeout, "timeout_milliseconds of "+ri.Addr)
	typ, _ := str(ri.Attr(fl.typ))
	subtype := ""
	if fl.subtype != "" {
		subtype, _ = str(ri.Attr(fl.subtype))
	}
	uri := ri.Attr(fl.uri)
	bd.classify(in, api, typ, subtype, uri, invocationType(ri.Attr(fl.params)))
	if fl.transferMode != "" {
		mode, _ := str(ri.Attr(fl.transferMode))
		in.Streaming = api.Type == model.REST && strings.EqualFold(mode, "STREAM")
	}
	return in
}

// classify sets an integration's kind and the function it invokes.
func (bd *build) classify(in *model.Integration, api *model.API, typ, subtype string, uri *hclconfig.AttrValue, invocation string) {
	text := uri.Text()
	fn, q := bd.functionOf(uri)
	if fn == nil && strings.Contains(text, "stageVariables.") {
		fn, q = bd.viaStageVariables(api, text)
	}
	if fn != nil && !strings.Contains(text, ":lambda:path/") && !strings.Contains(text, ":function:") {
		// A reference to a function whose ARN is known only after apply.
		text = ":lambda:path/" + text
	}
	if text == "" && uri != nil && strings.EqualFold(typ, "AWS_PROXY") && subtype == "" {
		text = "${?}"
	}
	in.Kind, in.Target = awsfacts.Classify(typ, subtype, text, invocation)
	if in.Kind == model.LambdaProxy || in.Kind == model.LambdaSync || in.Kind == model.LambdaEvent {
		in.Function, in.Qualifier = fn, q
	}
}

// viaStageVariables links a URI that names its function through a stage
// variable, with the values the API's stages give it.
func (bd *build) viaStageVariables(api *model.API, uri string) (*model.Function, string) {
	for _, vars := range bd.stageVars[api] {
		if fn, q := bd.functionNamed(awsfacts.StageVariables(uri, vars)); fn != nil {
			return fn, q
		}
	}
	return nil, ""
}

// invocationType reads integration.request.header.X-Amz-Invocation-Type.
func invocationType(av *hclconfig.AttrValue) string {
	for k, v := range tags(av) {
		if strings.EqualFold(k, "integration.request.header.X-Amz-Invocation-Type") {
			return strings.Trim(v, `'"`)
		}
	}
	return ""
}

func (bd *build) v2Integration(ri *hclconfig.ResourceInstance) {
	api := bd.apiOf(ri, "api_id", model.HTTP)
	in := bd.integration(ri, api, fields{typ: "integration_type", uri: "integration_uri", subtype: "integration_subtype", params: "request_parameters"})
	bd.v2ints[ri.Addr] = in
}

func (bd *build) v2Route(ri *hclconfig.ResourceInstance) {
	api := bd.apiOf(ri, "api_id", model.HTTP)
	key, _ := str(ri.Attr("route_key"))
	method, path := awsfacts.SplitRouteKey(key)
	var in *model.Integration
	for _, o := range refs(ri.Attr("target"), "aws_apigatewayv2_integration") {
		if x, ok := lookup(bd.v2ints, o.Addr); ok {
			in = x
			break
		}
	}
	res := bd.resource(ri, model.KindRoute)
	at := res.Key
	if rk := ri.Attr("route_key"); rk != nil {
		at = bd.p.rng(rk.ValueRange)
	}
	if e := bd.endpoint(api, method, path, res, at, in); e != nil && api.Type == model.WebSocket {
		// A message route answers when a route response names it or it
		// selects one.
		answers := ri.Attr("route_response_selection_expression") != nil
		for _, rr := range bd.byType["aws_apigatewayv2_route_response"] {
			for _, o := range refs(rr.Attr("route_id"), "aws_apigatewayv2_route") {
				if o.Addr == ri.Addr || instanceKey.ReplaceAllString(o.Addr, "") == instanceKey.ReplaceAllString(ri.Addr, "") {
					answers = true
				}
			}
		}
		e.Waiting = awsfacts.WebSocketWaiting(key, answers)
	}
}

func (bd *build) eventSourceMapping(ri *hclconfig.ResourceInstance) {
	var q *model.Queue
	for _, o := range refs(ri.Attr("event_source_arn"), "aws_sqs_queue") {
		if x, ok := lookup(bd.queues, o.Addr); ok {
			q = x
			break
		}
	}
	fn, _ := bd.functionOf(ri.Attr("function_name"))
	if q == nil || fn == nil {
		return
	}
	res := bd.resource(ri, model.KindEventSource)
	bd.b.EventSource(&model.EventSource{Resource: res, Loc: res.Key, Queue: q, Function: fn})
}

// permissions link a function to the integrations of an API that may
// invoke it (aws_lambda_permission with the API's execution_arn), where the
// integration names its function indirectly (an ARN built from
// variables): when exactly one function is permitted, it is the one.
func (bd *build) permissions() {
	permitted := map[*model.API][]*model.Function{}
	for _, ri := range bd.byType["aws_lambda_permission"] {
		if p, _ := str(ri.Attr("principal")); p != "" && !strings.Contains(p, "apigateway") {
			continue
		}
		fn, _ := bd.functionOf(ri.Attr("function_name"))
		api := bd.apiRef(ri.Attr("source_arn"))
		if fn == nil || api == nil {
			continue
		}
		if !containsFn(permitted[api], fn) {
			permitted[api] = append(permitted[api], fn)
		}
	}
	for _, t := range bd.triggers {
		if api := bd.apiRef(t.av); api != nil && !containsFn(permitted[api], t.fn) {
			permitted[api] = append(permitted[api], t.fn)
		}
	}
	for api, fns := range permitted {
		if len(fns) != 1 {
			continue
		}
		for _, e := range api.Endpoints {
			in := e.Integration
			if in == nil || in.Function != nil {
				continue
			}
			if in.Kind == model.LambdaProxy || in.Kind == model.LambdaSync || in.Kind == model.LambdaEvent {
				bd.b.Invokes(in, fns[0], "")
			}
		}
	}
}

func containsFn(fns []*model.Function, fn *model.Function) bool {
	for _, f := range fns {
		if f == fn {
			return true
		}
	}
	return false
}

// moduleNotes says which module calls were not read, and why.
func (bd *build) moduleNotes() {
	for _, mi := range bd.cfg.Modules {
		if mi.NotLoaded == "" || mi.Call == nil || builtin(mi) != "" || !mayHold(mi) {
			continue
		}
		k := "module:" + mi.Addr
		if bd.noted[k] {
			continue
		}
		bd.noted[k] = true
		at := bd.p.rng(mi.Call.Block.LabelRanges[0])
		if mi.Call.SourceAttr != nil {
			at = bd.p.rng(mi.Call.SourceAttr.ValueRange)
		}
		bd.b.Notef(at, "%s is not checked: %s%s", mi.Addr, mi.NotLoaded, installHint(mi))
	}
}

// mayHold reports whether a module that was not read may hold what
// gatelint checks: its source names a function, an API or a queue, or an
// argument names a timeout. A VPC or a bucket module is passed over
// without a note.
func mayHold(mi *hclconfig.ModuleInstance) bool {
	s := strings.ToLower(mi.Source)
	for _, w := range []string{"lambda", "api", "gateway", "function", "sqs", "queue", "serverless", "http", "worker", "service"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	if mi.Call != nil {
		for _, in := range mi.Call.Inputs {
			if strings.Contains(strings.ToLower(in.Name), "timeout") {
				return true
			}
		}
	}
	return false
}

func installHint(mi *hclconfig.ModuleInstance) string {
	if strings.Contains(mi.NotLoaded, "not installed") {
		return "; run terraform init (or terraform get) so .terraform/modules holds it"
	}
	return ""
}

// isStringLiteral reports whether an argument is a plain quoted string
// with no interpolation, whose bytes an edit may replace.
func isStringLiteral(av *hclconfig.AttrValue) bool {
	switch e := unwrap(av.Expr).(type) {
	case *hclsyntax.TemplateExpr:
		for _, p := range e.Parts {
			if _, ok := p.(*hclsyntax.LiteralValueExpr); !ok {
				return false
			}
		}
		// A heredoc is a template too, but not one quoted string.
		return e.SrcRange.Start.Line == e.SrcRange.End.Line
	case *hclsyntax.LiteralValueExpr:
		return false
	}
	return av.JSON && len(av.Expr.Variables()) == 0 && av.Known()
}

// quoteHCL writes s as a quoted string of native syntax (or JSON).
func quoteHCL(s string, json bool) string {
	q := strconv.Quote(s)
	if json {
		return q
	}
	// Template sequences must stay literal.
	q = strings.ReplaceAll(q, "${", "$${")
	return strings.ReplaceAll(q, "%{", "%%{")
}

// keyOf is where a module call is named.
func (bd *build) keyOf(mi *hclconfig.ModuleInstance) loc.Range {
	if mi.Call == nil || len(mi.Call.Block.LabelRanges) == 0 {
		return loc.Range{}
	}
	return bd.p.rng(mi.Call.Block.LabelRanges[0])
}

func boolValue(v cty.Value) (bool, bool) {
	bv, err := convert.Convert(v, cty.Bool)
	if err != nil || !bv.IsKnown() || bv.IsNull() {
		return false, false
	}
	return bv.True(), true
}
