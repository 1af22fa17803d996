package cfn

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/yamlpos"
)

// openAPIBody reads the OpenAPI definition of an API — inline, included
// with Fn::Transform AWS::Include, or a local file — into endpoints.
func (r *reader) openAPIBody(rs *resource) {
	api := r.apis[rs.id]
	if api == nil {
		return
	}
	for _, prop := range []string{"DefinitionBody", "Body", "DefinitionUri", "BodyS3Location"} {
		n := get(rs.props, prop)
		if n == nil {
			continue
		}
		f, body := r.definition(n, prop == "DefinitionUri" || prop == "BodyS3Location")
		if body != nil {
			r.openAPI(f, api, body)
			r.defined[api] = true
		}
		return
	}
}

// definition resolves a body property to the file and node holding the
// OpenAPI document. Documents in S3 cannot be read and are skipped.
func (r *reader) definition(n *yaml.Node, isURI bool) (*yamlpos.File, *yaml.Node) {
	if name, arg, ok := intrinsic(n); ok {
		if name != "Fn::Transform" || scalar(get(arg, "Name")) != "AWS::Include" {
			return nil, nil
		}
		return r.include(get(get(arg, "Parameters"), "Location"))
	}
	if n.Kind == yaml.ScalarNode {
		if !isURI {
			r.notef(n, "the OpenAPI definition is a string, not a document; its endpoints are not checked")
			return nil, nil
		}
		return r.include(n)
	}
	if get(n, "paths") != nil || get(n, "openapi") != nil || get(n, "swagger") != nil {
		return r.f, n
	}
	return nil, nil
}

// include reads a local file a template refers to. A path in S3 or one
// that is computed is skipped: there is nothing local to read.
func (r *reader) include(n *yaml.Node) (*yamlpos.File, *yaml.Node) {
	p, ok := r.ev.str(r.f, n).literal()
	if !ok || p == "" || strings.Contains(p, "://") || strings.ContainsAny(p, "\n{") {
		return nil, nil
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(filepath.Dir(r.f.Path), p)
	}
	data, err := r.opts.ReadFile(p)
	if errors.Is(err, errNotRead) {
		return nil, nil
	}
	if errors.Is(err, fs.ErrNotExist) {
		// The deploy would fail on it too: an error, not a note -q hides.
		r.errorf(n, "the OpenAPI definition %s is not there: the deploy would fail, and its endpoints are not checked", p)
		return nil, nil
	}
	if err != nil {
		r.errorf(n, "cannot read OpenAPI definition %s: %v", p, err)
		return nil, nil
	}
	f, err := yamlpos.Parse(p, data)
	if err != nil {
		e := yamlpos.ParseError(p, err)
		e.Message += " (included from " + r.f.Range(n).String() + ")"
		r.errs = append(r.errs, e)
		return nil, nil
	}
	return f, f.Root
}

var openAPIMethods = map[string]string{
	"get": "GET", "put": "PUT", "post": "POST", "delete": "DELETE", "patch": "PATCH",
	"head": "HEAD", "options": "OPTIONS", "x-amazon-apigateway-any-method": "ANY",
}

// openAPI reads each operation's x-amazon-apigateway-integration.
func (r *reader) openAPI(f *yamlpos.File, api *model.API, root *yaml.Node) {
	pairs(get(root, "paths"), func(pk, item *yaml.Node) {
		d, item := r.deref(doc{f, root}, item) // a path item may be a $ref
		f := d.f
		pairs(item, func(mk, op *yaml.Node) {
			method, ok := openAPIMethods[strings.ToLower(mk.Value)]
			if !ok {
				return
			}
			ik, integ := lookup(op, "x-amazon-apigateway-integration")
			inFile := f
			if integ != nil {
				var id doc
				if id, integ = r.deref(d, integ); integ == nil {
					return // said as an error
				}
				inFile = id.f
			}
			if integ == nil {
				if e := r.addEndpoint(api, method, pk.Value, api.Resource, f.Range(mk), nil); e != nil {
					r.openAPIRequiredHeaders(f, e, get(item, "parameters"), get(op, "parameters"))
				}
				return
			}
			what := fmt.Sprintf("timeoutInMillis of %s %s in %s", method, pk.Value, api.Resource.LogicalID)
			in := r.sharedIntegration(integ)
			if in == nil {
				in = r.integration(inFile, api.Resource, integ, f.Range(ik), what, api, integrationFields{
					typ: "type", uri: "uri", timeout: "timeoutInMillis", params: "requestParameters",
					subtype: "integrationSubtype", transferMode: "responseTransferMode", fold: true,
					setting: openAPITimeout,
				})
				r.remember(integ, in)
			}
			if e := r.addEndpoint(api, method, pk.Value, api.Resource, f.Range(mk), in); e != nil {
				r.openAPIRequiredHeaders(f, e, get(item, "parameters"), get(op, "parameters"))
			}
		})
	})
}

// samDefined applies what SAM does with an Api or HttpApi event (ev,
// invoking in's function) on an API the user gave its own OpenAPI
// definition (samtranslator eventsources/push.py, open_api): it reports
// whether the event is settled, or adds its endpoint as for a generated
// definition.
//
//   - Api with DefinitionBody or DefinitionUri (without MergeDefinitions),
//     or HttpApi with DefinitionUri: the definition is deployed as
//     written, and the event adds only the invoke permission.
//   - HttpApi with DefinitionBody: an operation with an integration keeps
//     it (its uri, so its function), and the event's TimeoutInMillis,
//     when set, replaces its timeout; an operation without one gets the
//     event's; a path or method the body lacks is added.
func (r *reader) samDefined(apiRs *resource, api *model.API, ev *yaml.Node, method, path string, in *model.Integration, timeoutSet bool) bool {
	body, uri := get(apiRs.props, "DefinitionBody"), get(apiRs.props, "DefinitionUri")
	if body == nil && uri == nil || r.mergesDefinitions(apiRs) {
		return false
	}
	var existing *model.Endpoint
	for _, e := range api.Endpoints {
		if e.Method == method && e.Path == path {
			existing = e
		}
	}
	what := "event " + ev.Value + " of " + in.Resource.Name()
	name := strings.TrimSpace(method + " " + path)
	if api.Type == model.HTTP && body != nil {
		switch {
		case existing == nil:
			return false
		case existing.Integration == nil:
			r.b.Integrate(existing, in)
		case timeoutSet:
			existing.Integration.Timeout = in.Timeout
		}
		return true
	}
	switch {
	case existing != nil && timeoutSet:
		r.notef(ev, "%s: its TimeoutInMillis is not deployed: SAM leaves the OpenAPI definition of %s as written, and %s there sets its own", what, api.Resource.Name(), name)
	case existing != nil:
	case r.defined[api]:
		r.notef(ev, "%s: the OpenAPI definition of %s has no %s, and SAM adds only the invoke permission: no endpoint is deployed for it", what, api.Resource.Name(), name)
	default:
		// The definition could not be read (S3, or a file not found):
		// the endpoint is its, and so is how long it waits.
		in.Timeout = model.Values{model.Unknownf(in.Loc, "set by the OpenAPI definition of %s, which gatelint could not read (SAM does not deploy the event's TimeoutInMillis)", api.Resource.Name())}
		in.Timeout[0].Setting, in.Timeout[0].Unit = integrationTimeout.name, integrationTimeout.unit
		r.b.Unresolved(in.Timeout, "integration timeout of "+name+" ("+what+")")
		return false
	}
	return true
}
