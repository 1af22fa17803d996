package terraform

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/gatelint/gatelint/internal/awsfacts"
	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/terraform/hclconfig"
)

// build fills the model from one loaded configuration.
type build struct {
	cfg *hclconfig.Config
	b   *model.Builder
	p   *paths

	byType map[string][]*hclconfig.ResourceInstance
	res    map[string]*hclconfig.ResourceInstance // every instance by address
	// What the configuration's addresses became in the model. Functions
	// are also keyed by their aliases' addresses, and by
	// "module.x:output" for the outputs of a module read with built-in
	// knowledge.
	fns       map[string]*model.Function
	quals     map[string]string // alias address -> alias name
	queues    map[string]*model.Queue
	apis      map[string]*model.API
	v2ints    map[string]*model.Integration
	stageVars map[*model.API][]map[string]string
	noted     map[string]bool
	moduleESM []moduleESM
	triggers  []trigger
	// readonly: nothing read can be edited (a plan is not the source).
	readonly bool
	// scenario is the environment this reading is in, nil for the only one.
	scenario *finding.Scenario
	// plan is the plan walked beside the configuration, whose planned
	// values give what the configuration cannot know offline.
	plan     *hclconfig.Plan
	planFile string
}

func newBuild(cfg *hclconfig.Config, b *model.Builder, p *paths) *build {
	bd := &build{cfg: cfg, b: b, p: p,
		byType: map[string][]*hclconfig.ResourceInstance{}, res: map[string]*hclconfig.ResourceInstance{},
		fns: map[string]*model.Function{}, quals: map[string]string{}, queues: map[string]*model.Queue{},
		apis: map[string]*model.API{}, v2ints: map[string]*model.Integration{},
		stageVars: map[*model.API][]map[string]string{}, noted: map[string]bool{}}
	for _, ri := range cfg.Resources {
		if ri.Resource.Mode != hclconfig.Managed && ri.Resource.Type != "aws_lambda_function" {
			// Data sources are looked up through references only.
			bd.res[ri.Addr] = ri
			continue
		}
		key := ri.Resource.Type
		if ri.Resource.Mode == hclconfig.Data {
			key = "data." + key
		}
		bd.byType[key] = append(bd.byType[key], ri)
		bd.res[ri.Addr] = ri
	}
	return bd
}

// build reads every kind of resource, in the order links need: functions
// and queues first, then APIs, stages, integrations and routes.
func (bd *build) build() {
	for _, ri := range bd.byType["aws_lambda_function"] {
		bd.function(ri)
	}
	for _, ri := range bd.byType["aws_sqs_queue"] {
		bd.queue(ri)
	}
	for _, ri := range bd.byType["aws_lambda_alias"] {
		bd.alias(ri)
	}
	bd.lambdaModules()
	for _, ri := range bd.byType["aws_api_gateway_rest_api"] {
		bd.restAPI(ri)
	}
	for _, ri := range bd.byType["aws_apigatewayv2_api"] {
		bd.v2API(ri)
	}
	for _, typ := range []string{"aws_api_gateway_stage", "aws_api_gateway_deployment", "aws_apigatewayv2_stage"} {
		for _, ri := range bd.byType[typ] {
			bd.stage(ri)
		}
	}
	for _, ri := range bd.byType["aws_apigatewayv2_integration"] {
		bd.v2Integration(ri)
	}
	bd.apiModules()
	bd.methods()
	for _, ri := range bd.byType["aws_apigatewayv2_route"] {
		bd.v2Route(ri)
	}
	for _, ri := range bd.byType["aws_api_gateway_rest_api"] {
		if api := bd.apis[ri.Addr]; api != nil {
			bd.body(api, ri.Attr("body"))
		}
	}
	for _, ri := range bd.byType["aws_apigatewayv2_api"] {
		if api := bd.apis[ri.Addr]; api != nil && api.Type == model.HTTP {
			bd.body(api, ri.Attr("body"))
		}
	}
	for _, ri := range bd.byType["aws_lambda_event_source_mapping"] {
		bd.eventSourceMapping(ri)
	}
	bd.moduleEventSources()
	bd.permissions()
	bd.moduleNotes()
	bd.sharedSettings()
}

