package cfn_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/cfn"
	"github.com/gatelint/gatelint/internal/source/yamlpos/yamlpostest"
)

func TestSAMApiEvent(t *testing.T) {
	src := `Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties: {StageName: prod, EndpointConfiguration: REGIONAL}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Events:
        Create:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /orders
            Method: post
            TimeoutInMillis: 10000
        List:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /orders, Method: any}
`
	m := load(t, src, nil)
	a := api(t, m, "Api")
	fn := function(t, m, "Fn")
	if a.Type != model.REST || a.EndpointType != model.Regional || a.Implicit {
		t.Errorf("API %+v", a)
	}
	e := endpoint(t, a, "POST", "/orders")
	wantSpan(t, "event Loc", e.Loc, src, "Events:\n        ", "Create", 0)
	in := e.Integration
	if e.Resource != fn.Resource || in.Resource != fn.Resource || in.Kind != model.LambdaProxy || in.Function != fn {
		t.Errorf("event integration %+v", in)
	}
	if in.Loc != e.Loc {
		t.Errorf("integration Loc %+v, want the event", in.Loc)
	}
	checkValues(t, src, in.Timeout, []want{{n: 10000, loc: [2]string{"TimeoutInMillis: ", "10000"}}})
	any := endpoint(t, a, "ANY", "/orders").Integration
	if v := one(t, any.Timeout); v.N() != 29000 || v.Origin != model.Default || v.Loc != any.Loc {
		t.Errorf("unset TimeoutInMillis %+v", v)
	}
	if len(fn.Integrations) != 2 {
		t.Errorf("function has %d integrations, want 2", len(fn.Integrations))
	}
}

func TestSAMImplicitAPIs(t *testing.T) {
	body := `Resources:
  A:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Get: {Type: Api, Properties: {Path: /a, Method: get}}
        Http: {Type: HttpApi}
  B:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Get: {Type: Api, Properties: {Path: /b, Method: GET}}
        Http: {Type: HttpApi, Properties: {Path: /b, TimeoutInMillis: 5000}}
`
	tests := []struct {
		name, header string
		endpoint     model.EndpointType
	}{
		{"Transform as a string", "Transform: AWS::Serverless-2016-10-31\n", model.Edge},
		{"Transform as a list", "Transform:\n  - AWS::LanguageExtensions\n  - AWS::Serverless-2016-10-31\n", model.Edge},
		{"Globals endpoint configuration", "Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Api:\n    EndpointConfiguration: REGIONAL\n", model.Regional},
		{"Globals endpoint configuration object", "Globals:\n  Api:\n    EndpointConfiguration: {Type: PRIVATE}\n", model.Private},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := tt.header + body
			m := load(t, src, nil)
			if len(m.APIs) != 2 {
				t.Fatalf("got %d APIs, want the two implicit ones", len(m.APIs))
			}
			rest := api(t, m, "ServerlessRestApi")
			if rest.Type != model.REST || !rest.Implicit || rest.EndpointType != tt.endpoint || rest.Resource.Type != "AWS::Serverless::Api" {
				t.Errorf("implicit REST API %+v %+v", rest, rest.Resource)
			}
			// Findings about the implicit API point at the event that
			// made SAM create it.
			wantSpan(t, "implicit API key", rest.Resource.Key, src, "Events:\n        ", "Get", 0)
			endpoint(t, rest, "GET", "/a")
			endpoint(t, rest, "GET", "/b")

			http := api(t, m, "ServerlessHttpApi")
			if http.Type != model.HTTP || !http.Implicit || http.Resource.Type != "AWS::Serverless::HttpApi" {
				t.Errorf("implicit HTTP API %+v", http)
			}
			d := endpoint(t, http, "", "$default")
			if d.Integration.Function != function(t, m, "A") {
				t.Error("$default is not A's")
			}
			if v := one(t, d.Integration.Timeout); v.N() != 30000 || v.Origin != model.Default {
				t.Errorf("HttpApi default timeout %+v", v)
			}
			b := endpoint(t, http, "ANY", "/b")
			checkValues(t, src, b.Integration.Timeout, []want{{n: 5000, loc: [2]string{"TimeoutInMillis: ", "5000"}}})
		})
	}
}

