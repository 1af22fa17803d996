package cfn

import (
	"fmt"
	"maps"
	"os"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/awsfacts"
	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/yamlpos"
)

// Options tune how templates are read.
type Options struct {
	// Params override parameter defaults (--param, --params-file): they
	// win over everything.
	Params map[string]string
	// ParamsAt locates the values of Params that a --params-file gives
	// (LocateParams), but for FlagParams, given with --param: they are
	// judged at the file's line and fixed there.
	ParamsAt   map[string]EnvParam
	FlagParams []string
	// ReadFile reads files a template includes; os.ReadFile when nil.
	ReadFile func(string) ([]byte, error)
	// Envs are the environments the template is deployed with (samconfig
	// environments): it is judged in each. None: as the template says.
	Envs []Env
	// OnParameters, when set, is told the names of the parameters the
	// template declares.
	OnParameters func(names []string)
	// OnNested, when set, is told of each template read as a nested
	// stack of this one (at any depth).
	OnNested func(path string)
	// nesting is set for a template read as a nested stack (nested.go).
	nesting *nesting
}

// resource is one entry of Resources.
type resource struct {
	id    string
	typ   string
	node  *yaml.Node
	props *yaml.Node
	res   *model.Resource
}

// reader fills the model from one template.
type reader struct {
	f    *yamlpos.File
	ev   *evaluator
	opts Options
	b    *model.Builder
	errs []finding.InputError
	// vars resolves the embedding tool's variables (ReadEmbedded).
	vars  Vars
	order []*resource
	byID  map[string]*resource
	// what the template's logical IDs became in the model
	functions    map[string]*model.Function // functions, aliases and versions
	queues       map[string]*model.Queue
	apis         map[string]*model.API
	integrations map[string]*model.Integration // ApiGatewayV2::Integration
	stageVars    map[*model.API][]map[string]string
	// routeResponses are the WebSocket routes a RouteResponse answers
	// from, by logical ID.
	routeResponses map[string]bool
	// defined are the APIs whose OpenAPI definition was read.
	defined map[*model.API]bool
	globals *yaml.Node
	ignore  map[string]string // template-level suppressions
	// env and choice are the environment and the AllowedValues chosen
	// for this reading; scenario tags what it builds (nil when the
	// template is read once).
	env      *Env
	choice   []finding.Input
	scenario *finding.Scenario
	// outputs of the nested stacks read, by their logical ID here.
	outputs map[string]map[string]output
	refs    *refs // what OpenAPI $refs reached (refs.go)
	dupSeen map[*yaml.Node]bool
}

// Load reads the template in data into b. It reports whether data is a
// template at all (a mapping with Resources) and the problems found; a
// problem in one resource never stops the others from being read. A
// template deployed in several environments, or whose parameters allow
// values that change what is judged, is read once per scenario
// (scenarios.go).
func Load(b *model.Builder, path string, data []byte, opts Options) (bool, []finding.InputError) {
	f, ok, errs := parseTemplateFile(path, data)
	if !ok {
		return false, errs
	}
	if opts.ReadFile == nil {
		opts.ReadFile = os.ReadFile
	}
	aliasNote(b, f)
	return true, loadScenarios(b, f, opts)
}

// load reads a nested stack's template once, as its parent passes it
// (nested.go), returning the reader; nil when data is not a template.
func load(b *model.Builder, path string, data []byte, opts Options) (*reader, bool, []finding.InputError) {
	f, ok, errs := parseTemplateFile(path, data)
	if !ok {
		return nil, false, errs
	}
	aliasNote(b, f)
	r := newReader(b, f, opts, nil, nil, nil)
	r.read()
	return r, true, r.errs
}

// parseTemplateFile parses data, reporting whether it is a template (a
// mapping with Resources).
func parseTemplateFile(path string, data []byte) (*yamlpos.File, bool, []finding.InputError) {
	f, err := parseTemplate(path, data)
	if err != nil {
		return nil, false, []finding.InputError{yamlpos.ParseError(path, err)}
	}
	if f.Root == nil || f.Root.Kind != yaml.MappingNode || get(f.Root, "Resources") == nil {
		return nil, false, nil
	}
	return f, true, nil
}