// sharedSettings withdraws the edit of a variable, local or tfvars line
// that sets two different kinds of value (a function's timeout and its
// queue's visibility_timeout_seconds from one variable): changing it for
// one changes the other, and no number fixes both.
func (bd *build) sharedSettings() {
	m := bd.b.Model()
	var all []model.Values
	for _, fn := range m.Functions {
		all = append(all, fn.Timeout)
	}
	for _, q := range m.Queues {
		all = append(all, q.VisibilityTimeout)
	}
	for _, api := range m.APIs {
		for _, e := range api.Endpoints {
			if e.Integration != nil {
				all = append(all, e.Integration.Timeout)
			}
		}
	}
	kinds := map[loc.Range]map[string]bool{}
	for _, vs := range all {
		for _, v := range vs {
			if v.Remedy.Shared != nil && !v.Via.Loc.IsZero() {
				if kinds[v.Via.Loc] == nil {
					kinds[v.Via.Loc] = map[string]bool{}
				}
				kinds[v.Via.Loc][v.Setting] = true
			}
		}
	}
	for _, vs := range all {
		for i := range vs {
			if v := &vs[i]; v.Remedy.Shared != nil && len(kinds[v.Via.Loc]) > 1 {
				v.Remedy.Shared = nil
				advice := v.Remedy.Advice
				name := v.Via.Name
				v.Remedy.Advice = func(d time.Duration) string {
					s := ""
					if advice != nil {
						s = advice(d)
					}
					return s + fmt.Sprintf(" (%s sets other timeouts too: give this one its own value.)", name)
				}
			}
		}
	}
}

// resource is the model's resource for an instance: its Terraform address
// is its address, and the block's name label is its key.
func (bd *build) resource(ri *hclconfig.ResourceInstance, kind model.Kind) *model.Resource {
	blk := ri.Resource.Block
	key := blk.TypeRange
	if n := len(blk.LabelRanges); n > 0 {
		key = blk.LabelRanges[n-1]
	}
	res := &model.Resource{Address: ri.Addr, Kind: kind, File: bd.p.display(blk.Filename()), Key: bd.p.rng(key),
		Ignore: bd.ignores(ri.Module, blk), Type: ri.Resource.Type, Scenario: bd.scenario}
	if ri.KeyUnknown && !bd.noted[ri.Resource.Addr+ri.Module.Addr] {
		bd.noted[ri.Resource.Addr+ri.Module.Addr] = true
		bd.b.Notef(res.Key, "%s: %s; it is judged once, for any of its instances", ri.Addr, ri.ExpansionReason)
	}
	return res
}

