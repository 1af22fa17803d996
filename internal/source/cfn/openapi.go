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
	if errors.Is(err, fs.ErrNotExist) {
		// Often a build output (a packaged spec) that is not checked in.
		r.notef(n, "OpenAPI definition %s not found; its endpoints are not checked", p)
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
func (r *reader) openAPI(f *yamlpos.File, api *model.API, doc *yaml.Node) {
	pairs(get(doc, "paths"), func(pk, item *yaml.Node) {
		pairs(item, func(mk, op *yaml.Node) {
			method, ok := openAPIMethods[strings.ToLower(mk.Value)]
			if !ok {
				return
			}
			ik, integ := lookup(op, "x-amazon-apigateway-integration")
			if integ == nil {
				if e := r.addEndpoint(api, method, pk.Value, api.Resource, f.Range(mk), nil); e != nil {
					r.openAPIRequiredHeaders(f, e, get(item, "parameters"), get(op, "parameters"))
				}
				return
			}
			what := fmt.Sprintf("timeoutInMillis of %s %s in %s", method, pk.Value, api.Resource.LogicalID)
			in := r.integration(f, api.Resource, integ, f.Range(ik), what, api, integrationFields{
				typ: "type", uri: "uri", timeout: "timeoutInMillis", params: "requestParameters",
				subtype: "integrationSubtype", transferMode: "responseTransferMode", fold: true,
				setting: openAPITimeout,
			})
			if e := r.addEndpoint(api, method, pk.Value, api.Resource, f.Range(mk), in); e != nil {
				r.openAPIRequiredHeaders(f, e, get(item, "parameters"), get(op, "parameters"))
			}
		})
	})
}