// newReader makes the reader of one reading of f into b.
func newReader(b *model.Builder, f *yamlpos.File, opts Options, env *Env, choice []finding.Input, sc *finding.Scenario) *reader {
	return &reader{
		f: f, opts: opts, b: b, env: env, choice: choice, scenario: sc,
		byID:           map[string]*resource{},
		functions:      map[string]*model.Function{},
		queues:         map[string]*model.Queue{},
		apis:           map[string]*model.API{},
		integrations:   map[string]*model.Integration{},
		stageVars:      map[*model.API][]map[string]string{},
		routeResponses: map[string]bool{},
		defined:        map[*model.API]bool{},
	}
}

func (r *reader) errorf(n *yaml.Node, format string, args ...any) {
	e := finding.InputError{File: r.f.Path, Message: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line = n.Line
	}
	r.errs = append(r.errs, e)
}

// notef records something in the template gatelint could not follow —
// not an unreadable input, but a part of it left unchecked.
func (r *reader) notef(n *yaml.Node, format string, args ...any) {
	r.b.Notef(rangeOf(r.f, n), format, args...)
}

func (r *reader) read() {
	root := r.f.Root
	r.ev = &evaluator{
		params:     r.params(get(root, "Parameters")),
		conditions: get(root, "Conditions"),
		condCache:  map[string]tri{},
		condBusy:   map[string]bool{},
		mappings:   get(root, "Mappings"),
		file:       r.f,
		touched:    map[string]bool{},
		vars:       r.vars,
	}
	r.globals = get(root, "Globals")
	r.ignore = suppressions(get(root, "Metadata"))
	r.duplicateKeys(root)

	resources := get(root, "Resources")
	if resources.Kind != yaml.MappingNode {
		r.errorf(resources, "Resources is not a mapping")
		return
	}
	pairs(resources, func(k, v *yaml.Node) {
		if v.Kind != yaml.MappingNode {
			r.notef(k, "resource %s is not a mapping; skipped", k.Value)
			return
		}
		if c := get(v, "Condition"); c != nil && r.ev.cond(c.Value) == falseTri {
			return // not created with these parameters
		}
		rs := &resource{id: k.Value, typ: scalar(get(v, "Type")), node: v, props: get(v, "Properties")}
		rs.res = r.resource(k.Value, rs.typ, r.f.Range(k), scalar(get(get(v, "Metadata"), "aws:cdk:path")),
			merge(r.ignore, suppressions(get(v, "Metadata"))))
		r.order = append(r.order, rs)
		r.byID[k.Value] = rs
	})
	r.ev.resources = r.byID
	// Nested stacks first: their outputs may be what this template's
	// integrations invoke.
	r.nestedStacks()

	// Order matters: integrations link to functions and queues, endpoints
	// to APIs and integrations.
	for _, rs := range r.order {
		switch rs.typ {
		case "AWS::Lambda::Function", "AWS::Serverless::Function":
			r.function(rs)
		case "AWS::SQS::Queue":
			r.queue(rs)
		}
	}
	for _, rs := range r.order {
		switch rs.typ {
		case "AWS::Lambda::Alias", "AWS::Lambda::Version":
			if fn := r.functionRef(r.ev.str(r.f, get(rs.props, "FunctionName"))); fn != nil {
				r.functions[rs.id] = fn
				fn.Aliases = append(fn.Aliases, rs.id)
			}
		}
	}
	for _, rs := range r.order {
		switch rs.typ {
		case "AWS::ApiGateway::RestApi", "AWS::Serverless::Api":
			r.restAPI(rs)
		case "AWS::ApiGatewayV2::Api", "AWS::Serverless::HttpApi":
			r.v2API(rs)
		}
	}
	for _, rs := range r.order {
		switch rs.typ {
		case "AWS::ApiGateway::Stage", "AWS::ApiGatewayV2::Stage":
			r.stage(rs)
			r.restStage(rs)
		case "AWS::ApiGateway::Deployment":
			r.restStage(rs)
		}
	}
	for _, rs := range r.order {
		switch rs.typ {
		case "AWS::ApiGateway::Method":
			r.method(rs)
		case "AWS::ApiGatewayV2::Integration":
			r.v2Integration(rs)
		case "AWS::Lambda::EventSourceMapping":
			r.eventSourceMapping(rs)
		}
	}
	for _, rs := range r.order {
		if rs.typ == "AWS::ApiGatewayV2::RouteResponse" {
			r.routeResponses[refTo(r.ev.str(r.f, get(rs.props, "RouteId")))] = true
		}
	}
	// A user's OpenAPI definition is read before the SAM events that
	// name its API: SAM deploys its operations as written (samEvent says
	// what an event still adds), except under MergeDefinitions, where
	// the events' generated operations win.
	isAPI := func(rs *resource) bool {
		switch rs.typ {
		case "AWS::ApiGateway::RestApi", "AWS::Serverless::Api", "AWS::ApiGatewayV2::Api", "AWS::Serverless::HttpApi":
			return true
		}
		return false
	}
	for _, rs := range r.order {
		if isAPI(rs) && !r.mergesDefinitions(rs) {
			r.openAPIBody(rs)
		}
	}
	for _, rs := range r.order {
		switch rs.typ {
		case "AWS::ApiGatewayV2::Route":
			r.v2Route(rs)
		case "AWS::Serverless::Function":
			r.samEvents(rs)
		}
	}
	for _, rs := range r.order {
		if isAPI(rs) && r.mergesDefinitions(rs) {
			r.openAPIBody(rs)
		}
	}
	r.exports()
}

