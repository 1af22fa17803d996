package serverless

import (
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/awsfacts"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/serverless/vars"
	"github.com/gatelint/gatelint/internal/source/yamlpos"
)

// events reads one function's events that reach it through API Gateway
// or SQS; the others (schedule, s3, alb, ...) are not about these
// timeouts.
func (r *reader) events(fn *function) {
	for _, ev := range r.eventList(fn) {
		switch ev.kind {
		case "http":
			r.httpEvent(fn, ev)
		case "httpApi":
			r.httpAPIEvent(fn, ev)
		case "websocket":
			r.websocketEvent(fn, ev)
		case "sqs":
			r.sqsEvent(fn, ev)
		}
	}
}

// apiName is the name the framework gives an API: the provider's own
// (apiName, httpApi.name) when set, else <stage>-<service> (or
// <service>-<stage> with shouldStartNameWithService).
func (r *reader) apiName(own string, startWithService bool) string {
	if own != "" {
		return own
	}
	if startWithService {
		return r.service + "-" + r.stage
	}
	return r.stage + "-" + r.service
}

// truthy reads a boolean setting.
func (r *reader) truthy(m vars.Value, key string) bool {
	s, ok := r.text(m, key)
	return ok && strings.EqualFold(s, "true")
}

// external is an API the service attaches to but does not define
// (provider.apiGateway.restApiId, provider.httpApi.id): its settings and
// stages are not known here.
func (r *reader) external(m vars.Value, key string, t model.APIType, what string) *model.API {
	n := yamlpos.Get(m.Node, key)
	if n == nil {
		return nil
	}
	v, err := r.res.Resolve(m.File, n)
	if err != nil {
		r.err(err)
	}
	label := yamlpos.Scalar(n)
	switch {
	case v.Known() && v.Node.Kind == yaml.ScalarNode:
		label = v.Scalar()
	case n.Kind == yaml.MappingNode && len(n.Content) == 2:
		// {Fn::ImportValue: shared-api-id}, {Ref: ApiId}
		label = n.Content[0].Value + " " + yamlpos.Scalar(n.Content[1])
	case n.Kind != yaml.ScalarNode:
		label = "(" + what + ")"
	}
	at := r.rangeOf(m.File, n)
	res := &model.Resource{Address: label, Kind: model.KindAPI, File: r.f.Path, LogicalID: label, Key: at}
	api := r.b.API(&model.API{Resource: res, Type: t})
	r.b.Notef(at, "the %s API %s (%s) is not defined in this service: its endpoint type and stages are not known here; check them where it is defined", t, label, what)
	return api
}

// restAPI is the REST API http events deploy: ApiGatewayRestApi, or the
// external one provider.apiGateway.restApiId names.
func (r *reader) restAPI(ev event) *model.API {
	if r.rest != nil {
		return r.rest
	}
	gw, _ := r.get(r.provider, "apiGateway")
	if api := r.external(gw, "restApiId", model.REST, "provider.apiGateway.restApiId"); api != nil {
		r.rest = api
		return api
	}
	own, _ := r.text(r.provider, "apiName")
	api := r.ownAPI(ev, restAPIID, model.REST, r.apiName(own, r.truthy(gw, "shouldStartNameWithService")))
	api.EndpointType = model.Edge
	switch t, _ := r.text(r.provider, "endpointType"); strings.ToUpper(t) {
	case "REGIONAL":
		api.EndpointType = model.Regional
	case "PRIVATE":
		api.EndpointType = model.Private
	}
	r.rest = api
	return r.rest
}

// ownAPI is an API the service defines, under the framework's logical
// ID, tagged with it as CloudFormation will tag it.
func (r *reader) ownAPI(ev event, id string, t model.APIType, name string) *model.API {
	typ := "AWS::ApiGatewayV2::Api"
	if t == model.REST {
		typ = "AWS::ApiGateway::RestApi"
	}
	res := &model.Resource{Address: id, Kind: model.KindAPI, File: r.f.Path, Key: ev.at(r), LogicalID: id,
		Type: typ, Tags: map[string]string{logicalIDTag: id, stackNameTag: r.stackName()}, Ignore: r.providerIgnores()}
	return r.b.API(&model.API{Resource: res, Name: name, Type: t})
}

