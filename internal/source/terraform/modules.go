package terraform

import (
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/gatelint/gatelint/internal/awsfacts"
	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/terraform/hclconfig"
)

// The two modules most API teams use are read from their inputs when
// terraform init has not installed them (when it has, their code is read
// like any module's): terraform-aws-modules/lambda/aws, whose function
// takes timeout (default 3, at most 30 with lambda_at_edge),
// function_name and event_source_mapping, and
// terraform-aws-modules/apigateway-v2/aws, whose HTTP or WebSocket API
// takes routes[KEY].integration.{uri,type,subtype,timeout_milliseconds}
// (v5 and later) or integrations[KEY].{lambda_arn,integration_uri,
// integration_type,timeout_milliseconds} (v2 to v4), body, and its stage's
// access logs from stage_access_log_settings (v5 and later) or
// default_stage_access_log_destination_arn and _format (v2 to v4).

const (
	lambdaModule = "lambda"
	apiModule    = "apigateway-v2"
)

// builtin says which of the two a module call that was not loaded is:
// the registry address or a git URL of the module's repository, without a
// subdirectory (lambda/aws//modules/alias is another module).
func builtin(mi *hclconfig.ModuleInstance) string {
	if mi.NotLoaded == "" || mi.Call == nil {
		return ""
	}
	s := strings.ToLower(strings.TrimPrefix(mi.Source, "git::"))
	s, _, _ = strings.Cut(s, "?")
	scheme := ""
	if i := strings.Index(s, "://"); i >= 0 {
		scheme, s = s[:i+3], s[i+3:]
	}
	if _, sub, ok := strings.Cut(s, "//"); ok && sub != "" {
		return ""
	}
	_ = scheme
	s = strings.TrimSuffix(strings.TrimSuffix(s, "/"), ".git")
	switch {
	case s == "terraform-aws-modules/lambda/aws", strings.HasSuffix(s, "terraform-aws-modules/terraform-aws-lambda"):
		return lambdaModule
	case s == "terraform-aws-modules/apigateway-v2/aws", strings.HasSuffix(s, "terraform-aws-modules/terraform-aws-apigateway-v2"):
		return apiModule
	}
	return ""
}

// moduleResource stands for a resource a built-in module creates, at the
// module call that creates it.
func (bd *build) moduleResource(mi *hclconfig.ModuleInstance, addr string, kind model.Kind) *model.Resource {
	typ, _, _ := strings.Cut(addr, ".")
	return &model.Resource{Address: mi.Addr + "." + addr, Kind: kind, File: bd.p.display(mi.Call.Block.Filename()),
		Key: bd.keyOf(mi), Ignore: bd.ignores(mi.Parent, mi.Call.Block), Type: typ, Scenario: bd.scenario}
}

// created reports whether a module's create flags (all default true)
// may be true.
func created(mi *hclconfig.ModuleInstance, flags ...string) bool {
	for _, f := range flags {
		if !boolOr(mi.Inputs[f], true) {
			return false
		}
	}
	return true
}

// lambdaOutputs are the lambda module's outputs that name its function.
var lambdaOutputs = []string{"lambda_function_arn", "lambda_function_arn_static", "lambda_function_invoke_arn", "lambda_function_name",
	"lambda_function_qualified_arn", "lambda_function_qualified_invoke_arn"}

func (bd *build) lambdaModules() {
	for _, mi := range bd.cfg.Modules {
		if builtin(mi) != lambdaModule || !created(mi, "create", "create_function") || boolOr(mi.Inputs["create_layer"], false) {
			continue
		}
		res := bd.moduleResource(mi, "aws_lambda_function.this[0]", model.KindFunction)
		fn := &model.Function{Resource: res}
		fn.Name, fn.NameHint = names(mi.Inputs["function_name"])
		dflt := bd.defaultValue(fnTimeout, awsfacts.LambdaDefaultTimeout, res.Key, mi.Call.Block, "timeout")
		fn.Timeout = bd.durations(mi.Inputs["timeout"], fnTimeout, dflt)
		if boolOr(mi.Inputs["lambda_at_edge"], false) {
			for i := range fn.Timeout {
				fn.Timeout[i].D = min(fn.Timeout[i].D, 30*time.Second)
			}
		}
		bd.b.Unresolved(fn.Timeout, "timeout of "+mi.Addr)
		bd.moduleCode(mi, fn)
		bd.b.Function(fn)
		for _, out := range lambdaOutputs {
			bd.fns[mi.Addr+":"+out] = fn
		}
		bd.fns[mi.Addr+".aws_lambda_function.this[0]"] = fn
		if esm := mi.Inputs["event_source_mapping"]; esm != nil {
			bd.moduleESM = append(bd.moduleESM, moduleESM{mi: mi, fn: fn, av: esm})
		}
		if at := mi.Inputs["allowed_triggers"]; at != nil {
			bd.triggers = append(bd.triggers, trigger{fn: fn, av: at})
		}
	}
}