// mergesDefinitions reports whether a SAM Api merges its events'
// operations over its DefinitionBody (MergeDefinitions: true).
func (r *reader) mergesDefinitions(rs *resource) bool {
	return rs.typ == "AWS::Serverless::Api" && r.isTrue(get(rs.props, "MergeDefinitions"))
}

// duplicateKeys notes every key written twice in one mapping: yaml.v3
// keeps both and gatelint reads the first, which need not be what a
// deploy takes, so the user should know which one was checked.
func (r *reader) duplicateKeys(n *yaml.Node) {
	if r.f.Shared(n) {
		// Used through an alias: its keys are checked where it is
		// written, once, however often it is used.
		if r.dupSeen[n] {
			return
		}
		if r.dupSeen == nil {
			r.dupSeen = map[*yaml.Node]bool{}
		}
		r.dupSeen[n] = true
	}
	if n.Kind == yaml.MappingNode && len(n.Content) > 2 {
		first := make(map[string]*yaml.Node, len(n.Content)/2)
		for i := 0; i < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode {
				continue
			}
			if f, dup := first[k.Value]; dup {
				r.notef(k, "duplicate key %q (first at line %d): cfn-lint rejects it (E0000) and which one a deploy would take is not defined; gatelint read the first", k.Value, f.Line)
				continue
			}
			first[k.Value] = k
		}
	}
	for _, c := range n.Content {
		r.duplicateKeys(c)
	}
}

// params collects parameter values: the overrides given on the command
// line win, then the environment's, then the AllowedValues this reading
// chose, then the Defaults.
func (r *reader) params(ps *yaml.Node) map[string]*param {
	out := map[string]*param{}
	pairs(ps, func(k, v *yaml.Node) {
		p := &param{}
		if d := get(v, "Default"); d != nil && d.Kind == yaml.ScalarNode {
			p.value, p.known, p.dflt = d.Value, true, d
		} else if d != nil && d.Kind == yaml.SequenceNode {
			var items []string
			for _, it := range d.Content {
				items = append(items, it.Value)
			}
			p.value, p.known, p.dflt = strings.Join(items, ","), true, d
		}
		if av := get(v, "AllowedValues"); av != nil && av.Kind == yaml.SequenceNode {
			p.allowed = av
		}
		out[k.Value] = p
	})
	for _, c := range r.choice {
		if p := out[c.Name]; p != nil {
			p.value, p.known, p.chosen = c.Value, true, true
		}
	}
	if r.env != nil {
		for k, ev := range r.env.Params {
			if p := out[k]; p != nil {
				p.value, p.known, p.env = ev.Value, true, &ev
			}
		}
	}
	r.overrides(out, ps)
	return out
}

// suppressions reads `Metadata: gatelint: ignore:` as a list of rule IDs or
// names, or of {id, reason} mappings, or a mapping of id to reason.
func suppressions(meta *yaml.Node) map[string]string {
	ign := get(get(meta, "gatelint"), "ignore")
	if ign == nil {
		return nil
	}
	out := map[string]string{}
	switch ign.Kind {
	case yaml.ScalarNode:
		out[strings.ToUpper(ign.Value)] = ""
	case yaml.SequenceNode:
		for _, it := range ign.Content {
			switch it.Kind {
			case yaml.ScalarNode:
				out[strings.ToUpper(it.Value)] = ""
			case yaml.MappingNode:
				if id := scalar(get(it, "id")); id != "" {
					out[strings.ToUpper(id)] = scalar(get(it, "reason"))
				}
			}
		}
	case yaml.MappingNode:
		pairs(ign, func(k, v *yaml.Node) { out[strings.ToUpper(k.Value)] = scalar(v) })
	}
	return out
}

