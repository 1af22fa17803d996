package serverless

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source"
	"github.com/gatelint/gatelint/internal/source/cfn"
	"github.com/gatelint/gatelint/internal/source/serverless/vars"
	"github.com/gatelint/gatelint/internal/source/yamlpos"
)

// reader fills the model from one service file, in one stage.
type reader struct {
	f   *yamlpos.File
	b   *model.Builder
	res *vars.Resolver
	// version is the framework's major version: 3 or 4.
	version int
	// service and stage name what the deploy creates.
	service, stage string
	provider       vars.Value
	errs           []finding.InputError

	funcs    []*function
	rest     *model.API
	http     *model.API
	ws       *model.API
	embedded []*cfn.Embedded
	// httpIntegrations are the functions' HTTP API integrations, one per
	// function (HttpApiIntegration<Func>), and wsIntegrations their
	// WebSocket ones.
	httpIntegrations map[*function]*model.Integration
	wsIntegrations   map[*function]*model.Integration
	// integrations are the integrations the framework generates, by
	// logical ID (a REST method's, or an HTTP or WebSocket API's).
	integrations map[string]*model.Integration
	// merges are the resources written under a generated logical ID.
	merges []merge
}

// function is one entry of `functions`.
type function struct {
	name string
	key  *yaml.Node // its key in functions
	node vars.Value // its resolved mapping
	fn   *model.Function
}

// read reads a parsed service file; it returns the problems found and
// the files its ${file()}s read.
func read(b *model.Builder, f *yamlpos.File, src *source.File) ([]finding.InputError, []string) {
	r := &reader{f: f, b: b, httpIntegrations: map[*function]*model.Integration{}, wsIntegrations: map[*function]*model.Integration{},
		integrations: map[string]*model.Integration{}}
	r.version = frameworkVersion(yamlpos.Get(f.Root, "frameworkVersion"))
	include := src.Include
	if include == nil {
		include = os.ReadFile
	}
	r.res = vars.New(f, vars.Options{Dir: filepath.Dir(f.Path), Params: src.Params, Env: os.LookupEnv, Version: r.version, ReadFile: include})
	root := vars.Value{Node: f.Root, File: f}
	r.service = r.serviceName(root)
	stage, err := r.res.Stage()
	if err != nil {
		r.err(err)
	}
	r.stage = stage
	if r.stage == "" {
		r.stage = "dev"
		r.b.Notef(r.rangeOf(f, yamlpos.Get(yamlpos.Get(f.Root, "provider"), "stage")), "the stage is not known offline; read as %q (give it with --param stage=NAME)", r.stage)
	}
	r.provider, _ = r.get(root, "provider")
	r.v4Notes()

	fns, _ := r.get(root, "functions")
	r.readFunctions(fns)
	r.makeAPIs()
	r.resources(root)
	for _, fn := range r.funcs {
		r.events(fn)
	}
	r.applyMerges()
	r.stages()
	return r.errs, r.res.Files()
}

// frameworkVersion reads the major version a constraint names first:
// "3", "^3.38.0", ">=2.0 <4", "4"; 3 when absent or unreadable (the
// framework's v3 semantics, what most services deployed are).
func frameworkVersion(n *yaml.Node) int {
	if m := firstNumber.FindString(yamlpos.Scalar(n)); m != "" {
		if v, _ := strconv.Atoi(m); v >= 4 {
			return 4
		}
	}
	return 3
}

var firstNumber = regexp.MustCompile(`[0-9]+`)

func (r *reader) err(err error) {
	if ve, ok := err.(*vars.Error); ok && ve.File != nil && ve.Node != nil {
		rg := ve.File.Range(ve.Node)
		r.errs = append(r.errs, finding.InputError{File: ve.File.Path, Line: rg.Start.Line, Column: rg.Start.Column, Message: ve.Msg})
		return
	}
	r.errs = append(r.errs, finding.InputError{File: r.f.Path, Message: err.Error()})
}