// ignores gathers the gatelint:ignore annotations of a block, its
// attributes, and the module calls it lies within.
func (bd *build) ignores(mi *hclconfig.ModuleInstance, blk *hclconfig.Block) map[string]string {
	out := map[string]string{}
	add := func(anns []hclconfig.Annotation) {
		for _, a := range anns {
			for _, r := range a.Rules {
				out[strings.ToUpper(r)] = a.Reason
			}
		}
	}
	var walk func(b *hclconfig.Block)
	walk = func(b *hclconfig.Block) {
		if b == nil {
			return
		}
		add(b.Annotations)
		for _, a := range b.Attrs {
			add(a.Annotations)
		}
		for _, nb := range b.Blocks {
			walk(nb)
		}
	}
	walk(blk)
	for m := mi; m != nil && m.Call != nil; m = m.Parent {
		add(m.Call.Block.Annotations)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// addrType is the resource type of an instance address
// (module.fn["a"].aws_lambda_function.this[0] → aws_lambda_function;
// data sources keep their "data." prefix).
func addrType(addr string) string {
	rest := addr
	for strings.HasPrefix(rest, "module.") {
		i := skipSegment(rest, len("module."))
		if i >= len(rest) || rest[i] != '.' {
			return ""
		}
		rest = rest[i+1:]
	}
	if strings.HasPrefix(rest, "data.") {
		t, _, _ := strings.Cut(rest[len("data."):], ".")
		return "data." + t
	}
	t, _, _ := strings.Cut(rest, ".")
	return t
}

// skipSegment skips a name and its instance key ([0], ["a.b"]) from i.
func skipSegment(s string, i int) int {
	for i < len(s) && s[i] != '.' && s[i] != '[' {
		i++
	}
	for i < len(s) && s[i] == '[' {
		inStr := false
		for i++; i < len(s); i++ {
			if s[i] == '\\' && inStr {
				i++
				continue
			}
			if s[i] == '"' {
				inStr = !inStr
			}
			if s[i] == ']' && !inStr {
				i++
				break
			}
		}
	}
	return i
}

// instanceKey drops the last instance key of an address.
var instanceKey = regexp.MustCompile(`\[(?:"(?:[^"\\]|\\.)*"|[0-9]+)\]$`)

// refs returns the resources of the given types an argument's value came
// from, with the attribute referenced.
func refs(av *hclconfig.AttrValue, types ...string) []hclconfig.Origin {
	if av == nil {
		return nil
	}
	var out []hclconfig.Origin
	for _, o := range av.Origins {
		if o.Kind != hclconfig.OriginResource && o.Kind != hclconfig.OriginData {
			continue
		}
		t := addrType(o.Addr)
		for _, want := range types {
			if t == want {
				out = append(out, o)
				break
			}
		}
	}
	return out
}

// lookup finds what an address became, trying the address without its
// instance key (a reference to a resource whose count is not known) and
// the first instance of a block referenced without a key.
func lookup[T any](m map[string]T, addr string) (T, bool) {
	if v, ok := m[addr]; ok {
		return v, true
	}
	if base := instanceKey.ReplaceAllString(addr, ""); base != addr {
		if v, ok := m[base]; ok {
			return v, true
		}
	}
	var keys []string
	for k := range m {
		if strings.HasPrefix(k, addr+"[") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	if len(keys) > 0 {
		return m[keys[0]], true
	}
	var zero T
	return zero, false
}

// function reads aws_lambda_function: timeout (default 3 s) and
// function_name.
func (bd *build) function(ri *hclconfig.ResourceInstance) {
	if ri.Resource.Mode == hclconfig.Data {
		return
	}
	res := bd.resource(ri, model.KindFunction)
	fn := &model.Function{Resource: res}
	fn.Name, fn.NameHint = names(ri.Attr("function_name"))
	dflt := bd.defaultValue(fnTimeout, awsfacts.LambdaDefaultTimeout, res.Key, ri.Resource.Block, "timeout")
	fn.Timeout = bd.durations(ri.Attr("timeout"), fnTimeout, dflt)
	bd.b.Unresolved(fn.Timeout, "timeout of "+ri.Addr)
	bd.code(ri, fn)
	bd.fns[ri.Addr] = fn
	bd.b.Function(fn)
}

// names is a function name when known, else a part every deployed name
// has (the literal text around what is not known offline), for joining a
// live function.
func names(av *hclconfig.AttrValue) (name, hint string) {
	if s, ok := str(av); ok {
		return s, ""
	}
	text := av.Text()
	for _, part := range strings.FieldsFunc(placeholder.ReplaceAllString(text, "\x00"), func(r rune) bool { return r == 0 }) {
		if len(part) > len(hint) {
			hint = part
		}
	}
	if len(hint) < 4 {
		hint = ""
	}
	return "", hint
}

var placeholder = regexp.MustCompile(`\$\{[^}]*\}`)

func (bd *build) queue(ri *hclconfig.ResourceInstance) {
	res := bd.resource(ri, model.KindQueue)
	q := &model.Queue{Resource: res}
	dflt := bd.defaultValue(visibilityTimeout, awsfacts.SQSDefaultVisibilityTimeout, res.Key, ri.Resource.Block, "visibility_timeout_seconds")
	q.VisibilityTimeout = bd.durations(ri.Attr("visibility_timeout_seconds"), visibilityTimeout, dflt)
	bd.b.Unresolved(q.VisibilityTimeout, "visibility_timeout_seconds of "+ri.Addr)
	bd.queues[ri.Addr] = q
	bd.b.Queue(q)
}

// functionOf finds the function an argument names: a reference to a
// function, an alias or a module's function output, or a literal name
// or ARN matched by function_name.
func (bd *build) functionOf(av *hclconfig.AttrValue) (*model.Function, string) {
	if av == nil {
		return nil, ""
	}
	for _, o := range av.Origins {
		switch o.Kind {
		case hclconfig.OriginResource, hclconfig.OriginData:
			switch addrType(o.Addr) {
			case "aws_lambda_function", "aws_lambda_alias":
				if fn, ok := lookup(bd.fns, o.Addr); ok {
					q, _ := lookup(bd.quals, o.Addr)
					if q == "" && (o.Attr == "qualified_arn" || o.Attr == "qualified_invoke_arn") {
						q = "$LATEST"
					}
					return fn, q
				}
			case "data.aws_lambda_function":
				// A data source names a deployed function by its name.
				if ri := bd.res[o.Addr]; ri != nil {
					if name, ok := str(ri.Attr("function_name")); ok {
						if fn, q := bd.functionNamed(name); fn != nil {
							return fn, q
						}
					}
				}
			}
		case hclconfig.OriginModule:
			if fn, ok := bd.fns[o.Addr+":"+o.Attr]; ok {
				return fn, ""
			}
		}
	}
	return bd.functionNamed(av.Text())
}

var (
	lambdaARN  = regexp.MustCompile(`function:([A-Za-z0-9_-]+)(?::([A-Za-z0-9_$-]+))?`)
	lambdaName = regexp.MustCompile(`^([A-Za-z0-9_-]+)(?::([A-Za-z0-9_$-]+))?$`)
)

// functionNamed finds the function a literal ARN or name in text names.
func (bd *build) functionNamed(text string) (*model.Function, string) {
	m := lambdaARN.FindStringSubmatch(text)
	if m == nil {
		m = lambdaName.FindStringSubmatch(text)
	}
	if m == nil {
		return nil, ""
	}
	for _, fn := range bd.b.Model().Functions {
		if fn.Name == m[1] {
			return fn, m[2]
		}
	}
	return nil, ""
}

func (bd *build) alias(ri *hclconfig.ResourceInstance) {
	fn, _ := bd.functionOf(ri.Attr("function_name"))
	if fn == nil {
		return
	}
	bd.fns[ri.Addr] = fn
	name, _ := str(ri.Attr("name"))
	bd.quals[ri.Addr] = name
	fn.Aliases = append(fn.Aliases, ri.Addr)
}

// apiOf finds the API an argument (rest_api_id, api_id) refers to; an API
// this configuration does not define gets a stand-in so its endpoints
// are still checked.
func (bd *build) apiOf(ri *hclconfig.ResourceInstance, arg string, t model.APIType) *model.API {
	av := ri.Attr(arg)
	for _, o := range refs(av, "aws_api_gateway_rest_api", "aws_apigatewayv2_api") {
		if api, ok := lookup(bd.apis, o.Addr); ok {
			return api
		}
	}
	label := bd.text(rangeOf(av, ri))
	id := "external:" + ri.Module.Addr + ":" + label
	if api := bd.apis[id]; api != nil {
		return api
	}
	res := &model.Resource{Address: label, Kind: model.KindAPI, File: bd.p.display(ri.Resource.Block.Filename()),
		Key: bd.p.rng(rangeOf(av, ri)), Ignore: bd.ignores(ri.Module, nil), Scenario: bd.scenario}
	// Not defined here: its endpoint type is not known.
	api := &model.API{Resource: res, Type: t}
	bd.apis[id] = api
	return bd.b.API(api)
}

// rangeOf is where an argument's value is written, or the block's name.
func rangeOf(av *hclconfig.AttrValue, ri *hclconfig.ResourceInstance) hcl.Range {
	if av != nil {
		return av.ValueRange
	}
	blk := ri.Resource.Block
	if n := len(blk.LabelRanges); n > 0 {
		return blk.LabelRanges[n-1]
	}
	return blk.TypeRange
}

func (bd *build) restAPI(ri *hclconfig.ResourceInstance) {
	res := bd.resource(ri, model.KindAPI)
	name, _ := str(ri.Attr("name"))
	api := &model.API{Resource: res, Name: name, Type: model.REST, EndpointType: model.Edge}
	res.Tags = tags(ri.Attr("tags"))
	for _, ec := range ri.Body.BlocksOfType("endpoint_configuration") {
		if av := ec.Attrs["types"]; av != nil {
			if !av.Known() {
				api.EndpointType = ""
				continue
			}
			if av.Val.CanIterateElements() && av.Val.LengthInt() > 0 {
				it := av.Val.ElementIterator()
				it.Next()
				_, t := it.Element()
				if t.Type() == cty.String && t.IsKnown() && !t.IsNull() {
					switch strings.ToUpper(t.AsString()) {
					case "REGIONAL":
						api.EndpointType = model.Regional
					case "PRIVATE":
						api.EndpointType = model.Private
					}
				}
			}
		}
	}
	bd.apis[ri.Addr] = api
	bd.b.API(api)
}

// tags are an API's configured tags, known ones only.
func tags(av *hclconfig.AttrValue) map[string]string {
	if av == nil || av.Val == cty.NilVal || !av.Val.IsKnown() || av.Val.IsNull() || !av.Val.CanIterateElements() {
		return nil
	}
	out := map[string]string{}
	it := av.Val.ElementIterator()
	for it.Next() {
		k, v := it.Element()
		if k.Type() == cty.String && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
			out[k.AsString()] = v.AsString()
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func (bd *build) v2API(ri *hclconfig.ResourceInstance) {
	res := bd.resource(ri, model.KindAPI)
	name, _ := str(ri.Attr("name"))
	t := model.HTTP
	if p, _ := str(ri.Attr("protocol_type")); strings.EqualFold(p, "WEBSOCKET") {
		t = model.WebSocket
	}
	res.Tags = tags(ri.Attr("tags"))
	api := &model.API{Resource: res, Name: name, Type: t}
	bd.apis[ri.Addr] = api
	bd.b.API(api)
	target := ri.Attr("target")
	if target == nil || t != model.HTTP {
		return
	}
	// Quick create: a $default stage that logs nothing, and a route
	// (route_key, default $default) to an integration with the default
	// timeout.
	bd.b.Stage(api, &model.Stage{Name: "$default", Resource: res, Loc: res.Key})
	in := &model.Integration{Resource: res, Loc: bd.p.rng(target.ValueRange),
		Timeout: model.Values{bd.defaultValue(integrationTimeout, awsfacts.MaxIntegrationTimeout(api.Type), res.Key, nil, "")}}
	in.Function, in.Qualifier = bd.functionOf(target)
	in.Kind = model.LambdaProxy
	if txt := target.Text(); in.Function == nil && (strings.HasPrefix(txt, "http://") || strings.HasPrefix(txt, "https://")) {
		in.Kind = model.HTTPBackend
	}
	key := "$default"
	if rk, ok := str(ri.Attr("route_key")); ok {
		key = rk
	}
	method, path := awsfacts.SplitRouteKey(key)
	bd.endpoint(api, method, path, res, bd.p.rng(target.ValueRange), in)
}

// endpoint attaches an endpoint, keeping the first definition of a method
// and path.
func (bd *build) endpoint(api *model.API, method, path string, res *model.Resource, at loc.Range, in *model.Integration) *model.Endpoint {
	e := &model.Endpoint{Method: strings.ToUpper(method), Path: path, Resource: res, Loc: at, Integration: in}
	if api.Type == model.REST {
		e.RequireHeader = requireHeader
	}
	return bd.b.FirstEndpoint(api, e)
}

// requireHeader is how a REST method requires a request header.
const requireHeader = `require the header in the method's request_parameters ("method.request.header.Idempotency-Key" = true, with a request_validator_id)`

// stage reads aws_api_gateway_stage, the stage a deployment with
// stage_name creates, and aws_apigatewayv2_stage.
func (bd *build) stage(ri *hclconfig.ResourceInstance) {
	var api *model.API
	var name string
	varsArg := "variables"
	switch ri.Resource.Type {
	case "aws_api_gateway_stage":
		api = bd.apiRef(ri.Attr("rest_api_id"))
		name = nameText(ri.Attr("stage_name"))
	case "aws_api_gateway_deployment":
		api = bd.apiRef(ri.Attr("rest_api_id"))
		sn := ri.Attr("stage_name")
		if sn == nil {
			return
		}
		name = nameText(sn)
	case "aws_apigatewayv2_stage":
		api = bd.apiRef(ri.Attr("api_id"))
		name = nameText(ri.Attr("name"))
		varsArg = "stage_variables"
	}
	if api == nil {
		return
	}
	if vars := stringMap(ri.Attr(varsArg)); len(vars) > 0 {
		bd.stageVars[api] = append(bd.stageVars[api], vars)
	}
	res := bd.resource(ri, model.KindStage)
	if ri.Resource.Type == "aws_api_gateway_deployment" {
		res.Kind = model.KindDeployment
	}
	st := &model.Stage{Name: name, Resource: res, Loc: res.Key}
	for _, als := range ri.Body.BlocksOfType("access_log_settings") {
		st.AccessLog = bd.accessLog(als)
		if st.AccessLog != nil {
			st.Loc = st.AccessLog.Loc
		}
	}
	bd.b.Stage(api, st)
}

// nameText is a name as known offline, with what is not known written as
// ${...} ("prod-${random_uuid.id.result}").
func nameText(av *hclconfig.AttrValue) string {
	if s, ok := str(av); ok {
		return s
	}
	return av.Text()
}

// apiRef is the API an argument refers to, when defined here.
func (bd *build) apiRef(av *hclconfig.AttrValue) *model.API {
	for _, o := range refs(av, "aws_api_gateway_rest_api", "aws_apigatewayv2_api") {
		if api, ok := lookup(bd.apis, o.Addr); ok {
			return api
		}
	}
	if av != nil {
		for _, o := range av.Origins {
			if o.Kind == hclconfig.OriginModule {
				if api, ok := bd.apis[o.Addr+":"+o.Attr]; ok {
					return api
				}
			}
		}
	}
	return nil
}

func stringMap(av *hclconfig.AttrValue) map[string]string {
	return tags(av)
}

// accessLog reads access_log_settings { destination_arn, format }.
func (bd *build) accessLog(b *hclconfig.BodyValue) *model.AccessLog {
	dest := b.Attrs["destination_arn"]
	if dest == nil {
		return nil
	}
	al := &model.AccessLog{Destination: dest.Text(), Loc: bd.p.rng(b.Block.Range)}
	f := b.Attrs["format"]
	if f == nil {
		return al
	}
	al.Loc = bd.p.rng(f.ValueRange)
	if s, ok := str(f); ok {
		al.Format, al.FormatKnown = s, true
	} else if t := f.Text(); strings.Contains(t, "$context.") {
		al.Format, al.FormatKnown = t, true
	}
	if isStringLiteral(f) && bd.editable(f.ValueRange.Filename) {
		r := f.ValueRange
		json := f.JSON
		al.Edit = func(format string) []finding.TextEdit {
			return []finding.TextEdit{bd.p.edit(r.Filename, r.Start.Byte, r.End.Byte, quoteHCL(format, json))}
		}
	}
	return al
}