// merge layers a resource's suppressions over the template's.
func merge(a, b map[string]string) map[string]string {
	if len(a) == 0 {
		return b
	}
	out := maps.Clone(a)
	maps.Copy(out, b)
	return out
}

// function reads a Lambda function's Timeout: its own, else SAM Globals,
// else the Lambda default of 3 s.
func (r *reader) function(rs *resource) {
	fn := &model.Function{Resource: rs.res, Name: scalar(get(rs.props, "FunctionName")), NameHint: "-" + rs.id + "-"}
	timeoutDefault := defaultValue(fnTimeout, awsfacts.LambdaDefaultTimeout, rs.res.Key, r.insertProperty(rs, "Timeout"))
	own := get(rs.props, "Timeout")
	if g := get(get(r.globals, "Function"), "Timeout"); rs.typ == "AWS::Serverless::Function" && own == nil && g != nil {
		fn.Timeout = r.ev.num(r.f, g, timeoutDefault)
		for i := range fn.Timeout {
			v := &fn.Timeout[i]
			switch v.Origin {
			case model.Literal:
				v.Origin = model.Inherited
				v.Via = model.Via{Name: "Globals", Loc: v.Loc}
				fallthrough
			case model.Default:
				// Changing Globals would change every function: the
				// edit gives this one its own Timeout instead.
				v.Remedy.Edit = timeoutDefault.Remedy.Edit
			}
		}
	} else {
		fn.Timeout = r.ev.num(r.f, own, timeoutDefault)
	}
	r.b.Unresolved(fn.Timeout, "Timeout of "+rs.id)
	r.code(rs, fn)
	r.functions[rs.id] = fn
	r.b.Function(fn)
}

// insertProperty is the editor that writes a property a resource leaves
// out: into its Properties, or with them where it has none (or `{}`).
func (r *reader) insertProperty(rs *resource, key string) func(int64) []finding.TextEdit {
	switch {
	case rs.props == nil:
		return yamlpos.InsertNested(r.f, rs.node, "Properties", key)
	case rs.props.Kind == yaml.MappingNode && len(rs.props.Content) == 0:
		return yamlpos.FillEmpty(r.f, rs.props, key)
	}
	return yamlpos.InsertProperty(r.f, rs.props, key)
}

func (r *reader) queue(rs *resource) {
	q := &model.Queue{Resource: rs.res}
	dflt := defaultValue(visibilityTimeout, awsfacts.SQSDefaultVisibilityTimeout, rs.res.Key, r.insertProperty(rs, "VisibilityTimeout"))
	q.VisibilityTimeout = r.ev.num(r.f, get(rs.props, "VisibilityTimeout"), dflt)
	r.b.Unresolved(q.VisibilityTimeout, "VisibilityTimeout of "+rs.id)
	r.queues[rs.id] = q
	r.b.Queue(q)
}

// functionRef finds the function a string refers to: a Ref or GetAtt to a
// function, alias or version, or a literal ARN or name matched by
// FunctionName. It returns the qualifier (alias) via functionTarget.
func (r *reader) functionRef(ps parts) *model.Function {
	fn, _ := r.functionTarget(ps)
	return fn
}

var (
	lambdaARN  = regexp.MustCompile(`function:([A-Za-z0-9_-]+)(?::([A-Za-z0-9_$-]+))?`)
	lambdaName = regexp.MustCompile(`^([A-Za-z0-9_-]+)(?::([A-Za-z0-9_$-]+))?$`)
)

func (r *reader) functionTarget(ps parts) (*model.Function, string) {
	for _, p := range ps {
		if fn, q := r.elsewhere(p); fn != nil {
			return fn, q
		}
		if p.Ref == "" {
			continue
		}
		if fn := r.functions[p.Ref]; fn != nil {
			q := ""
			if fn.Resource.LogicalID != p.Ref {
				q = p.Ref
			}
			return fn, q
		}
	}
	return r.functionNamed(ps.text())
}

// functionNamed finds the function a literal ARN or name in text names, by
// its FunctionName.
func (r *reader) functionNamed(text string) (*model.Function, string) {
	m := lambdaARN.FindStringSubmatch(text)
	if m == nil {
		// FunctionName (of an alias or event source mapping) also takes a
		// bare name or name:alias.
		m = lambdaName.FindStringSubmatch(text)
	}
	if m != nil {
		for _, fn := range r.b.Model().Functions {
			if fn.Name == m[1] && fn.Resource.File == r.f.Path && fn.Resource.Scenario == r.scenario {
				return fn, m[2]
			}
		}
	}
	return nil, ""
}