// get resolves key of the resolved mapping m; false when absent or when
// it cannot be resolved (the error is kept).
func (r *reader) get(m vars.Value, key string) (vars.Value, bool) {
	v, ok, err := r.res.Get(m, key)
	if err != nil {
		r.err(err)
		return vars.Value{}, false
	}
	return v, ok
}

// text is the scalar text of key in m, when known.
func (r *reader) text(m vars.Value, key string) (string, bool) {
	v, ok := r.get(m, key)
	if !ok || !v.Known() || v.Node.Kind != yaml.ScalarNode {
		return "", false
	}
	return v.Scalar(), true
}

// keyOf is the key node of key in the mapping m (for locations).
func keyOf(m *yaml.Node, key string) *yaml.Node {
	k, _ := yamlpos.Lookup(m, key)
	return k
}

func (r *reader) rangeOf(f *yamlpos.File, n *yaml.Node) loc.Range {
	if f == nil {
		f = r.f
	}
	if n == nil {
		return loc.Range{File: f.Path}
	}
	return f.Range(n)
}

// serviceName is `service` (or the old `service: {name: x}`).
func (r *reader) serviceName(root vars.Value) string {
	v, ok := r.get(root, "service")
	if !ok || !v.Known() {
		return "service"
	}
	if v.Node.Kind == yaml.MappingNode {
		if s, ok := r.text(v, "name"); ok {
			return s
		}
		return "service"
	}
	return v.Scalar()
}

// v4Notes says of keys only v4 reads, in a v3 service, that they are
// not deployed.
func (r *reader) v4Notes() {
	if r.version >= 4 {
		return
	}
	if k := keyOf(yamlpos.Get(yamlpos.Get(r.f.Root, "provider"), "apiGateway"), "timeoutInMillis"); k != nil {
		r.b.Notef(r.f.Range(k), "provider.apiGateway.timeoutInMillis is read by Serverless Framework v4 only; this service is v3 (frameworkVersion), which ignores it: its REST integrations wait the 29 s default")
	}
}

// readFunctions reads `functions`: a mapping, or (older services) a list
// of mappings, each perhaps a ${file()}.
func (r *reader) readFunctions(fns vars.Value) {
	if !fns.Known() {
		if fns.Unknown != "" {
			r.b.Notef(r.f.Range(yamlpos.Get(r.f.Root, "functions")), "functions: %s; none of them is checked", fns.Unknown)
		}
		return
	}
	var maps []vars.Value
	switch fns.Node.Kind {
	case yaml.MappingNode:
		maps = append(maps, fns)
	case yaml.SequenceNode:
		for _, it := range fns.Node.Content {
			v, err := r.res.Resolve(fns.File, it)
			if err != nil {
				r.err(err)
				continue
			}
			if v.Known() && v.Node.Kind == yaml.MappingNode {
				maps = append(maps, v)
			} else if v.Unknown != "" {
				r.b.Notef(r.rangeOf(fns.File, it), "functions: %s; the functions there are not checked", v.Unknown)
			}
		}
	}
	for _, m := range maps {
		for i := 0; i+1 < len(m.Node.Content); i += 2 {
			k := m.Node.Content[i]
			v, err := r.res.Resolve(m.File, m.Node.Content[i+1])
			if err != nil {
				r.err(err)
				continue
			}
			if !v.Known() || v.Node.Kind != yaml.MappingNode {
				if v.Unknown != "" {
					r.b.Notef(r.rangeOf(m.File, k), "function %s: %s; not checked", k.Value, v.Unknown)
				}
				continue
			}
			fn := &function{name: k.Value, key: k, node: v}
			r.function(fn, m.File)
			r.funcs = append(r.funcs, fn)
		}
	}
}

