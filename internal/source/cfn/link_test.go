package cfn_test

import (
	"strings"
	"testing"

	"github.com/gatelint/gatelint/internal/model"
)

const restLinks = `Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: shop}
  V1:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: v1}
  Orders:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Api, ParentId: !Ref V1, PathPart: orders}
  OrderId:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Api, ParentId: !Ref Orders, PathPart: "{orderId}"}
  Fn:
    Type: AWS::Lambda::Function
    Properties: {FunctionName: my-fn, Timeout: 10}
  Live:
    Type: AWS::Lambda::Alias
    Properties: {FunctionName: !Ref Fn, FunctionVersion: "1", Name: live}
  RootGet:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: GET
      Integration:
        Type: AWS_PROXY
        IntegrationHttpMethod: POST
        Uri: !Sub 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations'
  OrdersPost:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Orders
      HttpMethod: post
      Integration:
        Type: AWS_PROXY
        TimeoutInMillis: 12000
        Uri: !Sub
          - arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Target}/invocations
          - Target: !GetAtt Fn.Arn
  OrderGet:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref OrderId
      HttpMethod: GET
      Integration:
        Type: AWS_PROXY
        Uri: !Join ['', ['arn:aws:apigateway:', !Ref AWS::Region, ':lambda:path/2015-03-31/functions/', !GetAtt Fn.Arn, /invocations]]
  OrderPut:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref OrderId
      HttpMethod: PUT
      Integration:
        Type: AWS_PROXY
        Uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123:function:my-fn:live/invocations'
  OrderDelete:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref OrderId
      HttpMethod: DELETE
      Integration:
        Type: AWS_PROXY
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Live}/invocations
  OrderOptions:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref OrderId
      HttpMethod: OPTIONS
`

func TestRESTLinks(t *testing.T) {
	src := restLinks
	m := load(t, src, nil)
	a := api(t, m, "Api")
	if a.Type != model.REST || a.EndpointType != model.Edge || a.Name != "shop" || a.Implicit {
		t.Errorf("API = %+v, want a named explicit edge REST API", a)
	}
	fn := function(t, m, "Fn")
	if fn.Name != "my-fn" || len(fn.Aliases) != 1 || fn.Aliases[0] != "Live" {
		t.Errorf("function Name=%q Aliases=%v", fn.Name, fn.Aliases)
	}
	tests := []struct {
		id, method, path, qualifier string
		integEnd                    string // how the Integration mapping ends
	}{
		{"RootGet", "GET", "/", "", "invocations'"},
		{"OrdersPost", "POST", "/v1/orders", "", "Target: !GetAtt Fn.Arn"},
		{"OrderGet", "GET", "/v1/orders/{orderId}", "", "/invocations]]"},
		{"OrderPut", "PUT", "/v1/orders/{orderId}", "live", "live/invocations'"},
		{"OrderDelete", "DELETE", "/v1/orders/{orderId}", "Live", "${Live}/invocations"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			e := endpoint(t, a, tt.method, tt.path)
			if e.API != a || e.Resource.LogicalID != tt.id {
				t.Errorf("endpoint API=%p Resource=%s", e.API, e.Resource.LogicalID)
			}
			wantSpan(t, "endpoint Loc", e.Loc, src, "\n  ", tt.id, 0)
			in := e.Integration
			if in == nil {
				t.Fatal("no integration")
			}
			if in.Kind != model.LambdaProxy || in.Function != fn || in.Qualifier != tt.qualifier {
				t.Errorf("integration Kind=%v Function=%v Qualifier=%q, want Lambda proxy to Fn, %q", in.Kind, in.Function, in.Qualifier, tt.qualifier)
			}
			if len(in.Endpoints) != 1 || in.Endpoints[0] != e {
				t.Errorf("integration Endpoints = %v", in.Endpoints)
			}
			if !containsIntegration(fn.Integrations, in) {
				t.Error("the function does not link back to the integration")
			}
			// The integration is the Integration mapping, which runs to
			// the end of its last value.
			start := strings.Index(src, "\n  "+tt.id+":")
			start += strings.Index(src[start:], "Type: AWS_PROXY")
			end := start + strings.Index(src[start:], tt.integEnd) + len(tt.integEnd)
			wantSpan(t, "integration Loc", in.Loc, src, "", src[start:end], 0)
		})
	}
	if len(fn.Integrations) != len(tests) {
		t.Errorf("function has %d integrations, want %d", len(fn.Integrations), len(tests))
	}

	post := endpoint(t, a, "POST", "/v1/orders").Integration
	checkValues(t, src, post.Timeout, []want{{n: 12000, loc: [2]string{"TimeoutInMillis: ", "12000"}}})
	get := endpoint(t, a, "GET", "/").Integration
	if v := one(t, get.Timeout); v.N() != 29000 || v.Origin != model.Default || v.Loc != get.Loc {
		t.Errorf("unset TimeoutInMillis = %+v, want the 29000 default at the integration", v)
	}
	if e := endpoint(t, a, "OPTIONS", "/v1/orders/{orderId}"); e.Integration != nil {
		t.Errorf("a method without Integration has %+v", e.Integration)
	}
}