// httpAPI is the HTTP API httpApi events deploy: HttpApi, or the
// external one provider.httpApi.id names.
func (r *reader) httpAPI(ev event) *model.API {
	if r.http != nil {
		return r.http
	}
	cfg, _ := r.get(r.provider, "httpApi")
	if api := r.external(cfg, "id", model.HTTP, "provider.httpApi.id"); api != nil {
		r.http = api
		return api
	}
	own, _ := r.text(cfg, "name")
	r.http = r.ownAPI(ev, httpAPIID, model.HTTP, r.apiName(own, r.truthy(cfg, "shouldStartNameWithService")))
	return r.http
}

// websocketAPI is the WebSocket API websocket events deploy.
func (r *reader) websocketAPI(ev event) *model.API {
	if r.ws != nil {
		return r.ws
	}
	gw, _ := r.get(r.provider, "apiGateway")
	if api := r.external(gw, "websocketApiId", model.WebSocket, "provider.apiGateway.websocketApiId"); api != nil {
		r.ws = api
		return api
	}
	name, ok := r.text(r.provider, "websocketsApiName")
	if !ok {
		name = r.stage + "-" + r.service + "-websockets"
	}
	r.ws = r.ownAPI(ev, websocketAPIID, model.WebSocket, name)
	return r.ws
}

// The tags CloudFormation gives what it creates, which join a live API
// to the service that deploys it: every service's REST API is
// ApiGatewayRestApi, its stack tells them apart.
const (
	logicalIDTag = "aws:cloudformation:logical-id"
	stackNameTag = "aws:cloudformation:stack-name"
)

// stackName is the stack the service deploys: provider.stackName, else
// <service>-<stage> (naming.js getStackName).
func (r *reader) stackName() string {
	if s, ok := r.text(r.provider, "stackName"); ok {
		return s
	}
	return r.service + "-" + r.stage
}

// providerIgnores are the suppressions written on provider's keys, which
// hold for what the provider section configures (the APIs, their stages).
func (r *reader) providerIgnores() map[string]string {
	k, v := yamlpos.Lookup(r.f.Root, "provider")
	return ignores(k, v)
}