// function builds a function: its timeout, name, code and environment.
func (r *reader) function(fn *function, file *yamlpos.File) {
	id := lambdaLogicalID(fn.name)
	res := &model.Resource{Address: id, Kind: model.KindFunction, Display: fn.name, File: r.f.Path, Key: r.rangeOf(file, fn.key),
		Ignore: ignores(fn.key, fn.node.Node), LogicalID: id, Type: "AWS::Lambda::Function"}
	name := r.service + "-" + r.stage + "-" + fn.name
	if s, ok := r.text(fn.node, "name"); ok {
		name = s
	}
	m := &model.Function{Resource: res, Name: name}
	m.Timeout = model.Values{r.functionTimeout(fn, file)}
	if m.Timeout[0].Origin == model.Inherited {
		// A suppression above provider.timeout holds for every function
		// that reads it.
		k, v := yamlpos.Lookup(r.provider.Node, "timeout")
		for id, reason := range ignores(k, v) {
			if res.Ignore == nil {
				res.Ignore = map[string]string{}
			}
			res.Ignore[id] = reason
		}
	}
	if ov, ok := r.extension(id, "Timeout", model.InSeconds); ok {
		m.Timeout = model.Values{ov}
	}
	r.b.Unresolved(m.Timeout, "timeout of function "+fn.name)
	r.code(fn, m)
	fn.fn = r.b.Function(m)
}

// functionTimeout is the function's own timeout, else provider.timeout
// (inherited: the fix gives this function its own), else the framework's
// 6 s (compile/functions.js: functionObject.timeout || provider.timeout || 6).
func (r *reader) functionTimeout(fn *function, file *yamlpos.File) model.Value {
	insert := secondsEdit(yamlpos.InsertProperty(fn.node.File, fn.node.Node, "timeout"))
	if fn.node.File == nil {
		insert = nil
	}
	if n := yamlpos.Get(fn.node.Node, "timeout"); n != nil {
		return r.duration(fn.node.File, n, "timeout", model.InSeconds)
	}
	if pn := yamlpos.Get(r.provider.Node, "timeout"); pn != nil && r.provider.File != nil {
		v := r.duration(r.provider.File, pn, "timeout", model.InSeconds)
		if v.Known {
			v.Origin = model.Inherited
			v.Via = model.Via{Name: "provider.timeout", Loc: v.Loc, SetHere: "for every function without its own", Locate: true}
			if v.Loc != r.rangeOf(r.provider.File, pn) {
				v.Via.Loc = r.rangeOf(r.provider.File, pn)
			}
			// Lowering provider.timeout would change every function:
			// the fix gives this one its own timeout.
			v.Remedy = model.Remedy{Edit: insert}
		}
		return v
	}
	return model.Value{Known: true, D: frameworkDefaultTimeout, Unit: model.InSeconds, Setting: "timeout", Origin: model.Default,
		Loc: r.rangeOf(file, fn.key), Remedy: model.Remedy{Edit: insert}}
}