func containsIntegration(ins []*model.Integration, in *model.Integration) bool {
	for _, x := range ins {
		if x == in {
			return true
		}
	}
	return false
}

func TestV2Links(t *testing.T) {
	src := `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Timeout: 10}
  Http:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: h, ProtocolType: HTTP}
  Integ:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Http
      IntegrationType: AWS_PROXY
      IntegrationUri: !GetAtt Fn.Arn
      PayloadFormatVersion: "2.0"
      TimeoutInMillis: 30000
  RouteJoin:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Http
      RouteKey: 'POST /items/{id}'
      Target: !Join [/, [integrations, !Ref Integ]]
  RouteSub:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Http
      RouteKey: GET /items
      Target: !Sub integrations/${Integ}
  RouteDefault:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref Http, RouteKey: $default}
  Ws:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: w, ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action}
  WsInteg:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Ws
      IntegrationType: AWS_PROXY
      IntegrationUri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
  Connect:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref Ws, RouteKey: $connect, Target: !Sub 'integrations/${WsInteg}'}
  Quick:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: q, ProtocolType: HTTP, Target: !GetAtt Fn.Arn}
`
	m := load(t, src, nil)
	fn := function(t, m, "Fn")

	h := api(t, m, "Http")
	if h.Type != model.HTTP {
		t.Errorf("Http type %v", h.Type)
	}
	post := endpoint(t, h, "POST", "/items/{id}")
	get := endpoint(t, h, "GET", "/items")
	wantSpan(t, "route Loc", post.Loc, src, "RouteKey: ", "'POST /items/{id}'", 0)
	in := post.Integration
	if in == nil || get.Integration != in {
		t.Fatalf("routes do not share Integ: %v, %v", in, get.Integration)
	}
	if in.Kind != model.LambdaProxy || in.Function != fn || in.Resource.LogicalID != "Integ" {
		t.Errorf("Integ = %+v", in)
	}
	wantSpan(t, "integration Loc", in.Loc, src, "\n  ", "Integ", 0)
	checkValues(t, src, in.Timeout, []want{{n: 30000, loc: [2]string{"TimeoutInMillis: ", "30000"}}})
	if len(in.Endpoints) != 2 || !containsIntegration(fn.Integrations, in) {
		t.Errorf("links: %d endpoints, function backlink %v", len(in.Endpoints), containsIntegration(fn.Integrations, in))
	}
	if e := endpoint(t, h, "", "$default"); e.Integration != nil {
		t.Errorf("$default without Target has %+v", e.Integration)
	}

	ws := api(t, m, "Ws")
	if ws.Type != model.WebSocket {
		t.Errorf("Ws type %v", ws.Type)
	}
	c := endpoint(t, ws, "", "$connect")
	if c.Integration == nil || c.Integration.Function != fn || c.Integration.Kind != model.LambdaProxy {
		t.Fatalf("$connect integration %+v", c.Integration)
	}
	if v := one(t, c.Integration.Timeout); v.N() != 29000 || v.Origin != model.Default {
		t.Errorf("WebSocket default timeout %+v", v)
	}

	q := api(t, m, "Quick")
	d := endpoint(t, q, "", "$default")
	if d.Integration == nil || d.Integration.Function != fn || d.Integration.Kind != model.LambdaProxy {
		t.Fatalf("quick create integration %+v", d.Integration)
	}
	wantSpan(t, "quick create Loc", d.Loc, src, "Target: ", "!GetAtt Fn.Arn", 0)
	if v := one(t, d.Integration.Timeout); v.N() != 30000 || v.Origin != model.Default {
		t.Errorf("quick create timeout %+v", v)
	}
	if len(fn.Integrations) != 3 {
		t.Errorf("function has %d integrations, want 3", len(fn.Integrations))
	}
}