// refTo returns the logical ID a Ref or GetAtt in ps points at.
func refTo(ps parts) string {
	for _, p := range ps {
		if p.Ref != "" {
			return p.Ref
		}
	}
	return ""
}

// newAPI registers an API read from rs.
func (r *reader) newAPI(rs *resource, t model.APIType) *model.API {
	api := &model.API{Resource: rs.res, Name: scalar(get(rs.props, "Name")), Type: t}
	r.apis[rs.id] = api
	return r.b.API(api)
}

func (r *reader) restAPI(rs *resource) {
	api := r.newAPI(rs, model.REST)
	ec := get(rs.props, "EndpointConfiguration")
	if ec == nil && rs.typ == "AWS::Serverless::Api" {
		ec = get(get(r.globals, "Api"), "EndpointConfiguration")
	}
	api.EndpointType = r.endpointType(ec)
	if rs.typ == "AWS::Serverless::Api" {
		r.addStageVars(api, get(rs.props, "Variables"))
		r.samStage(api, rs.res, rs.props)
	}
}

// endpointType reads EndpointConfiguration in its forms: a string (SAM),
// {Type: X} (SAM) or {Types: [X]} (CloudFormation). None means EDGE.
func (r *reader) endpointType(ec *yaml.Node) model.EndpointType {
	var s string
	r.ev.tracking++ // the ceiling depends on it
	defer func() { r.ev.tracking-- }()
	switch {
	case ec == nil:
	case ec.Kind == yaml.ScalarNode:
		s, _ = r.ev.str(r.f, ec).literal()
	case get(ec, "Type") != nil:
		s, _ = r.ev.str(r.f, get(ec, "Type")).literal()
	case get(ec, "Types") != nil && get(ec, "Types").Kind == yaml.SequenceNode && len(get(ec, "Types").Content) > 0:
		s, _ = r.ev.str(r.f, get(ec, "Types").Content[0]).literal()
	default:
		if _, arg, ok := intrinsic(ec); ok && arg != nil {
			s, _ = r.ev.str(r.f, ec).literal()
		}
	}
	switch strings.ToUpper(s) {
	case "REGIONAL":
		return model.Regional
	case "PRIVATE":
		return model.Private
	}
	return model.Edge
}

func (r *reader) v2API(rs *resource) {
	t := model.HTTP
	if rs.typ == "AWS::ApiGatewayV2::Api" {
		if p, _ := r.ev.str(r.f, get(rs.props, "ProtocolType")).literal(); strings.EqualFold(p, "WEBSOCKET") {
			t = model.WebSocket
		}
	}
	api := r.newAPI(rs, t)
	if rs.typ == "AWS::Serverless::HttpApi" {
		r.samStage(api, rs.res, rs.props)
	} else if get(rs.props, "Target") != nil {
		// Quick create also makes a $default stage, which logs nothing.
		r.addStage(api, "$default", rs.res, nil)
	}
	// Quick create: an HTTP API with Target gets a $default route to it.
	if target := get(rs.props, "Target"); target != nil {
		in := r.newIntegration(rs.res, rs.node, model.Values{r.defaultTimeout(api, rs.res.Key, integrationTimeout)})
		in.Kind = model.LambdaProxy
		in.Function, in.Qualifier = r.functionTarget(r.ev.str(r.f, target))
		r.addEndpoint(api, "", "$default", rs.res, r.f.Range(get(rs.props, "Target")), in)
	}
}

// implicitAPI returns the API SAM creates for events without RestApiId or
// ApiId, creating it on first use.
func (r *reader) implicitAPI(t model.APIType, at loc.Range) *model.API {
	id := "ServerlessRestApi"
	if t == model.HTTP {
		id = "ServerlessHttpApi"
	}
	if api := r.apis[id]; api != nil {
		return api
	}
	typ := "AWS::Serverless::Api"
	if t == model.HTTP {
		typ = "AWS::Serverless::HttpApi"
	}
	res := r.resource(id, typ, at, "", r.ignore)
	api := &model.API{Resource: res, Type: t, Implicit: true, EndpointType: model.Edge}
	if t == model.REST {
		api.EndpointType = r.endpointType(get(get(r.globals, "Api"), "EndpointConfiguration"))
	}
	r.apis[id] = api
	r.b.API(api)
	r.samStage(api, res, nil)
	return api
}