// code says where the function's handler is: the service directory (the
// framework packages it whole unless told otherwise), the handler as
// written (src/app.handler: src/app.* in it), its runtime, and the
// environment provider.environment and its own give it.
func (r *reader) code(fn *function, m *model.Function) {
	handler, ok := r.text(fn.node, "handler")
	if !ok {
		return // an image: its code is not in the service directory
	}
	pkg, _ := r.get(fn.node, "package")
	if _, prebuilt := r.text(pkg, "artifact"); prebuilt {
		return // a zip built elsewhere: the directory's files are not what deploys
	}
	runtime, ok := r.text(fn.node, "runtime")
	if !ok {
		runtime, _ = r.text(r.provider, "runtime")
	}
	c := &model.Code{Dir: filepath.Dir(r.f.Path), Handler: handler, Runtime: runtime, Setting: "handler"}
	if hn := yamlpos.Get(fn.node.Node, "handler"); hn != nil {
		c.Loc = r.rangeOf(fn.node.File, hn)
	}
	m.Code = c
	env := map[string]model.EnvVar{}
	for _, src := range []vars.Value{r.provider, fn.node} {
		e, ok := r.get(src, "environment")
		if !ok || !e.Known() || e.Node.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(e.Node.Content); i += 2 {
			k, vn := e.Node.Content[i], e.Node.Content[i+1]
			ev := model.EnvVar{Loc: r.rangeOf(e.File, vn)}
			v, err := r.res.Resolve(e.File, vn)
			switch {
			case err != nil:
				ev.Unknown = err.Error()
			case !v.Known():
				ev.Unknown = v.Unknown
			case v.Node.Kind != yaml.ScalarNode:
				ev.Unknown = "not a string"
			default:
				ev.Value, ev.Known = v.Scalar(), true
			}
			if v.Literal() && e.File != nil && vn.Kind == yaml.ScalarNode {
				ev.Edit = yamlpos.ReplaceString(e.File, vn)
			}
			if src.Node == r.provider.Node {
				ev.Via = "provider.environment"
			}
			env[k.Value] = ev
		}
	}
	if len(env) > 0 {
		m.Env = env
	}
}

// events lists a function's events: each a mapping of one key (http,
// httpApi, websocket, sqs, ...) to its settings.
func (r *reader) eventList(fn *function) []event {
	evs, ok := r.get(fn.node, "events")
	if !ok || !evs.Known() || evs.Node.Kind != yaml.SequenceNode {
		return nil
	}
	var out []event
	for _, it := range evs.Node.Content {
		v, err := r.res.Resolve(evs.File, it)
		if err != nil {
			r.err(err)
			continue
		}
		if !v.Known() || v.Node.Kind != yaml.MappingNode || len(v.Node.Content) < 2 {
			continue
		}
		k := v.Node.Content[0]
		body, err := r.res.Resolve(v.File, v.Node.Content[1])
		if err != nil {
			r.err(err)
			continue
		}
		out = append(out, event{kind: k.Value, key: k, item: v, body: body, file: v.File})
	}
	return out
}

// event is one entry of a function's events.
type event struct {
	kind string
	key  *yaml.Node
	item vars.Value // the {kind: body} mapping
	body vars.Value
	file *yamlpos.File
}

// at is where findings about the event point.
func (e event) at(r *reader) loc.Range { return r.rangeOf(e.file, e.key) }

// makeAPIs creates the APIs the functions' events deploy, before the
// resources written by hand that may reference them.
func (r *reader) makeAPIs() {
	for _, fn := range r.funcs {
		for _, ev := range r.eventList(fn) {
			switch ev.kind {
			case "http":
				r.restAPI(ev)
			case "httpApi":
				r.httpAPI(ev)
			case "websocket":
				r.websocketAPI(ev)
			}
		}
	}
}

// resources reads `resources` with the CloudFormation reader, where it is
// written, linked to what the framework generates by its logical IDs.
func (r *reader) resources(root vars.Value) {
	rv, ok := r.get(root, "resources")
	if !ok || !rv.Known() || rv.File == nil {
		return
	}
	known := cfn.Known{Functions: map[string]*model.Function{}, APIs: map[string]*model.API{}, Vars: cfnVars{r}}
	for _, fn := range r.funcs {
		known.Functions[fn.fn.Resource.Address] = fn.fn
	}
	if r.rest != nil && r.rest.Resource.Address == restAPIID {
		known.APIs[restAPIID] = r.rest
	}
	if r.http != nil && r.http.Resource.Address == httpAPIID {
		known.APIs[httpAPIID] = r.http
	}
	if r.ws != nil {
		known.APIs[websocketAPIID] = r.ws
	}
	nodes := []*yaml.Node{rv.Node}
	if rv.Node.Kind == yaml.SequenceNode {
		// resources: a list of ${file()} parts, merged.
		nodes = rv.Node.Content
	}
	for _, n := range nodes {
		v, err := r.res.Resolve(rv.File, n)
		if err != nil {
			r.err(err)
			continue
		}
		if !v.Known() || v.File == nil || v.Node.Kind != yaml.MappingNode {
			continue
		}
		if res := yamlpos.Get(v.Node, "Resources"); res == nil || res.Kind != yaml.MappingNode {
			continue // only Outputs, or extensions
		}
		here, elsewhere := r.writtenHere(v)
		r.embed(v.File, here, known)
		for _, ev := range elsewhere {
			// One resource a ${file()} holds, read in that file: its key
			// is placed where its mapping starts there.
			key := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: ev.name, Line: ev.v.Node.Line, Column: ev.v.Node.Column}
			r.embed(ev.v.File, &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
				{Kind: yaml.ScalarNode, Tag: "!!str", Value: "Resources"},
				{Kind: yaml.MappingNode, Content: []*yaml.Node{key, ev.v.Node}},
			}}, known)
		}
	}
}