// moduleESM is a lambda module's event_source_mapping argument, linked
// once the queues are read.
type moduleESM struct {
	mi *hclconfig.ModuleInstance
	fn *model.Function
	av *hclconfig.AttrValue
}

// trigger is a lambda module's allowed_triggers argument: permissions.
type trigger struct {
	fn *model.Function
	av *hclconfig.AttrValue
}

// moduleEventSources links the queues a lambda module's
// event_source_mapping names to its function.
func (bd *build) moduleEventSources() {
	for _, m := range bd.moduleESM {
		for _, o := range refs(m.av, "aws_sqs_queue") {
			q, ok := lookup(bd.queues, o.Addr)
			if !ok {
				continue
			}
			res := bd.moduleResource(m.mi, "aws_lambda_event_source_mapping.this", model.KindEventSource)
			res.Key = bd.p.rng(m.av.ValueRange)
			bd.b.EventSource(&model.EventSource{Resource: res, Loc: res.Key, Queue: q, Function: m.fn})
		}
	}
}

// apiModuleOutputs are the apigateway-v2 module's outputs that name its
// API, for permissions.
var apiModuleOutputs = []string{"api_id", "api_arn", "api_execution_arn"}

func (bd *build) apiModules() {
	for _, mi := range bd.cfg.Modules {
		if builtin(mi) != apiModule || !created(mi, "create") {
			continue
		}
		t := model.HTTP
		if p, _ := str(mi.Inputs["protocol_type"]); strings.EqualFold(p, "WEBSOCKET") {
			t = model.WebSocket
		}
		res := bd.moduleResource(mi, "aws_apigatewayv2_api.this[0]", model.KindAPI)
		name, _ := str(mi.Inputs["name"])
		res.Tags = tags(mi.Inputs["tags"])
		api := bd.b.API(&model.API{Resource: res, Name: name, Type: t})
		for _, out := range apiModuleOutputs {
			bd.apis[mi.Addr+":"+out] = api
		}
		bd.apis[mi.Addr+".aws_apigatewayv2_api.this[0]"] = api
		bd.moduleStage(mi, api)
		if routes := mi.Inputs["routes"]; routes != nil {
			bd.moduleRoutes(mi, api, routes, true)
		} else if ints := mi.Inputs["integrations"]; ints != nil {
			bd.moduleRoutes(mi, api, ints, false)
		}
		if t == model.HTTP {
			bd.body(api, mi.Inputs["body"])
		}
	}
}

// entry is one item of a map argument: its key, its value's expression
// when written out (nil when the map comes from elsewhere) and its value.
type entry struct {
	key  string
	expr hcl.Expression
	val  cty.Value
	at   hcl.Range // the key as written, else the argument
}

// entries lists a map argument's items.
func entries(av *hclconfig.AttrValue) []entry {
	if av == nil || av.Val == cty.NilVal || !av.Val.IsKnown() || av.Val.IsNull() || !av.Val.CanIterateElements() {
		return nil
	}
	var out []entry
	it := av.Val.ElementIterator()
	for it.Next() {
		k, v := it.Element()
		if k.Type() != cty.String || !k.IsKnown() {
			continue
		}
		e := entry{key: k.AsString(), val: v, at: av.ValueRange}
		if x := av.Item(av.Expr, e.key); x != nil {
			e.expr = x
			e.at = x.Range()
			if kr, ok := keyRange(av.Expr, x); ok {
				e.at = kr
			}
		}
		out = append(out, e)
	}
	return out
}

// keyRange is where the item whose value is v is keyed.
func keyRange(obj, v hcl.Expression) (hcl.Range, bool) {
	oc, ok := unwrap(obj).(*hclsyntax.ObjectConsExpr)
	if !ok {
		return hcl.Range{}, false
	}
	for _, it := range oc.Items {
		if it.ValueExpr == v {
			return it.KeyExpr.Range(), true
		}
	}
	return hcl.Range{}, false
}