func TestEndpointConfiguration(t *testing.T) {
	tests := []struct {
		name, typ, props, globals string
		want                      model.EndpointType
	}{
		{"SAM string", "AWS::Serverless::Api", "{EndpointConfiguration: REGIONAL}", "", model.Regional},
		{"SAM Type", "AWS::Serverless::Api", "{EndpointConfiguration: {Type: PRIVATE}}", "", model.Private},
		{"SAM lower case", "AWS::Serverless::Api", "{EndpointConfiguration: regional}", "", model.Regional},
		{"SAM none", "AWS::Serverless::Api", "{StageName: x}", "", model.Edge},
		{"SAM Globals", "AWS::Serverless::Api", "{StageName: x}", "Globals:\n  Api:\n    EndpointConfiguration: REGIONAL\n", model.Regional},
		{"SAM own over Globals", "AWS::Serverless::Api", "{EndpointConfiguration: EDGE}", "Globals:\n  Api:\n    EndpointConfiguration: REGIONAL\n", model.Edge},
		{"RestApi Types", "AWS::ApiGateway::RestApi", "{EndpointConfiguration: {Types: [REGIONAL]}}", "", model.Regional},
		{"RestApi Types PRIVATE", "AWS::ApiGateway::RestApi", "{EndpointConfiguration: {Types: [PRIVATE], VpcEndpointIds: [vpce-1]}}", "", model.Private},
		{"RestApi none", "AWS::ApiGateway::RestApi", "{Name: x}", "", model.Edge},
		{"RestApi ignores SAM Globals", "AWS::ApiGateway::RestApi", "{Name: x}", "Globals:\n  Api:\n    EndpointConfiguration: REGIONAL\n", model.Edge},
		{"parameter", "AWS::Serverless::Api", "{EndpointConfiguration: !Ref Kind}", "Parameters:\n  Kind: {Type: String, Default: PRIVATE}\n", model.Private},
		{"parameter in Types", "AWS::ApiGateway::RestApi", "{EndpointConfiguration: {Types: [!Ref Kind]}}", "Parameters:\n  Kind: {Type: String, Default: REGIONAL}\n", model.Regional},
		{"If on a parameter", "AWS::ApiGateway::RestApi", "{EndpointConfiguration: {Types: [!If [P, PRIVATE, REGIONAL]]}}", "Parameters:\n  S: {Type: String, Default: a}\nConditions:\n  P: !Equals [!Ref S, a]\n", model.Private},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := tt.globals + "Resources:\n  Api:\n    Type: " + tt.typ + "\n    Properties: " + tt.props + "\n"
			if got := api(t, load(t, src, nil), "Api").EndpointType; got != tt.want {
				t.Errorf("EndpointType = %v, want %v", got, tt.want)
			}
		})
	}
}

const openAPISpec = `openapi: 3.0.1
paths:
  /orders:
    post:
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        timeoutInMillis: 20000
        uri:
          Fn::Sub: arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
`