// httpEvent reads an http event (REST): the long form {path, method,
// async, integration, cors, timeoutInMillis (v4), response.transferMode
// (v4)} or the short form "GET users/{id}".
func (r *reader) httpEvent(fn *function, ev event) {
	api := r.restAPI(ev)
	var method, path string
	long := ev.body.Known() && ev.body.Node.Kind == yaml.MappingNode
	switch {
	case long:
		method, _ = r.text(ev.body, "method")
		path, _ = r.text(ev.body, "path")
	case ev.body.Known() && ev.body.Node.Kind == yaml.ScalarNode:
		parts := strings.Fields(ev.body.Scalar())
		if len(parts) != 2 {
			r.b.Notef(ev.at(r), "http event %q of function %s is not `METHOD path`; not checked", ev.body.Scalar(), fn.name)
			return
		}
		method, path = parts[0], parts[1]
	default:
		if ev.body.Unknown != "" {
			r.b.Notef(ev.at(r), "http event of function %s: %s; not checked", fn.name, ev.body.Unknown)
		}
		return
	}
	if method == "" {
		r.b.Notef(ev.at(r), "http event of function %s has no method; not checked", fn.name)
		return
	}
	id := methodLogicalID(path, method)
	res := &model.Resource{Address: id, Kind: model.KindMethod, File: r.f.Path, Key: ev.at(r), LogicalID: id,
		Type: "AWS::ApiGateway::Method", Ignore: fn.fn.Resource.Ignore}
	in := &model.Integration{Resource: res, Loc: ev.at(r), Kind: model.LambdaProxy, Function: fn.fn}
	integration := "aws_proxy"
	if long {
		if s, ok := r.text(ev.body, "integration"); ok {
			integration = strings.ToLower(s)
		}
	}
	switch integration {
	case "lambda", "aws":
		in.Kind = model.LambdaSync
	case "http", "http-proxy", "http_proxy":
		in.Kind, in.Function = model.HTTPBackend, nil
	case "mock":
		in.Kind, in.Function = model.Mock, nil
	}
	if long && r.truthy(ev.body, "async") {
		// integration.js: async uses the AWS integration with
		// X-Amz-Invocation-Type Event; API Gateway answers 200 at once.
		in.Kind, in.Target = model.LambdaEvent, "Lambda (Event)"
	}
	in.Timeout = model.Values{r.restTimeout(fn, ev, long)}
	if t := yamlpos.Get(r.extensionNode(id, "Integration"), "TimeoutInMillis"); t != nil {
		in.Timeout = model.Values{r.duration(r.f, t, "TimeoutInMillis", model.InMillis)}
	}
	r.integrations[id] = in
	r.b.Unresolved(in.Timeout, "timeoutInMillis of the http event of function "+fn.name)
	if long {
		resp, _ := r.get(ev.body, "response")
		if mode, ok := r.text(resp, "transferMode"); ok && strings.EqualFold(mode, "STREAM") {
			if r.version >= 4 {
				in.Streaming = true
			} else {
				r.b.Notef(r.rangeOf(resp.File, yamlpos.Get(resp.Node, "transferMode")), "response.transferMode is read by Serverless Framework v4 only; this service is v3, which does not stream")
			}
		}
	}
	e := &model.Endpoint{Method: strings.ToUpper(method), Path: "/" + trimPath(path), Resource: res, Loc: ev.at(r), Integration: in,
		RequireHeader: "require the header in the http event's request.parameters.headers (Idempotency-Key: true)"}
	if e.Method == "ANY" || e.Method == "*" {
		e.Method = "ANY"
	}
	if long {
		r.requiredHeaders(e, ev.body)
	}
	if r.b.FirstEndpoint(api, e) == nil {
		return
	}
	if long && r.cors(ev.body) {
		r.corsPreflight(api, path, ev)
	}
}

// cors reports whether an http event turns CORS on (cors: true or a
// mapping).
func (r *reader) cors(body vars.Value) bool {
	c, ok := r.get(body, "cors")
	if !ok || !c.Known() {
		return false
	}
	return c.Node.Kind == yaml.MappingNode || strings.EqualFold(c.Scalar(), "true")
}

// corsPreflight is the OPTIONS method the framework adds for CORS: a
// mock integration, nobody's wait.
func (r *reader) corsPreflight(api *model.API, path string, ev event) {
	id := methodLogicalID(path, "options")
	res := &model.Resource{Address: id, Kind: model.KindMethod, File: r.f.Path, Key: ev.at(r), LogicalID: id, Type: "AWS::ApiGateway::Method"}
	in := &model.Integration{Resource: res, Loc: ev.at(r), Kind: model.Mock,
		Timeout: model.Values{{Known: true, D: awsfacts.MaxIntegrationTimeout(model.REST), Unit: model.InMillis, Setting: "TimeoutInMillis", Origin: model.Default, Loc: ev.at(r)}}}
	r.b.FirstEndpoint(api, &model.Endpoint{Method: "OPTIONS", Path: "/" + trimPath(path), Resource: res, Loc: ev.at(r), Integration: in})
}

// requiredHeaders reads request.parameters.headers: {Name: true} or
// {Name: {required: true}}.
func (r *reader) requiredHeaders(e *model.Endpoint, body vars.Value) {
	req, _ := r.get(body, "request")
	params, _ := r.get(req, "parameters")
	hs, ok := r.get(params, "headers")
	if !ok || !hs.Known() || hs.Node.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(hs.Node.Content); i += 2 {
		k, v := hs.Node.Content[i], hs.Node.Content[i+1]
		if strings.EqualFold(yamlpos.Scalar(v), "true") || strings.EqualFold(yamlpos.Scalar(yamlpos.Get(v, "required")), "true") {
			e.RequiredHeaders = append(e.RequiredHeaders, strings.ToLower(k.Value))
		}
	}
}