func TestExternalAPI(t *testing.T) {
	src := `Parameters:
  ApiId: {Type: String}
Resources:
  M:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !ImportValue shared-api
      ResourceId: !ImportValue shared-root
      HttpMethod: GET
      Integration: {Type: HTTP_PROXY, Uri: 'https://example.com'}
  M2:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !ImportValue other-api
      ResourceId: !ImportValue other-root
      HttpMethod: GET
      Integration: {Type: HTTP_PROXY, Uri: 'https://example.com'}
  R:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref ApiId, RouteKey: GET /x}
`
	m := load(t, src, nil)
	if len(m.APIs) != 3 {
		t.Fatalf("got %d APIs, want one per external API", len(m.APIs))
	}
	rest, other, http := m.APIs[0], m.APIs[1], m.APIs[2]
	if rest.Resource.Address != "Fn::ImportValue shared-api" || other.Resource.Address != "Fn::ImportValue other-api" || len(other.Endpoints) != 1 {
		t.Errorf("imported APIs are named by what they import: %q, %q", rest.Resource.Address, other.Resource.Address)
	}
	if rest.Type != model.REST || len(rest.Endpoints) != 1 || rest.Endpoints[0].Integration.Kind != model.HTTPBackend {
		t.Errorf("external REST API %+v", rest)
	}
	if http.Type != model.HTTP || len(http.Endpoints) != 1 || http.Endpoints[0].Path != "/x" {
		t.Errorf("external HTTP API %+v", http)
	}
}

