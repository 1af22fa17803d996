package cfn_test

import (
	"strings"
	"testing"

	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/cfn"
)

// TestOpenAPIRefs: integrations written once under components and
// referred to by $ref, path items in other local files, and a cycle.
func TestOpenAPIRefs(t *testing.T) {
	src := `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Timeout: 60}
  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionBody:
        openapi: 3.0.1
        paths:
          /items:
            get:
              x-amazon-apigateway-integration: {$ref: '#/components/x-amazon-apigateway-integrations/items'}
            post:
              x-amazon-apigateway-integration: {$ref: '#/components/x-amazon-apigateway-integrations/items'}
          /orders: {$ref: 'paths/orders.yaml'}
          /other:
            get:
              x-amazon-apigateway-integration: {$ref: 'integrations.yaml#/other'}
        components:
          x-amazon-apigateway-integrations:
            items:
              type: aws_proxy
              uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
              timeoutInMillis: 10000
`
	files := map[string]string{
		"paths/orders.yaml": "put:\n  x-amazon-apigateway-integration:\n    type: aws_proxy\n    uri: arn:aws:lambda:us-east-1:1:function:x\n    timeoutInMillis: 5000\n",
		"integrations.yaml": "other: {type: http_proxy, uri: 'https://example.com', timeoutInMillis: 7000}\n",
	}
	m := loadFiles(t, src, nil, files)
	eps := map[string]*model.Endpoint{}
	for _, e := range api(t, m, "Http").Endpoints {
		eps[e.Method+" "+e.Path] = e
	}
	get, post := eps["GET /items"], eps["POST /items"]
	if get == nil || post == nil || get.Integration != post.Integration || get.Integration.Function == nil {
		t.Fatalf("one integration for both operations, linked: %+v %+v", get, post)
	}
	if v := get.Integration.Timeout[0]; !v.Known || v.D.Milliseconds() != 10000 || v.Loc.Start.Line != 25 {
		t.Errorf("timeout %+v, want 10000 ms read at line 25", v)
	}
	if o := eps["PUT /orders"]; o == nil || o.Integration.Timeout[0].Loc.File != "paths/orders.yaml" || o.Integration.Timeout[0].D.Milliseconds() != 5000 {
		t.Errorf("PUT /orders from paths/orders.yaml: %+v", o)
	}
	if o := eps["GET /other"]; o == nil || o.Integration.Timeout[0].Loc.File != "integrations.yaml" || o.Integration.Kind != model.HTTPBackend {
		t.Errorf("GET /other from integrations.yaml: %+v", o)
	}
}

func TestOpenAPIRefErrors(t *testing.T) {
	src := `Resources:
  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionBody:
        paths:
          /a:
            get:
              x-amazon-apigateway-integration: {$ref: '#/components/x/a'}
          /b: {$ref: 'gone.yaml'}
          /c:
            get:
              x-amazon-apigateway-integration: {$ref: '#/components/x/nothing'}
        components:
          x:
            a: {$ref: '#/components/x/b'}
            b: {$ref: '#/components/x/a'}
`
	var m model.Model
	ok, errs := cfnLoad(t, &m, path, []byte(src), cfn.Options{ReadFile: memFS(nil)})
	var msgs []string
	for _, e := range errs {
		msgs = append(msgs, e.Error())
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{"comes back to itself", "gone.yaml is not there: the deploy would fail", `$ref "#/components/x/nothing" points at nothing`} {
		if !strings.Contains(all, want) {
			t.Errorf("no error saying %q:\n%s", want, all)
		}
	}
	if !ok || len(errs) != 3 {
		t.Errorf("%v, %d errors", ok, len(errs))
	}
}

// TestAliases: an aliased event and a merge key are read as SAM CLI
// expands them; a value written once for several uses gets no edit; an
// alias bomb is not expanded, and says so.
func TestAliases(t *testing.T) {
	src := `x-event: &event
  Type: Api
  Properties: &props
    Path: /jobs
    Method: post
    TimeoutInMillis: 10000
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 60
      Events:
        Post: *event
        Put:
          Type: Api
          Properties:
            <<: *props
            Method: put
`
	m := load(t, src, nil)
	eps := map[string]*model.Endpoint{}
	for _, e := range api(t, m, "ServerlessRestApi").Endpoints {
		eps[e.Method+" "+e.Path] = e
	}
	for _, k := range []string{"POST /jobs", "PUT /jobs"} {
		e := eps[k]
		if e == nil || e.Integration.Timeout[0].D.Milliseconds() != 10000 {
			t.Fatalf("%s: %+v (endpoints %v)", k, e, eps)
		}
		if e.Integration.Timeout[0].Remedy.Edit != nil {
			t.Errorf("%s: an edit of the anchor's value would change every use of it", k)
		}
	}
	bomb := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	for _, l := range []string{"b", "c", "d", "e", "f", "g", "h"} {
		prev := string(rune(l[0] - 1))
		bomb += l + ": &" + l + " [" + strings.Repeat("*"+prev+", ", 9) + "*" + prev + "]\n"
	}
	bomb += "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Timeout: 30, X: *h}\n"
	m = load(t, bomb, nil)
	if len(m.Notes) != 1 || !strings.Contains(m.Notes[0].Message, "an alias bomb?") || len(m.Functions) != 1 {
		t.Errorf("notes %v", m.Notes)
	}
}