// defaultTimeout is the integration timeout of api when none is set.
func (r *reader) defaultTimeout(api *model.API, at loc.Range, s setting) model.Value {
	return defaultValue(s, awsfacts.MaxIntegrationTimeout(api.Type), at, nil)
}

func (r *reader) newIntegration(res *model.Resource, n *yaml.Node, timeout model.Values) *model.Integration {
	return &model.Integration{Resource: res, Loc: r.f.Range(n), Timeout: timeout}
}

// addEndpoint attaches an endpoint, keeping the first definition of a
// method and path (an event over an OpenAPI operation, as SAM merges them).
func (r *reader) addEndpoint(api *model.API, method, path string, res *model.Resource, at loc.Range, in *model.Integration) *model.Endpoint {
	e := &model.Endpoint{Method: strings.ToUpper(method), Path: path, Resource: res, Loc: at, Integration: in}
	if api.Type == model.REST {
		e.RequireHeader = requireHeader
	}
	return r.b.FirstEndpoint(api, e)
}

// requireHeader is how a REST method requires a request header.
const requireHeader = "require the header in the method's RequestParameters (method.request.header.Idempotency-Key: true, with a request validator)"

// restPath rebuilds a REST resource's path from its ParentId chain.
func (r *reader) restPath(id string, depth int) (string, bool) {
	rs := r.byID[id]
	if rs == nil || rs.typ != "AWS::ApiGateway::Resource" || depth > 64 {
		return "", false
	}
	part, ok := r.ev.str(r.f, get(rs.props, "PathPart")).literal()
	if !ok {
		part = "{" + r.ev.str(r.f, get(rs.props, "PathPart")).text() + "}"
	}
	parent := r.ev.str(r.f, get(rs.props, "ParentId"))
	if p := refTo(parent); p != "" && (parent[0].Attr == "" || parent[0].Attr != "RootResourceId") {
		if pp, ok := r.restPath(p, depth+1); ok {
			return pp + "/" + part, true
		}
	}
	return "/" + part, true
}

// method reads an AWS::ApiGateway::Method and its integration.
func (r *reader) method(rs *resource) {
	api := r.apis[refTo(r.ev.str(r.f, get(rs.props, "RestApiId")))]
	if api == nil {
		api = r.externalAPI(rs, model.REST, "RestApiId")
	}
	path := "/"
	if rid := r.ev.str(r.f, get(rs.props, "ResourceId")); len(rid) > 0 && rid[0].Attr != "RootResourceId" {
		if p, ok := r.restPath(refTo(rid), 0); ok {
			path = p
		} else {
			// A resource outside this template: its path is not known,
			// and "/" would name the wrong endpoint.
			path = "(resource " + strings.Trim(rid.text(), "${}") + ")"
		}
	}
	method, _ := r.ev.str(r.f, get(rs.props, "HttpMethod")).literal()
	integ := get(rs.props, "Integration")
	if integ == nil {
		r.addEndpoint(api, method, path, rs.res, rs.res.Key, nil)
		return
	}
	in := r.integration(r.f, rs.res, integ, r.f.Range(integ), "TimeoutInMillis of "+rs.id, api, integrationFields{
		typ: "Type", uri: "Uri", timeout: "TimeoutInMillis", params: "RequestParameters",
		transferMode: "ResponseTransferMode", setting: integrationTimeout,
	})
	if e := r.addEndpoint(api, method, path, rs.res, rs.res.Key, in); e != nil {
		r.requiredHeaders(e, get(rs.props, "RequestParameters"))
	}
}

// externalAPI stands for an API defined outside this template (imported,
// or a parameter), so its endpoints are still checked.
func (r *reader) externalAPI(rs *resource, t model.APIType, prop string) *model.API {
	ps := r.ev.str(r.f, get(rs.props, prop))
	label := ps.text()
	switch {
	case len(ps) == 1 && ps[0].Import != "":
		// Two imported APIs are two APIs: the name imported tells them
		// apart, not the intrinsic.
		label = "Fn::ImportValue " + ps[0].Import
	case len(ps) == 1:
		label = strings.Trim(label, "${}") // "ApiId", not "${ApiId}"
	}
	id := "external:" + label
	if api := r.apis[id]; api != nil {
		return api
	}
	// Not deployed by this template: no tags to join it by.
	res := &model.Resource{Address: label, Kind: model.KindAPI, File: r.f.Path, LogicalID: label, Key: r.f.Range(get(rs.props, prop)), Ignore: r.ignore, Scenario: r.scenario}
	// Its endpoint type is not known here: neither EDGE nor REGIONAL.
	api := &model.API{Resource: res, Type: t}
	r.apis[id] = api
	return r.b.API(api)
}