func TestIntegrationKind(t *testing.T) {
	const lambdaURI = "!Sub 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations'"
	tests := []struct {
		name      string
		integ     string // the Method's Integration, as a flow mapping
		kind      model.IntegrationKind
		target    string
		streaming bool
		linked    bool
	}{
		{"AWS_PROXY Lambda", "{Type: AWS_PROXY, Uri: " + lambdaURI + "}", model.LambdaProxy, "", false, true},
		{"AWS Lambda", "{Type: AWS, Uri: " + lambdaURI + "}", model.LambdaSync, "", false, true},
		{"AWS Lambda, Event", "{Type: AWS, Uri: " + lambdaURI + `, RequestParameters: {integration.request.header.X-Amz-Invocation-Type: "'Event'"}}`, model.LambdaEvent, "Lambda (Event)", false, true},
		{"AWS Lambda, RequestResponse", "{Type: AWS, Uri: " + lambdaURI + `, RequestParameters: {integration.request.header.X-Amz-Invocation-Type: "'RequestResponse'"}}`, model.LambdaSync, "", false, true},
		{"SQS path", "{Type: AWS, Uri: !Sub 'arn:aws:apigateway:${AWS::Region}:sqs:path/${AWS::AccountId}/${Q.QueueName}'}", model.AWSAsync, "SQS", false, false},
		{"SQS action", "{Type: AWS, Uri: 'arn:aws:apigateway:us-east-1:sqs:action/SendMessage'}", model.AWSAsync, "SQS", false, false},
		{"Step Functions StartExecution", "{Type: AWS, Uri: !Sub 'arn:aws:apigateway:${AWS::Region}:states:action/StartExecution'}", model.AWSAsync, "Step Functions StartExecution", false, false},
		{"Step Functions StartSyncExecution", "{Type: AWS, Uri: 'arn:aws:apigateway:us-east-1:states:action/StartSyncExecution'}", model.AWSSync, "Step Functions StartSyncExecution", false, false},
		{"EventBridge", "{Type: AWS, Uri: 'arn:aws:apigateway:us-east-1:events:action/PutEvents'}", model.AWSAsync, "EVENTS", false, false},
		{"DynamoDB", "{Type: AWS, Uri: 'arn:aws:apigateway:us-east-1:dynamodb:action/PutItem'}", model.AWSSync, "dynamodb", false, false},
		{"HTTP_PROXY", "{Type: HTTP_PROXY, Uri: 'https://example.com/{proxy}'}", model.HTTPBackend, "", false, false},
		{"HTTP", "{Type: http, Uri: 'https://example.com'}", model.HTTPBackend, "", false, false},
		{"MOCK", "{Type: MOCK}", model.Mock, "", false, false},
		{"streaming", "{Type: AWS_PROXY, ResponseTransferMode: STREAM, Uri: " + lambdaURI + "}", model.LambdaProxy, "", true, true},
		{"buffered", "{Type: AWS_PROXY, ResponseTransferMode: BUFFERED, Uri: " + lambdaURI + "}", model.LambdaProxy, "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := `Resources:
  Fn:
    Type: AWS::Lambda::Function
  Api:
    Type: AWS::ApiGateway::RestApi
  M:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: POST
      Integration: ` + tt.integ + "\n"
			m := load(t, src, nil)
			in := endpoint(t, api(t, m, "Api"), "POST", "/").Integration
			if in.Kind != tt.kind || in.Target != tt.target || in.Streaming != tt.streaming {
				t.Errorf("Kind=%v Target=%q Streaming=%v, want %v %q %v", in.Kind, in.Target, in.Streaming, tt.kind, tt.target, tt.streaming)
			}
			if (in.Function != nil) != tt.linked {
				t.Errorf("Function = %v, want linked %v", in.Function, tt.linked)
			}
			wantSpan(t, "integration Loc", in.Loc, src, "Integration: ", tt.integ, 0)
		})
	}
}

func TestV2IntegrationKind(t *testing.T) {
	tests := []struct {
		name   string
		props  string
		kind   model.IntegrationKind
		target string
	}{
		{"SQS-SendMessage", "IntegrationType: AWS_PROXY, IntegrationSubtype: SQS-SendMessage", model.AWSAsync, "SQS-SendMessage"},
		{"StepFunctions-StartExecution", "IntegrationType: AWS_PROXY, IntegrationSubtype: StepFunctions-StartExecution", model.AWSAsync, "StepFunctions-StartExecution"},
		{"StepFunctions-StartSyncExecution", "IntegrationType: AWS_PROXY, IntegrationSubtype: StepFunctions-StartSyncExecution", model.AWSSync, "StepFunctions-StartSyncExecution"},
		{"AppConfig", "IntegrationType: AWS_PROXY, IntegrationSubtype: AppConfig-GetConfiguration", model.AWSSync, "AppConfig-GetConfiguration"},
		{"Lambda ARN", "IntegrationType: AWS_PROXY, IntegrationUri: 'arn:aws:lambda:us-east-1:123:function:f'", model.LambdaProxy, ""},
		{"HTTP_PROXY", "IntegrationType: HTTP_PROXY, IntegrationUri: 'https://example.com'", model.HTTPBackend, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := `Resources:
  Http:
    Type: AWS::ApiGatewayV2::Api
    Properties: {ProtocolType: HTTP}
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties: {ApiId: !Ref Http, ` + tt.props + `}
  R:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref Http, RouteKey: POST /jobs, Target: !Sub 'integrations/${I}'}
`
			in := endpoint(t, api(t, load(t, src, nil), "Http"), "POST", "/jobs").Integration
			if in.Kind != tt.kind || in.Target != tt.target || in.Streaming {
				t.Errorf("Kind=%v Target=%q Streaming=%v, want %v %q", in.Kind, in.Target, in.Streaming, tt.kind, tt.target)
			}
		})
	}
}

func TestOpenAPIIntegrationKind(t *testing.T) {
	src := `Resources:
  Fn:
    Type: AWS::Lambda::Function
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Body:
        openapi: 3.0.1
        paths:
          /proxy:
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
          /stream:
            post:
              x-amazon-apigateway-integration:
                Type: AWS_PROXY
                responseTransferMode: STREAM
                timeoutInMillis: 300000
                uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
          /queue:
            post:
              x-amazon-apigateway-integration:
                type: aws
                uri: arn:aws:apigateway:us-east-1:sqs:path/123/q
          /none:
            get:
              responses: {}
`
	m := load(t, src, nil)
	a := api(t, m, "Api")
	fn := function(t, m, "Fn")
	p := endpoint(t, a, "GET", "/proxy")
	if p.Integration.Kind != model.LambdaProxy || p.Integration.Function != fn || p.Integration.Streaming {
		t.Errorf("/proxy %+v", p.Integration)
	}
	if p.Resource.LogicalID != "Api" || p.Integration.Resource.LogicalID != "Api" {
		t.Errorf("OpenAPI endpoints belong to the API, got %s", p.Resource.LogicalID)
	}
	wantSpan(t, "operation Loc", p.Loc, src, "/proxy:\n            ", "get", 0)
	wantSpan(t, "integration Loc", p.Integration.Loc, src, "/proxy:", "x-amazon-apigateway-integration", 0)
	s := endpoint(t, a, "POST", "/stream").Integration
	if s.Kind != model.LambdaProxy || !s.Streaming {
		t.Errorf("/stream %+v", s)
	}
	checkValues(t, src, s.Timeout, []want{{n: 300000, loc: [2]string{"timeoutInMillis: ", "300000"}}})
	if q := endpoint(t, a, "POST", "/queue").Integration; q.Kind != model.AWSAsync {
		t.Errorf("/queue %+v", q)
	}
	if n := endpoint(t, a, "GET", "/none"); n.Integration != nil {
		t.Errorf("/none %+v", n.Integration)
	}
}

// TestStageVariableLinks: a URI that names its function through a stage
// variable links with the value a stage of that API gives it.
func TestStageVariableLinks(t *testing.T) {
	const tmpl = `Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: sv}
  Fn:
    Type: AWS::Lambda::Function
    Properties: {FunctionName: orders-prod, Timeout: 40}
  Other:
    Type: AWS::Lambda::Function
    Properties: {FunctionName: orders-dev, Timeout: 5}
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: POST
      Integration:
        Type: AWS_PROXY
        Uri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:${!stageVariables.fn}:live/invocations"
  Prod:
    Type: AWS::ApiGateway::Stage
    Properties: {RestApiId: !Ref Api, StageName: prod, DeploymentId: d, Variables: {fn: STAGEFN}}
`
	tests := []struct {
		name, stageFn, want, qualifier string
	}{
		{"resolved", "orders-prod", "Fn", "live"},
		{"another function", "orders-dev", "Other", "live"},
		{"no such function", "orders-test", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := load(t, strings.Replace(tmpl, "STAGEFN", tt.stageFn, 1), nil)
			in := endpoint(t, api(t, m, "Api"), "POST", "/").Integration
			got := ""
			if in.Function != nil {
				got = in.Function.Resource.LogicalID
			}
			if got != tt.want || (got != "" && in.Qualifier != tt.qualifier) {
				t.Errorf("linked to %q (qualifier %q), want %q (%q)", got, in.Qualifier, tt.want, tt.qualifier)
			}
		})
	}
	// Without a stage that sets the variable, nothing is guessed.
	m := load(t, tmpl[:strings.Index(tmpl, "  Prod:")], nil)
	if fn := endpoint(t, api(t, m, "Api"), "POST", "/").Integration.Function; fn != nil {
		t.Errorf("linked to %s with no stage variables", fn.Resource.LogicalID)
	}
}