func isObjectCons(e hcl.Expression) bool {
	if e == nil {
		return false
	}
	_, ok := unwrap(e).(*hclsyntax.ObjectConsExpr)
	return ok
}

// field reads one attribute of an entry's object: through its
// expression when written out, so it keeps its bytes and origins.
func field(av *hclconfig.AttrValue, obj hcl.Expression, val cty.Value, name string) *hclconfig.AttrValue {
	if obj != nil {
		if x := av.Item(obj, name); x != nil {
			return av.Sub(name, x)
		}
		if isObjectCons(obj) {
			return nil
		}
	}
	if val == cty.NilVal || !val.IsKnown() || val.IsNull() || !val.Type().IsObjectType() && !val.Type().IsMapType() {
		return nil
	}
	if val.Type().IsObjectType() && !val.Type().HasAttribute(name) {
		return nil
	}
	fv := val.Index(cty.StringVal(name))
	if fv.IsNull() {
		return nil
	}
	return &hclconfig.AttrValue{Attribute: &hclconfig.Attribute{Name: name, Range: av.ValueRange, ValueRange: av.ValueRange, Expr: av.Expr}, Value: hclconfig.Value{Val: fv, Origins: av.Origins}}
}

// moduleRoutes reads routes (v5+: KEY = { integration = {...} }) or
// integrations (v2-v4: KEY = { lambda_arn, ... }).
func (bd *build) moduleRoutes(mi *hclconfig.ModuleInstance, api *model.API, av *hclconfig.AttrValue, v5 bool) {
	if !av.Known() && (av.Val == cty.NilVal || !av.Val.IsKnown()) {
		bd.b.Notef(bd.p.rng(av.ValueRange), "the routes of %s are not checked: %s", mi.Addr, strings.Join(av.Reasons(), "; "))
		return
	}
	for _, e := range entries(av) {
		obj, val := e.expr, e.val
		if v5 {
			ix := field(av, obj, val, "integration")
			if ix == nil {
				continue
			}
			obj, val = ix.Expr, ix.Val
			if ix.Expr == av.Expr {
				obj = nil
			}
		}
		get := func(name string) *hclconfig.AttrValue { return field(av, obj, val, name) }
		res := bd.moduleResource(mi, `aws_apigatewayv2_integration.this[`+strconv.Quote(e.key)+`]`, model.KindIntegration)
		res.Key = bd.p.rng(e.at)
		in := &model.Integration{Resource: res, Loc: res.Key}
		dflt := model.Value{Known: true, D: awsfacts.MaxIntegrationTimeout(api.Type), Unit: model.InMillis, Setting: integrationTimeout.name, Origin: model.Default, Loc: res.Key}
		if obj != nil && isObjectCons(obj) && bd.editable(obj.Range().Filename) {
			o := obj
			dflt.Remedy.Edit = func(d time.Duration) []finding.TextEdit {
				ed, err := hclconfig.InsertIntoObject(bd.p.bytes[o.Range().Filename], o, "timeout_milliseconds", strconv.FormatInt(d.Milliseconds(), 10))
				if err != nil {
					return nil
				}
				return []finding.TextEdit{bd.p.edit(ed.Filename, ed.Offset, ed.Offset+ed.Length, ed.Text)}
			}
		}
		in.Timeout = bd.durations(get("timeout_milliseconds"), integrationTimeout, dflt)
		bd.b.Unresolved(in.Timeout, "timeout_milliseconds of "+res.Address)
		var typ, subtype string
		var uri *hclconfig.AttrValue
		if v5 {
			typ = "AWS_PROXY"
			if s, ok := str(get("type")); ok {
				typ = s
			}
			subtype, _ = str(get("subtype"))
			uri = get("uri")
		} else {
			uri = get("lambda_arn")
			typ = "MOCK"
			if uri != nil {
				typ = "AWS_PROXY"
			} else {
				uri = get("integration_uri")
			}
			if s, ok := str(get("integration_type")); ok {
				typ = s
			}
			subtype, _ = str(get("integration_subtype"))
		}
		bd.classify(in, api, typ, subtype, uri, "")
		method, path := awsfacts.SplitRouteKey(e.key)
		route := bd.moduleResource(mi, `aws_apigatewayv2_route.this[`+strconv.Quote(e.key)+`]`, model.KindRoute)
		route.Key = res.Key
		if ep := bd.endpoint(api, method, path, route, res.Key, in); ep != nil && api.Type == model.WebSocket {
			answers := field(av, e.expr, e.val, "route_response_selection_expression") != nil
			if rr := field(av, e.expr, e.val, "route_response"); rr != nil {
				answers = answers || boolOr(field(av, rr.Expr, rr.Val, "create"), false)
			}
			ep.Waiting = awsfacts.WebSocketWaiting(e.key, answers)
		}
	}
}