func TestSAMDefinitions(t *testing.T) {
	const head = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n"
	tests := []struct {
		name    string
		props   string
		files   map[string]string
		file    string // where the operation is
		timeout string // as written there
	}{
		{
			name: "DefinitionBody inline",
			props: `      DefinitionBody:
        openapi: 3.0.1
        paths:
          /orders:
            post:
              x-amazon-apigateway-integration:
                type: aws_proxy
                timeoutInMillis: 20000
                uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
`,
			file: path, timeout: "20000",
		},
		{
			name:  "DefinitionUri",
			props: "      DefinitionUri: api.yaml\n",
			files: map[string]string{"api.yaml": openAPISpec},
			file:  "api.yaml", timeout: "20000",
		},
		{
			name:  "DefinitionUri JSON",
			props: "      DefinitionUri: specs/api.json\n",
			files: map[string]string{"specs/api.json": `{"openapi": "3.0.1", "paths": {"/orders": {"post": {"x-amazon-apigateway-integration": {"type": "AWS_PROXY", "timeoutInMillis": "20000", "uri": {"Fn::Sub": "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations"}}}}}}`},
			file:  "specs/api.json", timeout: `"20000"`,
		},
		{
			name: "AWS::Include",
			props: `      DefinitionBody:
        'Fn::Transform':
          Name: 'AWS::Include'
          Parameters:
            Location: ./spec/api.yaml
`,
			files: map[string]string{"spec/api.yaml": openAPISpec},
			file:  "spec/api.yaml", timeout: "20000",
		},
		{
			name:  "AWS::Include, short form",
			props: "      DefinitionBody: !Transform {Name: AWS::Include, Parameters: {Location: api.yaml}}\n",
			files: map[string]string{"api.yaml": openAPISpec},
			file:  "api.yaml", timeout: "20000",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := head + tt.props
			m := loadFiles(t, src, nil, tt.files)
			a := api(t, m, "Api")
			e := endpoint(t, a, "POST", "/orders")
			if e.Integration.Function != function(t, m, "Fn") || e.Integration.Kind != model.LambdaProxy {
				t.Errorf("integration %+v", e.Integration)
			}
			spec := src
			if tt.file != path {
				spec = tt.files[tt.file]
			}
			v := one(t, e.Integration.Timeout)
			anchor := "timeoutInMillis: "
			if strings.HasPrefix(spec, "{") {
				anchor = `timeoutInMillis": `
			}
			r := span(t, spec, anchor, tt.timeout, 0)
			r.File = tt.file
			if !v.Known || v.N() != 20000 || v.Loc != r {
				t.Errorf("timeout %+v, want 20000 at %+v", v, r)
			}
			if e.Loc.File != tt.file || e.Integration.Loc.File != tt.file {
				t.Errorf("endpoint in %s, integration in %s, want %s", e.Loc.File, e.Integration.Loc.File, tt.file)
			}
			// The number in the included file is edited there.
			edits := editTo(v, 29000)
			if len(edits) != 1 || edits[0].File != tt.file || spec[edits[0].Start:edits[0].End] != strings.Trim(tt.timeout, `"`) {
				t.Errorf("edits %+v", edits)
			}
		})
	}
}

// TestSAMDefinitionsMissing: a local definition that is not there fails
// the deploy: an input error at the property, not a note.
func TestSAMDefinitionsMissing(t *testing.T) {
	for name, props := range map[string]string{
		"missing file":    "DefinitionUri: build/api.yaml",
		"missing include": "DefinitionBody: {'Fn::Transform': {Name: 'AWS::Include', Parameters: {Location: gone.yaml}}}",
		"missing body":    "BodyS3Location: build/api.yaml",
	} {
		src := "Resources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      " + props + "\n"
		var m model.Model
		ok, errs := cfnLoad(t, &m, path, []byte(src), cfn.Options{ReadFile: memFS(nil)})
		if !ok || len(errs) != 1 || errs[0].Line != 5 || !strings.Contains(errs[0].Message, "is not there: the deploy would fail") {
			t.Errorf("%s: %v %v", name, ok, errs)
		}
	}
}