// restTimeout is how long a REST integration waits: v3 writes no
// TimeoutInMillis (integration.js), so API Gateway's 29 s; v4 takes the
// event's timeoutInMillis, else provider.apiGateway.timeoutInMillis.
func (r *reader) restTimeout(fn *function, ev event, long bool) model.Value {
	dflt := model.Value{Known: true, D: awsfacts.MaxIntegrationTimeout(model.REST), Unit: model.InMillis, Setting: "timeoutInMillis", Origin: model.Default, Loc: ev.at(r)}
	own := yamlpos.Get(ev.body.Node, "timeoutInMillis")
	if !long {
		own = nil
	}
	if r.version < 4 {
		dflt.Setting = "TimeoutInMillis"
		if own != nil {
			r.b.Notef(r.rangeOf(ev.body.File, own), "timeoutInMillis on an http event is read by Serverless Framework v4 only; this service is v3 (frameworkVersion), which ignores it: the integration waits the 29 s default")
		}
		return dflt
	}
	if long && ev.body.File != nil {
		dflt.Remedy.Edit = inUnit(model.InMillis, yamlpos.InsertProperty(ev.body.File, ev.body.Node, "timeoutInMillis"))
	}
	if own != nil {
		return r.duration(ev.body.File, own, "timeoutInMillis", model.InMillis)
	}
	gw, _ := r.get(r.provider, "apiGateway")
	if pn := yamlpos.Get(gw.Node, "timeoutInMillis"); pn != nil && gw.File != nil {
		v := r.duration(gw.File, pn, "timeoutInMillis", model.InMillis)
		if v.Known {
			v.Origin = model.Inherited
			v.Via = model.Via{Name: "provider.apiGateway.timeoutInMillis", Loc: r.rangeOf(gw.File, pn), SetHere: "for every http event without its own"}
			v.Remedy = dflt.Remedy
		}
		return v
	}
	return dflt
}

// httpAPIEvent reads an httpApi event: {method, path}, 'POST /path' or
// '*'. Every route of a function shares its one integration.
func (r *reader) httpAPIEvent(fn *function, ev event) {
	api := r.httpAPI(ev)
	var method, path string
	switch {
	case ev.body.Known() && ev.body.Node.Kind == yaml.MappingNode:
		method, _ = r.text(ev.body, "method")
		path, _ = r.text(ev.body, "path")
	case ev.body.Known() && ev.body.Node.Kind == yaml.ScalarNode:
		s := strings.TrimSpace(ev.body.Scalar())
		if s == "*" {
			path = "*"
		} else if parts := strings.Fields(s); len(parts) == 2 {
			method, path = parts[0], parts[1]
		} else {
			r.b.Notef(ev.at(r), "httpApi event %q of function %s is not `METHOD /path` or '*'; not checked", s, fn.name)
			return
		}
	default:
		if ev.body.Unknown != "" {
			r.b.Notef(ev.at(r), "httpApi event of function %s: %s; not checked", fn.name, ev.body.Unknown)
		}
		return
	}
	routeKey := "*"
	if path != "*" {
		method = strings.ToUpper(method)
		if method == "*" {
			method = "ANY"
		}
		routeKey = method + " " + path
	}
	in := r.httpIntegration(fn, ev, api)
	id := httpAPIRouteLogicalID(routeKey)
	res := &model.Resource{Address: id, Kind: model.KindRoute, File: r.f.Path, Key: ev.at(r), LogicalID: id, Type: "AWS::ApiGatewayV2::Route", Ignore: fn.fn.Resource.Ignore}
	m, p := method, path
	if routeKey == "*" {
		m, p = "", "$default"
	}
	r.b.FirstEndpoint(api, &model.Endpoint{Method: m, Path: p, Resource: res, Loc: ev.at(r), Integration: in})
}