// integrationFields names an integration's properties, which differ
// between CloudFormation, ApiGatewayV2 and OpenAPI.
type integrationFields struct {
	typ, uri, timeout, params, subtype, transferMode string
	fold                                             bool // OpenAPI keys vary in case
	setting                                          setting
}

// integration reads an integration mapping: its timeout, kind and target.
// at is where the integration is said to be; what names its timeout in
// notes.
func (r *reader) integration(f *yamlpos.File, res *model.Resource, n *yaml.Node, at loc.Range, what string, api *model.API, fl integrationFields) *model.Integration {
	g := get
	if fl.fold {
		g = getFold
	}
	in := &model.Integration{Resource: res, Loc: at}
	in.Timeout = r.ev.num(f, g(n, fl.timeout), r.defaultTimeout(api, at, fl.setting))
	r.b.Unresolved(in.Timeout, what)
	typ, _ := r.ev.str(f, g(n, fl.typ)).literal()
	uri := r.ev.str(f, g(n, fl.uri))
	subtype := ""
	if fl.subtype != "" {
		subtype, _ = r.ev.str(f, g(n, fl.subtype)).literal()
	}
	in.Kind, in.Target = awsfacts.Classify(typ, subtype, uri.text(), r.invocationType(f, g(n, fl.params)))
	mode, _ := r.ev.str(f, g(n, fl.transferMode)).literal()
	in.Streaming = api.Type == model.REST && strings.EqualFold(mode, "STREAM")
	if in.Kind == model.LambdaProxy || in.Kind == model.LambdaSync || in.Kind == model.LambdaEvent {
		in.Function, in.Qualifier = r.functionTarget(uri)
		if in.Function == nil {
			in.Function, in.Qualifier = r.viaStageVariables(api, uri.text())
		}
		if in.Function == nil {
			in.Invokes = uri.text()
			r.imported(in, uri)
		}
	}
	return in
}

// viaStageVariables links a URI that names its function through a stage
// variable (functions/...:function:${stageVariables.fn}/invocations),
// with the values the API's stages give it; the first stage that names a
// function in this template wins.
func (r *reader) viaStageVariables(api *model.API, uri string) (*model.Function, string) {
	if !strings.Contains(uri, "stageVariables.") {
		return nil, ""
	}
	for _, vars := range r.stageVars[api] {
		if fn, q := r.functionNamed(awsfacts.StageVariables(uri, vars)); fn != nil {
			return fn, q
		}
	}
	return nil, ""
}

// stage records a stage's variables, for URIs that use them.
func (r *reader) stage(rs *resource) {
	apiProp, varsProp := "RestApiId", "Variables"
	if rs.typ == "AWS::ApiGatewayV2::Stage" {
		apiProp, varsProp = "ApiId", "StageVariables"
	}
	if api := r.apis[refTo(r.ev.str(r.f, get(rs.props, apiProp)))]; api != nil {
		r.addStageVars(api, get(rs.props, varsProp))
	}
}

func (r *reader) addStageVars(api *model.API, n *yaml.Node) {
	vars := map[string]string{}
	pairs(n, func(k, v *yaml.Node) {
		if s, ok := r.ev.str(r.f, v).literal(); ok {
			vars[k.Value] = s
		}
	})
	if len(vars) > 0 {
		r.stageVars[api] = append(r.stageVars[api], vars)
	}
}

// invocationType reads integration.request.header.X-Amz-Invocation-Type.
func (r *reader) invocationType(f *yamlpos.File, params *yaml.Node) string {
	var out string
	pairs(params, func(k, v *yaml.Node) {
		if strings.EqualFold(k.Value, "integration.request.header.X-Amz-Invocation-Type") {
			s, _ := r.ev.str(f, v).literal()
			out = strings.Trim(s, `'"`)
		}
	})
	return out
}