// embed reads CloudFormation resources of f with the CloudFormation
// reader.
func (r *reader) embed(f *yamlpos.File, n *yaml.Node, known cfn.Known) {
	e, errs := cfn.ReadEmbedded(r.b, f, n, known)
	r.errs = append(r.errs, errs...)
	if e != nil {
		r.embedded = append(r.embedded, e)
	}
}

// external is a resource written as a variable that resolves to a
// mapping in another file (`Q: ${file(./queue.yml)}`).
type external struct {
	name string
	v    vars.Value
}

// writtenHere is the resources mapping m without the resources written
// as a variable (`LambdaRole: ${file(./role.yml)}`), which the
// CloudFormation reader would read as strings: those that resolve to a
// mapping in a file are returned to be read there (the reader locates
// what it reads in the file it reads); the others are noted.
func (r *reader) writtenHere(m vars.Value) (*yaml.Node, []external) {
	res := yamlpos.Get(m.Node, "Resources")
	var skip []int
	var unread []string
	var elsewhere []external
	var at *yaml.Node
	for i := 0; i+1 < len(res.Content); i += 2 {
		v := res.Content[i+1]
		if id := res.Content[i].Value; r.generated(id) != nil || v.Kind == yaml.MappingNode && yamlpos.Get(v, "Type") == nil {
			// _.merge'd over what the framework generates under that
			// logical ID (merge-custom-provider-resources.js): not
			// another resource. A mapping with no Type can be nothing
			// else.
			skip = append(skip, i)
			r.merges = append(r.merges, merge{id: id, key: res.Content[i], file: m.File, node: v})
			continue
		}
		if v.Kind != yaml.ScalarNode || !strings.Contains(v.Value, "${") {
			continue
		}
		skip = append(skip, i)
		rv, err := r.res.Resolve(m.File, v)
		if err == nil && rv.Known() && rv.Node.Kind == yaml.MappingNode {
			if judged(yamlpos.Scalar(yamlpos.Get(rv.Node, "Type"))) && rv.File != nil {
				elsewhere = append(elsewhere, external{res.Content[i].Value, rv})
			}
			continue // else a VPC, a table: nothing these rules judge
		}
		unread = append(unread, res.Content[i].Value)
		if at == nil {
			at = res.Content[i]
		}
	}
	if len(unread) > 0 {
		what := "resource " + unread[0] + " is written as a variable that does not"
		if len(unread) > 1 {
			what = "resources " + strings.Join(unread, ", ") + " are written as variables that do not"
		}
		r.b.Notef(r.rangeOf(m.File, at), "%s resolve offline (%s); not checked", what, res.Content[slices.Index(res.Content, at)+1].Value)
	}
	if len(skip) == 0 {
		return m.Node, nil
	}
	kept := *res
	kept.Content = nil
	for i := 0; i+1 < len(res.Content); i += 2 {
		if !slices.Contains(skip, i) {
			kept.Content = append(kept.Content, res.Content[i], res.Content[i+1])
		}
	}
	out := *m.Node
	out.Content = slices.Clone(m.Node.Content)
	for i := 0; i+1 < len(out.Content); i += 2 {
		if out.Content[i].Value == "Resources" {
			out.Content[i+1] = &kept
		}
	}
	return &out, elsewhere
}