// httpIntegration is a function's HttpApiIntegration<Func>, made on its
// first httpApi event: http-api.js writes TimeoutInMillis 30000 whatever
// serverless.yml says, so it is the framework's value, not the user's,
// and the remedy is advice: resources.extensions can override it.
func (r *reader) httpIntegration(fn *function, ev event, api *model.API) *model.Integration {
	if in := r.httpIntegrations[fn]; in != nil {
		return in
	}
	id := httpAPIIntegrationLogicalID(fn.name)
	res := &model.Resource{Address: id, Kind: model.KindIntegration, File: r.f.Path, Key: ev.at(r), LogicalID: id, Type: "AWS::ApiGatewayV2::Integration", Ignore: fn.fn.Resource.Ignore}
	v := model.Value{Known: true, D: 30 * time.Second, Unit: model.InMillis, Setting: "TimeoutInMillis", Origin: model.Default, Loc: ev.at(r)}
	v.Remedy.Advice = func(d time.Duration) string {
		return fmt.Sprintf(" The Serverless Framework writes TimeoutInMillis 30000 for every httpApi integration, and serverless.yml has no setting for it: override it with resources.extensions.%s.Properties.TimeoutInMillis: %d.", id, d.Milliseconds())
	}
	if ov, ok := r.extension(id, "TimeoutInMillis", model.InMillis); ok {
		v = ov
	}
	in := &model.Integration{Resource: res, Loc: ev.at(r), Kind: model.LambdaProxy, Function: fn.fn, Timeout: model.Values{v}}
	r.b.Unresolved(in.Timeout, "TimeoutInMillis of "+id)
	r.httpIntegrations[fn] = in
	r.integrations[id] = in
	return in
}

// extension reads a property resources.extensions sets on a resource
// the framework generates (merge-custom-provider-resources.js: its
// Properties are assigned over the generated ones).
func (r *reader) extension(id, prop string, u model.Unit) (model.Value, bool) {
	n := r.extensionNode(id, prop)
	if n == nil {
		return model.Value{}, false
	}
	return r.duration(r.f, n, prop, u), true
}

// extensionNode is the value resources.extensions gives the property
// prop of id; nil when it gives none.
func (r *reader) extensionNode(id, prop string) *yaml.Node {
	res := yamlpos.Get(r.f.Root, "resources")
	return yamlpos.Get(yamlpos.Get(yamlpos.Get(yamlpos.Get(res, "extensions"), id), "Properties"), prop)
}

// websocketEvent reads a websocket event: `websocket: $connect` or
// {route, routeResponseSelectionExpression}. $connect holds the
// client's upgrade request; $disconnect and a route without a route
// response answer nobody (awsfacts.WebSocketWaiting).
func (r *reader) websocketEvent(fn *function, ev event) {
	api := r.websocketAPI(ev)
	var route string
	answers := false
	switch {
	case ev.body.Known() && ev.body.Node.Kind == yaml.MappingNode:
		route, _ = r.text(ev.body, "route")
		_, answers = r.text(ev.body, "routeResponseSelectionExpression")
	case ev.body.Known() && ev.body.Node.Kind == yaml.ScalarNode:
		route = ev.body.Scalar()
	}
	if route == "" {
		r.b.Notef(ev.at(r), "websocket event of function %s has no route; not checked", fn.name)
		return
	}
	in := r.wsIntegrations[fn]
	if in == nil {
		id := websocketIntegrationLogicalID(fn.name)
		res := &model.Resource{Address: id, Kind: model.KindIntegration, File: r.f.Path, Key: ev.at(r), LogicalID: id, Type: "AWS::ApiGatewayV2::Integration", Ignore: fn.fn.Resource.Ignore}
		// websockets/lib/integrations.js writes no TimeoutInMillis.
		v := model.Value{Known: true, D: awsfacts.MaxIntegrationTimeout(model.WebSocket), Unit: model.InMillis, Setting: "TimeoutInMillis", Origin: model.Default, Loc: ev.at(r)}
		if ov, ok := r.extension(id, "TimeoutInMillis", model.InMillis); ok {
			v = ov
		}
		in = &model.Integration{Resource: res, Loc: ev.at(r), Kind: model.LambdaProxy, Function: fn.fn, Timeout: model.Values{v}}
		r.wsIntegrations[fn] = in
		r.integrations[id] = in
	}
	id := websocketRouteLogicalID(route)
	res := &model.Resource{Address: id, Kind: model.KindRoute, File: r.f.Path, Key: ev.at(r), LogicalID: id, Type: "AWS::ApiGatewayV2::Route", Ignore: fn.fn.Resource.Ignore}
	if e := r.b.FirstEndpoint(api, &model.Endpoint{Path: route, Resource: res, Loc: ev.at(r), Integration: in}); e != nil {
		e.Waiting = awsfacts.WebSocketWaiting(route, answers)
	}
}