func TestSAMDefinitionsNotRead(t *testing.T) {
	tests := []struct {
		name  string
		props string
		note  string // in Unresolved, "" when skipped silently
	}{
		{"S3 URI", "DefinitionUri: s3://bucket/api.yaml", ""},
		{"S3 location", "DefinitionUri: {Bucket: b, Key: api.yaml}", ""},
		{"S3 include", "DefinitionBody: {'Fn::Transform': {Name: 'AWS::Include', Parameters: {Location: 's3://b/api.yaml'}}}", ""},
		{"computed include", "DefinitionBody: {'Fn::Transform': {Name: 'AWS::Include', Parameters: {Location: !Sub 's3://${B}/api.yaml'}}}", ""},
		{"body as a string", `DefinitionBody: '{"openapi": "3.0.1"}'`, "the OpenAPI definition is a string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "Resources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      " + tt.props + "\n"
			m := loadFiles(t, src, nil, nil)
			if n := len(api(t, m, "Api").Endpoints); n != 0 {
				t.Errorf("%d endpoints", n)
			}
			if tt.note == "" {
				if len(m.Notes) != 0 {
					t.Errorf("Unresolved = %+v, want nothing", m.Notes)
				}
				return
			}
			if len(m.Notes) != 1 || !strings.Contains(m.Notes[0].Message, tt.note) || false {
				t.Fatalf("Unresolved = %+v, want a note with %q", m.Notes, tt.note)
			}
			if r := m.Notes[0].Loc; r.File != path || r.Start.Line != 5 {
				t.Errorf("note at %+v, want the property on line 5", r)
			}
		})
	}
}

func TestSAMDefinitionBroken(t *testing.T) {
	src := "Resources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      DefinitionUri: api.yaml\n"
	var m model.Model
	ok, errs := cfnLoad(t, &m, path, []byte(src), cfn.Options{ReadFile: memFS(map[string]string{"api.yaml": "paths: [\n"})})
	if !ok || len(errs) != 1 {
		t.Fatalf("Load = %v, %v; want a template with one error", ok, errs)
	}
	if e := errs[0]; e.File != "api.yaml" || e.Line == 0 || !strings.Contains(e.Message, "included from t.yaml:5:22") {
		t.Errorf("error %+v", e)
	}
}

// SAM leaves a user's DefinitionBody as written: an event for the same
// method and path adds only the invoke permission, so the endpoint is the
// operation's, with its timeout, and a note says the event's
// TimeoutInMillis is not deployed.
func TestSAMEventAndOperation(t *testing.T) {
	src := `Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      DefinitionBody:
        paths:
          /orders:
            post:
              x-amazon-apigateway-integration: {type: aws_proxy, timeoutInMillis: 5000}
            get:
              responses: {}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Post:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /orders, Method: POST, TimeoutInMillis: 9000}
`
	m := load(t, src, nil)
	a := api(t, m, "Api")
	if len(a.Endpoints) != 2 {
		t.Fatalf("endpoints %v, want POST and GET /orders once each", endpointNames(a))
	}
	e := endpoint(t, a, "POST", "/orders")
	if e.Resource.LogicalID != "Api" || one(t, e.Integration.Timeout).N() != 5000 {
		t.Errorf("POST /orders comes from %s with %+v, want the OpenAPI operation", e.Resource.LogicalID, e.Integration.Timeout)
	}
	if len(m.Notes) != 1 || !strings.Contains(m.Notes[0].Message, "event Post of Fn: its TimeoutInMillis is not deployed") {
		t.Errorf("notes %+v", m.Notes)
	}
}