// moduleStage reads the module's stage and its access logs.
func (bd *build) moduleStage(mi *hclconfig.ModuleInstance, api *model.API) {
	if !created(mi, "create_stage", "create_default_stage") {
		return
	}
	name := "$default"
	if s, ok := str(mi.Inputs["stage_name"]); ok {
		name = s
	}
	res := bd.moduleResource(mi, "aws_apigatewayv2_stage.this[0]", model.KindStage)
	st := &model.Stage{Name: name, Resource: res, Loc: res.Key}
	if als := mi.Inputs["stage_access_log_settings"]; als != nil {
		st.AccessLog = bd.moduleAccessLog(als, als.Expr, "format", defaultLogFormat)
	} else if f := mi.Inputs["default_stage_access_log_format"]; f != nil && (mi.Inputs["default_stage_access_log_destination_arn"] != nil || boolOr(mi.Inputs["create_default_stage_access_log_group"], false)) {
		st.AccessLog = bd.logFormat(f)
		st.AccessLog.Destination = mi.Inputs["default_stage_access_log_destination_arn"].Text()
	}
	if st.AccessLog != nil {
		st.Loc = st.AccessLog.Loc
	}
	bd.b.Stage(api, st)
}

// defaultLogFormat is the $context variables of the apigateway-v2
// module's default access-log format (v5 and later).
const defaultLogFormat = `{"context":{"domainName":"$context.domainName","integrationErrorMessage":"$context.integrationErrorMessage","protocol":"$context.protocol","requestId":"$context.requestId","requestTime":"$context.requestTime","responseLength":"$context.responseLength","routeKey":"$context.routeKey","stage":"$context.stage","status":"$context.status","error":{"message":"$context.error.message","responseType":"$context.error.responseType"},"identity":{"sourceIP":"$context.identity.sourceIp"},"integration":{"error":"$context.integration.error","integrationStatus":"$context.integration.integrationStatus"}}}`

// moduleAccessLog reads stage_access_log_settings: logs are on when the
// object is not empty, in its format or the module's default one.
func (bd *build) moduleAccessLog(av *hclconfig.AttrValue, obj hcl.Expression, name, dflt string) *model.AccessLog {
	if av.Known() && (av.Val.IsNull() || av.Val.CanIterateElements() && av.Val.LengthInt() == 0) {
		return nil
	}
	f := field(av, obj, av.Val, name)
	if f == nil {
		al := &model.AccessLog{Destination: "(the module's log group)", Format: dflt, FormatKnown: true, Loc: bd.p.rng(av.ValueRange)}
		if isObjectCons(obj) && bd.editable(obj.Range().Filename) {
			al.Edit = func(format string) []finding.TextEdit {
				ed, err := hclconfig.InsertIntoObject(bd.p.bytes[obj.Range().Filename], obj, name, quoteHCL(format, av.JSON))
				if err != nil {
					return nil
				}
				return []finding.TextEdit{bd.p.edit(ed.Filename, ed.Offset, ed.Offset+ed.Length, ed.Text)}
			}
		}
		return al
	}
	al := bd.logFormat(f)
	al.Destination = "(the module's log group)"
	return al
}

// logFormat reads a format argument.
func (bd *build) logFormat(f *hclconfig.AttrValue) *model.AccessLog {
	al := &model.AccessLog{Loc: bd.p.rng(f.ValueRange)}
	if s, ok := str(f); ok {
		al.Format, al.FormatKnown = s, true
	} else if t := f.Text(); strings.Contains(t, "$context.") {
		al.Format, al.FormatKnown = t, true
	}
	if f.Expr != nil && isStringLiteral(f) && bd.editable(f.ValueRange.Filename) {
		r, json := f.ValueRange, f.JSON
		al.Edit = func(format string) []finding.TextEdit {
			return []finding.TextEdit{bd.p.edit(r.Filename, r.Start.Byte, r.End.Byte, quoteHCL(format, json))}
		}
	}
	return al
}