// sqsEvent reads an sqs event: `sqs: <arn>` or {arn, ...}, the ARN as
// !GetAtt Q.Arn, Fn::GetAtt: [Q, Arn], a literal ARN or a variable. A
// queue declared in resources is linked; any other is not this
// service's to judge.
func (r *reader) sqsEvent(fn *function, ev event) {
	arn := ev.body
	if ev.body.Known() && ev.body.Node.Kind == yaml.MappingNode && yamlpos.Get(ev.body.Node, "arn") != nil {
		arn, _ = r.get(ev.body, "arn")
	}
	if !arn.Known() {
		if arn.Unknown != "" {
			r.b.Notef(ev.at(r), "the queue of the sqs event of function %s: %s; not linked", fn.name, arn.Unknown)
		}
		return
	}
	id, name := queueRef(arn.Node)
	if name == "" {
		name = id
	}
	var q *model.Queue
	for _, e := range r.embedded {
		if q = e.Queue(id); q != nil {
			break
		}
	}
	if q == nil {
		if id != "" {
			r.b.Notef(ev.at(r), "the queue %s of the sqs event of function %s is not declared in this service's resources: its VisibilityTimeout is not known here", id, fn.name)
		} else if name != "" {
			r.b.Notef(ev.at(r), "the queue %s of the sqs event of function %s is not declared in this service: its VisibilityTimeout is not known here", name, fn.name)
		}
		return
	}
	mid := sqsMappingLogicalID(fn.name, name)
	res := &model.Resource{Address: mid, Kind: model.KindEventSource, File: r.f.Path, Key: ev.at(r), LogicalID: mid, Type: "AWS::Lambda::EventSourceMapping", Ignore: fn.fn.Resource.Ignore}
	r.b.EventSource(&model.EventSource{Resource: res, Loc: ev.at(r), Queue: q, Function: fn.fn})
}

// queueRef reads a queue ARN as written: the logical ID of a
// !GetAtt/Fn::GetAtt (and the name the framework's logical ID takes), or
// the queue name a literal ARN ends with (id empty).
func queueRef(n *yaml.Node) (id, name string) {
	switch {
	case n.Kind == yaml.ScalarNode && n.Tag == "!GetAtt":
		id, _, _ = strings.Cut(n.Value, ".")
		return id, id
	case n.Kind == yaml.SequenceNode && n.Tag == "!GetAtt" && len(n.Content) > 0:
		return n.Content[0].Value, n.Content[0].Value
	case n.Kind == yaml.MappingNode:
		if g := yamlpos.Get(n, "Fn::GetAtt"); g != nil {
			switch {
			case g.Kind == yaml.SequenceNode && len(g.Content) > 0:
				return g.Content[0].Value, g.Content[0].Value
			case g.Kind == yaml.ScalarNode:
				id, _, _ = strings.Cut(g.Value, ".")
				return id, id
			}
		}
		return "", ""
	case n.Kind == yaml.ScalarNode:
		parts := strings.Split(n.Value, ":")
		return "", parts[len(parts)-1]
	}
	return "", ""
}