func TestEventSources(t *testing.T) {
	src := `Resources:
  Q:
    Type: AWS::SQS::Queue
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Jobs:
          Type: SQS
          Properties: {Queue: !GetAtt Q.Arn, BatchSize: 1}
        Other:
          Type: SQS
          Properties: {Queue: 'arn:aws:sqs:us-east-1:123:elsewhere'}
  Fn:
    Type: AWS::Lambda::Function
  Live:
    Type: AWS::Lambda::Alias
    Properties: {FunctionName: !GetAtt Fn.Arn, Name: live}
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {EventSourceArn: !GetAtt Q.Arn, FunctionName: !Ref Fn}
  AliasMapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {EventSourceArn: !GetAtt Q.Arn, FunctionName: !Ref Live}
  Named:
    Type: AWS::Lambda::Function
    Properties: {FunctionName: named-fn}
  NameMapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {EventSourceArn: !GetAtt Q.Arn, FunctionName: named-fn}
  NameAliasMapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {EventSourceArn: !GetAtt Q.Arn, FunctionName: 'named-fn:live'}
  ARNMapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {EventSourceArn: !GetAtt Q.Arn, FunctionName: !Sub 'arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:named-fn'}
  Unknown:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {EventSourceArn: !GetAtt Q.Arn, FunctionName: other-fn}
`
	m := load(t, src, nil)
	q := m.Queues[0]
	tests := []struct {
		res, fn string
		at      [2]string
	}{
		{"Mapping", "Fn", [2]string{"\n  ", "Mapping"}},
		{"AliasMapping", "Fn", [2]string{"\n  ", "AliasMapping"}},
		{"NameMapping", "Named", [2]string{"\n  ", "NameMapping"}},
		{"NameAliasMapping", "Named", [2]string{"\n  ", "NameAliasMapping"}},
		{"ARNMapping", "Named", [2]string{"\n  ", "ARNMapping"}},
		{"Worker", "Worker", [2]string{"Events:\n        ", "Jobs"}},
	}
	if len(m.EventSources) != len(tests) {
		t.Fatalf("got %d event sources, want %d", len(m.EventSources), len(tests))
	}
	for i, tt := range tests {
		es := m.EventSources[i]
		if es.Resource.LogicalID != tt.res || es.Queue != q || es.Function != function(t, m, tt.fn) {
			t.Errorf("event source %d: %s, queue %v, function %v", i, es.Resource.LogicalID, es.Queue, es.Function)
		}
		wantSpan(t, "event source Loc", es.Loc, src, tt.at[0], tt.at[1], 0)
	}
}

func TestUnresolvedIntegrationTimeout(t *testing.T) {
	src := `Parameters:
  T: {Type: Number}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 5
      Events:
        Create:
          Type: Api
          Properties: {Path: /x, Method: post, TimeoutInMillis: !Ref T}
  Api:
    Type: AWS::ApiGateway::RestApi
  M:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: GET
      Integration: {Type: MOCK, TimeoutInMillis: !Ref T}
`
	m := load(t, src, nil)
	var got []string
	for _, u := range m.Notes {
		got = append(got, u.Message)
	}
	want := []string{
		"TimeoutInMillis of M: parameter T has no default; pass --param T=VALUE",
		"TimeoutInMillis of Fn event Create: parameter T has no default; pass --param T=VALUE",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Unresolved:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, u := range m.Notes {
		if yamlpostest.Slice(src, u.Loc) != "!Ref T" {
			t.Errorf("unresolved value %+v at %q", u, yamlpostest.Slice(src, u.Loc))
		}
	}
	// With the parameter given, nothing is left unresolved.
	if m := load(t, src, map[string]string{"T": "1000"}); len(m.Notes) != 0 {
		t.Errorf("Unresolved = %+v", m.Notes)
	}
}

// Without Options.ReadFile, includes are read from disk, relative to the
// template's directory rather than the working directory.
func TestDefinitionUriOnDisk(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "stack")
	if err := os.MkdirAll(filepath.Join(dir, "spec"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "spec", "api.yaml"), []byte(openAPISpec), 0o644); err != nil {
		t.Fatal(err)
	}
	src := "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n  Api:\n    Type: AWS::Serverless::Api\n    Properties: {DefinitionUri: spec/api.yaml}\n"
	tmpl := filepath.Join(dir, "template.yaml")
	var m model.Model
	ok, errs := cfnLoad(t, &m, tmpl, []byte(src), cfn.Options{})
	if !ok || len(errs) > 0 {
		t.Fatalf("Load = %v, %v", ok, errs)
	}
	e := endpoint(t, api(t, &m, "Api"), "POST", "/orders")
	if want := filepath.Join(dir, "spec", "api.yaml"); e.Loc.File != want || e.Integration.Function == nil {
		t.Errorf("endpoint at %s (function %v), want in %s", e.Loc.File, e.Integration.Function, want)
	}
}