func (r *reader) v2Integration(rs *resource) {
	api := r.apis[refTo(r.ev.str(r.f, get(rs.props, "ApiId")))]
	if api == nil {
		api = r.externalAPI(rs, model.HTTP, "ApiId")
	}
	in := r.integration(r.f, rs.res, rs.props, rs.res.Key, "TimeoutInMillis of "+rs.id, api, integrationFields{
		typ: "IntegrationType", uri: "IntegrationUri", timeout: "TimeoutInMillis",
		params: "RequestParameters", subtype: "IntegrationSubtype", setting: integrationTimeout,
	})
	r.integrations[rs.id] = in
}

func (r *reader) v2Route(rs *resource) {
	api := r.apis[refTo(r.ev.str(r.f, get(rs.props, "ApiId")))]
	if api == nil {
		api = r.externalAPI(rs, model.HTTP, "ApiId")
	}
	key, _ := r.ev.str(r.f, get(rs.props, "RouteKey")).literal()
	method, path := awsfacts.SplitRouteKey(key)
	in := r.integrations[refTo(r.ev.str(r.f, get(rs.props, "Target")))]
	at := rs.res.Key
	if k := get(rs.props, "RouteKey"); k != nil {
		at = r.f.Range(k)
	}
	if e := r.addEndpoint(api, method, path, rs.res, at, in); e != nil && api.Type == model.WebSocket {
		e.Waiting = r.wsWaiting(rs, key)
	}
}

// wsWaiting says who waits for a WebSocket route's integration: a
// message route answers when a RouteResponse names it or it selects one.
func (r *reader) wsWaiting(rs *resource, key string) model.Waiting {
	answers := r.routeResponses[rs.id] || get(rs.props, "RouteResponseSelectionExpression") != nil
	return awsfacts.WebSocketWaiting(key, answers)
}

func (r *reader) eventSourceMapping(rs *resource) {
	src := r.ev.str(r.f, get(rs.props, "EventSourceArn"))
	q := r.queues[refTo(src)]
	fn := r.functionRef(r.ev.str(r.f, get(rs.props, "FunctionName")))
	if q == nil || fn == nil {
		return
	}
	r.b.EventSource(&model.EventSource{Resource: rs.res, Loc: rs.res.Key, Queue: q, Function: fn})
}

// samEvents reads a SAM function's Api, HttpApi and SQS events.
func (r *reader) samEvents(rs *resource) {
	fn := r.functions[rs.id]
	pairs(get(rs.props, "Events"), func(k, ev *yaml.Node) {
		typ, _ := r.ev.str(r.f, get(ev, "Type")).literal()
		props := get(ev, "Properties")
		at := r.f.Range(k)
		switch typ {
		case "Api", "HttpApi":
			t := model.REST
			idProp := "RestApiId"
			if typ == "HttpApi" {
				t, idProp = model.HTTP, "ApiId"
			}
			var api *model.API
			var apiRes *resource
			if id := get(props, idProp); id != nil {
				ref := refTo(r.ev.str(r.f, id))
				api, apiRes = r.apis[ref], r.byID[ref]
				if api == nil {
					api = r.externalAPI(&resource{props: props, res: rs.res}, t, idProp)
				}
			} else {
				api = r.implicitAPI(t, at)
			}
			in := &model.Integration{Resource: rs.res, Loc: at, Kind: model.LambdaProxy, Function: fn}
			in.Timeout = r.ev.num(r.f, get(props, "TimeoutInMillis"), r.defaultTimeout(api, at, integrationTimeout))
			r.b.Unresolved(in.Timeout, "TimeoutInMillis of "+rs.id+" event "+k.Value)
			method, _ := r.ev.str(r.f, get(props, "Method")).literal()
			path, _ := r.ev.str(r.f, get(props, "Path")).literal()
			if typ == "HttpApi" && path == "" {
				path = "$default"
			} else if typ == "HttpApi" && method == "" {
				method = "ANY"
			}
			if strings.EqualFold(method, "any") {
				method = "ANY"
			}
			if apiRes != nil && r.samDefined(apiRes, api, k, strings.ToUpper(method), path, in, get(props, "TimeoutInMillis") != nil) {
				return
			}
			if e := r.addEndpoint(api, method, path, rs.res, at, in); e != nil {
				r.samRequiredHeaders(e, get(props, "RequestParameters"))
			}
		case "SQS":
			if q := r.queues[refTo(r.ev.str(r.f, get(props, "Queue")))]; q != nil && fn != nil {
				r.b.EventSource(&model.EventSource{Resource: rs.res, Loc: at, Queue: q, Function: fn})
			}
		}
	})
}