// judged reports whether resources of a CloudFormation type are what
// the rules judge (functions, queues, APIs and what links them).
func judged(typ string) bool {
	for _, p := range []string{"AWS::Lambda::", "AWS::SQS::", "AWS::ApiGateway", "AWS::Serverless::"} {
		if strings.HasPrefix(typ, p) {
			return true
		}
	}
	return false
}

// generated is the function the framework generates under a logical ID;
// nil when none.
func (r *reader) generated(id string) *function {
	for _, fn := range r.funcs {
		if fn.fn.Resource.Address == id {
			return fn
		}
	}
	return nil
}

// merge is a resources.Resources entry under a logical ID the framework
// generates (HelloLambdaFunction, ApiGatewayMethodOrdersGet): lodash's
// _.merge lays it over the generated resource
// (merge-custom-provider-resources.js), so its Properties are that
// resource's, and resources.extensions are assigned over both.
type merge struct {
	id   string
	key  *yaml.Node
	file *yamlpos.File
	node *yaml.Node
}

// applyMerges sets the timeouts that resources written under generated
// logical IDs give: a function's Timeout, a REST method's
// Integration.TimeoutInMillis, an HTTP or WebSocket integration's
// TimeoutInMillis. What names nothing generated here (another generated
// resource, such as ApiGatewayRestApi) holds nothing these rules judge.
func (r *reader) applyMerges() {
	for _, mg := range r.merges {
		props := yamlpos.Get(mg.node, "Properties")
		if fn := r.generated(mg.id); fn != nil {
			if t := yamlpos.Get(props, "Timeout"); t != nil && !r.extended(mg.id, "Timeout") {
				fn.fn.Timeout = model.Values{r.duration(mg.file, t, "Timeout", model.InSeconds)}
				r.b.Unresolved(fn.fn.Timeout, "Timeout of "+mg.id)
			}
			continue
		}
		in := r.integrations[mg.id]
		if in == nil {
			continue
		}
		top, t := "TimeoutInMillis", yamlpos.Get(props, "TimeoutInMillis")
		if in.Resource.Kind == model.KindMethod {
			top, t = "Integration", yamlpos.Get(yamlpos.Get(props, "Integration"), "TimeoutInMillis")
		}
		if t != nil && !r.extended(mg.id, top) {
			in.Timeout = model.Values{r.duration(mg.file, t, "TimeoutInMillis", model.InMillis)}
			r.b.Unresolved(in.Timeout, "TimeoutInMillis of "+mg.id)
		}
	}
}

// extended reports whether resources.extensions assigns the property
// prop of id, which then replaces whatever resources.Resources merged.
func (r *reader) extended(id, prop string) bool { return r.extensionNode(id, prop) != nil }

// cfnVars resolves the service's variables where its resources write
// them, for the CloudFormation reader: the framework resolves every
// string of the configuration before CloudFormation sees it
// (lib/configuration/variables/resolve-meta.js).
type cfnVars struct{ r *reader }

func (c cfnVars) Duration(f *yamlpos.File, n *yaml.Node, setting string, u model.Unit) model.Value {
	return c.r.duration(f, n, setting, u)
}

func (c cfnVars) Text(f *yamlpos.File, n *yaml.Node) (string, bool, string) {
	v, err := c.r.res.Resolve(f, n)
	switch {
	case err != nil:
		c.r.err(err)
		return "", false, err.Error()
	case !v.Known():
		return "", false, v.Unknown
	case v.Node.Kind != yaml.ScalarNode:
		return "", false, n.Value + " is not a string"
	}
	return v.Scalar(), true, ""
}
