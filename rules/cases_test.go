package rules_test

import (
	"strings"
	"testing"
	"time"

	"github.com/gatelint/gatelint/internal/driver"
	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/rules"
)

// Templates are written flush left so that the line and column in a
// case's findings can be read off the source: line 1 is the first line.

// paramTimeout is a function whose Timeout comes from a parameter's
// Default, for the cases on parameter advice and --fix-parameters.
const paramTimeout = `
Parameters:
  FnTimeout:
    Type: Number
    Default: 30
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: !Ref FnTimeout
      Events:
        Post:
          Type: Api
          Properties: {Path: /x, Method: post}
`

var cases = []ruleCase{
	// ---------------------------------------------------------------- GL001
	{
		name: "GL001/rest-method-10000",
		src: `
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: a
  Res:
    Type: AWS::ApiGateway::Resource
    Properties:
      RestApiId: !Ref Api
      ParentId: !GetAtt Api.RootResourceId
      PathPart: x
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Timeout: 5
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Res
      HttpMethod: POST
      Integration:
        Type: AWS_PROXY
        IntegrationHttpMethod: POST
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
        TimeoutInMillis: 10000
`,
		want:     []string{"GL001 t.yaml:26:26 info endpoint=POST /x fix=29000"},
		contains: []string{"integration timeout of POST /x is 10000 ms, below the edge-optimized REST API maximum of 29000 ms"},
		related:  []string{"t.yaml:12:3 invokes function Fn"},
	},
	{
		name: "GL001/http-api-v2-integration-10000",
		src: `
Resources:
  Http:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      ProtocolType: HTTP
  Integ:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Http
      IntegrationType: AWS_PROXY
      IntegrationUri: !GetAtt Fn.Arn
      PayloadFormatVersion: "2.0"
      TimeoutInMillis: 10000
  Route:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Http
      RouteKey: GET /items
      Target: !Sub integrations/${Integ}
  PostRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Http
      RouteKey: POST /items
      Target: !Join [/, [integrations, !Ref Integ]]
`,
		// One integration behind two routes: one finding, the other
		// route related.
		want:     []string{"GL001 t.yaml:13:24 info endpoint=GET /items fix=30000"},
		contains: []string{"below the HTTP API maximum of 30000 ms"},
		related:  []string{"t.yaml:24:17 also serves POST /items"},
	},
	{
		name: "GL001/if-unknown-condition",
		src: `
Parameters:
  Env:
    Type: String
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 3
      Events:
        Get:
          Type: Api
          Properties:
            Path: /p
            Method: get
            TimeoutInMillis: !If [IsProd, 29000, 12000]
`,
		want:     []string{"GL001 t.yaml:17:50 info endpoint=GET /p fix=29000"},
		contains: []string{"integration timeout of GET /p is 12000 ms when IsProd is false, below"},
	},
	{
		name: "GL001/mapping-is-judged",
		src: `
Mappings:
  Env:
    prod: {IntegTimeout: 12000}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 3
      Events:
        Get:
          Type: Api
          Properties:
            Path: /p
            Method: get
            TimeoutInMillis: !FindInMap [Env, prod, IntegTimeout]
`,
		// A value from Mappings was chosen by the user, as a literal or a
		// parameter is; the finding is at the lookup, with no edit.
		want:     []string{"GL001 t.yaml:15:30 info endpoint=GET /p"},
		contains: []string{"Change Mappings.Env.prod.IntegTimeout at t.yaml:3:26 to 29000."},
	},
	{
		name: "GL001/websocket-10000",
		src: `
Resources:
  Ws:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      ProtocolType: WEBSOCKET
      RouteSelectionExpression: $request.body.action
  Integ:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Ws
      IntegrationType: AWS_PROXY
      IntegrationUri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
      TimeoutInMillis: 10000
  Connect:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Ws
      RouteKey: $connect
      Target: !Join [/, [integrations, !Ref Integ]]
`,
		want:     []string{"GL001 t.yaml:13:24 info endpoint=$connect fix=29000"},
		contains: []string{"below the WebSocket API maximum of 29000 ms"},
	},
	{
		name: "GL001/parameter",
		src: `
Parameters:
  IntegTimeout:
    Type: Number
    Default: 10000
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 3
      Events:
        Get:
          Type: Api
          Properties:
            Path: /p
            Method: get
            TimeoutInMillis: !Ref IntegTimeout
`,
		want: []string{"GL001 t.yaml:16:30 info endpoint=GET /p"},
		contains: []string{
			"is 10000 ms (from parameter IntegTimeout)",
			"Deploy with IntegTimeout=29000 or change its Default at t.yaml:4:14.",
		},
	},
	{
		name: "GL001/parameter-override",
		src: `
Parameters:
  IntegTimeout:
    Type: Number
    Default: 29000
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 3
      Events:
        Get:
          Type: Api
          Properties:
            Path: /p
            Method: get
            TimeoutInMillis: !Ref IntegTimeout
`,
		params:   map[string]string{"IntegTimeout": "12000"},
		want:     []string{"GL001 t.yaml:16:30 info endpoint=GET /p"},
		contains: []string{"is 12000 ms (from parameter IntegTimeout)", "Deploy with IntegTimeout=29000."},
	},
	{
		name: "GL001/explicit-29000-and-unset",
		src: `
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Timeout: 5
  Explicit:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: POST
      Integration:
        Type: AWS_PROXY
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
        TimeoutInMillis: 29000
  Unset:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: GET
      Integration:
        Type: AWS_PROXY
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
`,
		want: nil,
	},
	{
		name: "GL001/below-50-fails-the-deploy",
		src: `
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 3
      Events:
        Get:
          Type: Api
          Properties: {Path: /p, Method: get, TimeoutInMillis: 10}
`,
		// Below API Gateway's minimum of 50 ms the deploy fails: GL001
		// says so as an error; GL002 still compares the function with it.
		want:     []string{"GL001 t.yaml:9:64 error endpoint=GET /p fix=29000", "GL002 t.yaml:5:16 warning endpoint=GET /p fix=29000"},
		contains: []string{"below API Gateway's minimum of 50 ms: the deploy fails", "stops waiting after 10 ms"},
	},
	{
		name: "GL001/regional-raised-quota-29000",
		cfg:  &rules.Config{Margin: 2000 * time.Millisecond, RestMaxTimeout: 60000 * time.Millisecond},
		src: `
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      EndpointConfiguration:
        Types: [REGIONAL]
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: GET
      Integration:
        Type: HTTP_PROXY
        IntegrationHttpMethod: GET
        Uri: https://example.com/
        TimeoutInMillis: 29000
`,
		// A raised quota is a ceiling, not a target: 29000 is the
		// standard maximum, nothing to flag.
		want: nil,
	},
	{
		name: "GL001/edge-raised-quota-29000",
		cfg:  &rules.Config{Margin: 2000 * time.Millisecond, RestMaxTimeout: 60000 * time.Millisecond},
		src: `
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: edge
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: GET
      Integration:
        Type: HTTP_PROXY
        IntegrationHttpMethod: GET
        Uri: https://example.com/
        TimeoutInMillis: 29000
`,
		want: nil,
	},
	{
		name: "GL001/sam-api-event",
		src: `
Resources:
  ReportsFn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 5
      Events:
        Generate:
          Type: Api
          Properties:
            Path: /api/reports/generate
            Method: post
            TimeoutInMillis: 10000
`,
		want:    []string{"GL001 t.yaml:12:30 info endpoint=POST /api/reports/generate fix=29000"},
		related: []string{"t.yaml:2:3 invokes function ReportsFn"},
	},
	{
		name: "GL001/openapi-body",
		src: `
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        openapi: "3.0.1"
        paths:
          /orders:
            post:
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
                timeoutInMillis: 10000
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 5
`,
		want: []string{"GL001 t.yaml:15:34 info endpoint=POST /orders fix=29000"},
		check: func(t *testing.T, _ []byte, fs []finding.Finding) {
			if fs[0].Resource.LogicalID != "Api" {
				t.Errorf("filed under %s, want the API holding the body", fs[0].Resource.LogicalID)
			}
		},
	},
	{
		name: "GL001/streaming-is-silent",
		src: `
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      EndpointConfiguration: {Types: [REGIONAL]}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Timeout: 5
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: POST
      Integration:
        Type: AWS_PROXY
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2021-11-15/functions/${Fn.Arn}/response-streaming-invocations
        ResponseTransferMode: STREAM
        TimeoutInMillis: 10000
`,
		want: nil,
	},

	// ---------------------------------------------------------------- GL002
	{
		name: "GL002/timeout-30-rest-default",
		src: `
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 30
      Events:
        Post:
          Type: Api
          Properties:
            Path: /x
            Method: post
`,
		want: []string{
			"GL002 t.yaml:5:16 warning endpoint=POST /x fix=26",
		},
		contains: []string{
			"function Fn has Timeout 30 s but POST /x stops waiting after 29 s (the default): the function keeps running after the client got a 504",
			"Set Timeout to 26 s",
		},
		related: []string{"t.yaml:7:9 integration timeout of POST /x"},
	},
	{
		name: "GL002/timeout-27-rest-default",
		src: `
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 27
      Events:
        Post:
          Type: Api
          Properties: {Path: /x, Method: post}
`,
		want: nil,
	},
	{
		name: "GL002/timeout-28-rest-default",
		src: `
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 28
      Events:
        Post:
          Type: Api
          Properties: {Path: /x, Method: post}
`,
		want: []string{"GL002 t.yaml:5:16 warning endpoint=POST /x fix=26"},
	},
	{
		name: "GL002/http-api-timeout-28",
		src: `
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 28
      Events:
        Get:
          Type: HttpApi
          Properties: {Path: /h, Method: get}
`,
		want: nil,
	},
	{
		name: "GL002/http-api-timeout-29",
		src: `
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 29
      Events:
        Get:
          Type: HttpApi
          Properties: {Path: /h, Method: get}
`,
		want:     []string{"GL002 t.yaml:5:16 warning endpoint=GET /h fix=27"},
		contains: []string{"stops waiting after 30 s (the default): the function keeps running after the client got a 503"},
	},
	{
		name: "GL002/globals-timeout-integration-10000",
		src: `
Globals:
  Function:
    Timeout: 60
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Events:
        Post:
          Type: Api
          Properties:
            Path: /slow
            Method: post
            TimeoutInMillis: 10000
  Other:
    Type: AWS::Serverless::Function
    Properties:
      Handler: other.handler
`,
		want: []string{
			"GL001 t.yaml:15:30 info endpoint=POST /slow fix=29000",
			`GL002 t.yaml:5:3 warning endpoint=POST /slow fix=29000,"Timeout: 26\n      " (unsafe)`,
			"GL003 t.yaml:10:9 warning endpoint=POST /slow",
		},
		contains: []string{"function Fn has Timeout 60 s (inherited from Globals) but POST /slow stops waiting after 10 s: ", "Raise TimeoutInMillis to 29000 (GL001) and set Timeout to 26 s, so the function fails first, at least 2 s before the integration gives up. Or, to keep the 10 s wait, set Timeout to 7 s."},
		related:  []string{"t.yaml:3:14 Timeout 60 s is set here", "t.yaml:15:30 integration timeout of POST /slow"},
	},
	{
		// Two tuned-down integrations of one function: the one fix GL002
		// offers raises both (GL001's edits) and lowers Timeout once;
		// raising only the shortest would leave the other cutting the
		// function off.
		name: "GL002/two-tuned-down-integrations-one-fix",
		src: `
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 28
      Events:
        A:
          Type: Api
          Properties:
            Path: /a
            Method: get
            TimeoutInMillis: 10000
        B:
          Type: Api
          Properties:
            Path: /b
            Method: get
            TimeoutInMillis: 12000
`,
		want: []string{
			"GL001 t.yaml:12:30 info endpoint=GET /a fix=29000",
			"GL001 t.yaml:18:30 info endpoint=GET /b fix=29000",
			"GL002 t.yaml:5:16 warning endpoint=GET /a fix=29000,29000,26",
		},
		contains: []string{"Raise TimeoutInMillis of GET /a to 29000, TimeoutInMillis of GET /b to 29000 (GL001) and set Timeout to 26 s"},
	},
	{
		name: "GL002/shared-function-shortest-integration",
		src: `
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 20
      Events:
        Long:
          Type: Api
          Properties:
            Path: /long
            Method: get
            TimeoutInMillis: 29000
        Short:
          Type: Api
          Properties:
            Path: /short
            Method: get
            TimeoutInMillis: 10000
`,
		want: []string{
			"GL001 t.yaml:18:30 info endpoint=GET /short fix=29000",
			"GL002 t.yaml:5:16 warning endpoint=GET /short fix=29000",
		},
		related: []string{"t.yaml:7:9 also invoked by GET /long", "t.yaml:18:30 integration timeout of GET /short"},
		check: func(t *testing.T, _ []byte, fs []finding.Finding) {
			n := 0
			for _, f := range fs {
				if f.RuleID == "GL002" {
					n++
				}
			}
			if n != 1 {
				t.Errorf("%d GL002 findings, want one per function", n)
			}
		},
	},
	{
		name: "GL002/shared-function-v2-integration-two-routes",
		src: `
Resources:
  Http:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      ProtocolType: HTTP
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Timeout: 29
  Integ:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Http
      IntegrationType: AWS_PROXY
      IntegrationUri: !GetAtt Fn.Arn
  A:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Http
      RouteKey: GET /a
      Target: !Sub integrations/${Integ}
  B:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Http
      RouteKey: GET /b
      Target: !Sub integrations/${Integ}
`,
		want:    []string{"GL002 t.yaml:9:16 warning endpoint=GET /a fix=27"},
		related: []string{"t.yaml:26:17 also invoked by GET /b"},
	},
	{
		name: "GL002/parameter-timeout",
		src:  paramTimeout,
		want: []string{
			"GL002 t.yaml:9:16 warning endpoint=POST /x",
		},
		contains: []string{
			"has Timeout 30 s (from parameter FnTimeout)",
			"Deploy with FnTimeout=26 or change its Default at t.yaml:4:14.",
		},
		related: []string{"t.yaml:4:14 Timeout 30 s is set here, as the Default of parameter FnTimeout"},
	},
	{
		// --fix-parameters: the Default is edited, keeping its quotes.
		name: "GL002/parameter-timeout-fix-parameters",
		src:  strings.Replace(paramTimeout, "Default: 30", `Default: "30"`, 1),
		cfg:  &rules.Config{Margin: 2000 * time.Millisecond, FixParameters: true},
		want: []string{
			"GL002 t.yaml:9:16 warning endpoint=POST /x fix=26",
		},
		contains: []string{"Deploy with FnTimeout=26 or change its Default at t.yaml:4:14."},
		check: func(t *testing.T, src []byte, fs []finding.Finding) {
			for _, f := range fs {
				if f.RuleID != "GL002" {
					continue
				}
				e := f.Fixes[0].Edits[0]
				if got := string(src[e.Start-1 : e.End+1]); got != `"30"` {
					t.Errorf("fix replaces %q, want the digits of the Default inside its quotes", got)
				}
				if !strings.Contains(f.Fixes[0].Description, "parameter FnTimeout") {
					t.Errorf("fix description %q does not name the parameter", f.Fixes[0].Description)
				}
			}
		},
	},
	{
		// A parameter overridden with --param has no Default to edit.
		name:   "GL002/parameter-overridden-fix-parameters",
		src:    paramTimeout,
		params: map[string]string{"FnTimeout": "40"},
		cfg:    &rules.Config{Margin: 2000 * time.Millisecond, FixParameters: true},
		want: []string{
			"GL002 t.yaml:9:16 warning endpoint=POST /x",
		},
		contains: []string{"Deploy with FnTimeout=26."},
	},
	{
		name: "GL002/if-unknown-condition",
		src: `
Parameters:
  Env:
    Type: String
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: !If [IsProd, 60, 10]
      Events:
        Post:
          Type: Api
          Properties: {Path: /x, Method: post}
`,
		want: []string{
			"GL002 t.yaml:10:29 warning endpoint=POST /x fix=26 (unsafe)",
			"GL003 t.yaml:12:9 warning endpoint=POST /x",
		},
		contains: []string{"function Fn has Timeout 60 s when IsProd is true but POST /x"},
	},
	{
		name: "GL002/lambda-event-invocation",
		src: `
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Timeout: 60
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: POST
      Integration:
        Type: AWS
        IntegrationHttpMethod: POST
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
        RequestParameters:
          integration.request.header.X-Amz-Invocation-Type: "'Event'"
`,
		want: nil,
	},
	{
		name: "GL002/lambda-sync-aws-integration",
		src: `
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Timeout: 60
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: POST
      Integration:
        Type: AWS
        IntegrationHttpMethod: POST
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
        RequestParameters:
          integration.request.header.X-Amz-Invocation-Type: "'RequestResponse'"
`,
		want: []string{
			"GL002 t.yaml:7:16 warning endpoint=POST / fix=26 (unsafe)",
			"GL003 t.yaml:8:3 warning endpoint=POST /",
		},
		contains: []string{"waits synchronously (synchronous Lambda) for function Fn"},
	},
	{
		name: "GL002/sqs-only-worker",
		src: `
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 360
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 60
      Events:
        Jobs:
          Type: SQS
          Properties:
            Queue: !GetAtt Queue.Arn
`,
		want: nil,
	},
	{
		name: "GL002/margin-5000",
		cfg:  &rules.Config{Margin: 5000 * time.Millisecond},
		src: `
Resources:
  Fits:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 24
      Events:
        A:
          Type: Api
          Properties: {Path: /a, Method: get}
  TooLong:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 25
      Events:
        B:
          Type: Api
          Properties: {Path: /b, Method: get}
`,
		want:     []string{"GL002 t.yaml:13:16 warning endpoint=GET /b fix=23"},
		contains: []string{"Set Timeout to 23 s so it fails first, at least 5 s before the integration gives up."},
	},
	{
		name: "GL002/edge-35000-capped-at-29000",
		src: `
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Timeout: 28
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: POST
      Integration:
        Type: AWS_PROXY
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
        TimeoutInMillis: 35000
`,
		want: []string{
			"GL002 t.yaml:7:16 warning endpoint=POST / fix=26",
			"GL004 t.yaml:17:26 error endpoint=POST / fix=29000",
		},
		contains: []string{"POST / stops waiting after 29 s: "},
	},
	{
		name: "GL002/integration-too-short-for-any-timeout",
		src: `
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 2
      Events:
        Get:
          Type: HttpApi
          Properties: {Path: /p, Method: get, TimeoutInMillis: 2500}
`,
		// 1 s, Lambda's minimum, does not end 2000 ms before 2500 ms: no
		// Timeout edit can clear the finding; raising the wait (GL001) can.
		want: []string{
			"GL001 t.yaml:9:64 info endpoint=GET /p fix=30000",
			"GL002 t.yaml:5:16 warning endpoint=GET /p fix=30000",
		},
		contains: []string{"stops waiting after 2.5 s: ", "Even the shortest Timeout, 1 s, does not end 2 s before the integration gives up: raise TimeoutInMillis instead."},
	},
	{
		name: "GL002/mapping-timeout",
		src: `
Mappings:
  Sizes:
    Export: {Timeout: 45}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: !FindInMap [Sizes, Export, Timeout]
      Events:
        Post:
          Type: HttpApi
          Properties: {Path: /x, Method: post}
`,
		want: []string{
			// At the lookup, as for a !Ref; the mapping entry is related.
			"GL002 t.yaml:8:16 warning endpoint=POST /x",
			"GL003 t.yaml:10:9 warning endpoint=POST /x",
		},
		contains: []string{"has Timeout 45 s (from Mappings.Sizes.Export.Timeout)", "Change Mappings.Sizes.Export.Timeout at t.yaml:3:23 to 27."},
		related:  []string{"t.yaml:3:23 Timeout 45 s is set here, in Mappings.Sizes.Export.Timeout"},
	},
	{
		name: "GL002/quoted-timeout",
		src: `
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: "30"
      Events:
        Post:
          Type: Api
          Properties: {Path: /x, Method: post}
`,
		want: []string{
			"GL002 t.yaml:5:16 warning endpoint=POST /x fix=26",
		},
		check: func(t *testing.T, src []byte, fs []finding.Finding) {
			for _, f := range fs {
				if f.RuleID == "GL002" {
					e := f.Fixes[0].Edits[0]
					if string(src[e.Start:e.End]) != "30" {
						t.Errorf("fix replaces %q, want the digits inside the quotes", src[e.Start:e.End])
					}
				}
			}
		},
	},
	{
		name: "GL002/websocket",
		src: `
Resources:
  Ws:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      ProtocolType: WEBSOCKET
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Timeout: 28
  Integ:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Ws
      IntegrationType: AWS_PROXY
      IntegrationUri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
  Send:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Ws
      RouteKey: sendMessage
      RouteResponseSelectionExpression: $default
      Target: !Sub integrations/${Integ}
`,
		// A route that answers (a route response): the client waits.
		want:     []string{"GL002 t.yaml:9:16 warning endpoint=sendMessage fix=26"},
		contains: []string{"sendMessage stops waiting after 29 s (the default)"},
	},
	{
		name: "GL002/default-timeout-3-below-short-integration",
		src: `
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Events:
        Post:
          Type: Api
          Properties: {Path: /x, Method: post, TimeoutInMillis: 4000}
`,
		want: []string{
			"GL001 t.yaml:9:65 info endpoint=POST /x fix=29000",
			"GL002 t.yaml:2:3 warning endpoint=POST /x fix=29000",
		},
		contains: []string{"function Fn has Timeout 3 s (not set: the default)"},
	},

	// ---------------------------------------------------------------- GL003
	{
		name: "GL003/rest-proxy-timeout-60",
		src: `
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
  Res:
    Type: AWS::ApiGateway::Resource
    Properties:
      RestApiId: !Ref Api
      ParentId: !GetAtt Api.RootResourceId
      PathPart: export
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Timeout: 60
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Res
      HttpMethod: POST
      Integration:
        Type: AWS_PROXY
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
`,
		want: []string{
			"GL002 t.yaml:13:16 warning endpoint=POST /export fix=26 (unsafe)",
			"GL003 t.yaml:14:3 warning endpoint=POST /export",
		},
		contains: []string{"POST /export waits synchronously (Lambda proxy) for function Fn, which may run 60 s, but an edge-optimized REST API can wait at most 29 s"},
		related:  []string{"t.yaml:13:16 Timeout of Fn"},
		check: func(t *testing.T, _ []byte, fs []finding.Finding) {
			for _, f := range fs {
				if f.RuleID == "GL003" && (f.Resource.LogicalID != "Method" || len(f.Fixes) != 0) {
					t.Errorf("GL003 filed under %s with %d fixes; want the Method, no fix", f.Resource.LogicalID, len(f.Fixes))
				}
			}
		},
	},
	{
		name: "GL003/http-api-timeout-30",
		src: `
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 30
      Events:
        Get:
          Type: HttpApi
          Properties: {Path: /h, Method: get}
`,
		want: []string{"GL002 t.yaml:5:16 warning endpoint=GET /h fix=27"},
	},
	{
		name: "GL003/http-api-timeout-31",
		src: `
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 31
      Events:
        Get:
          Type: HttpApi
          Properties: {Path: /h, Method: get}
`,
		want: []string{
			"GL002 t.yaml:5:16 warning endpoint=GET /h fix=27",
		},
	},
	{
		name: "GL003/async-integrations",
		src: `
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 900
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 120
      Events:
        Jobs:
          Type: SQS
          Properties: {Queue: !GetAtt Queue.Arn}
  ToQueue:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: POST
      Integration:
        Type: AWS
        IntegrationHttpMethod: POST
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:sqs:path/${AWS::AccountId}/${Queue.QueueName}
  ToStateMachine:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: PUT
      Integration:
        Type: AWS
        IntegrationHttpMethod: POST
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:states:action/StartExecution
  Http:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      ProtocolType: HTTP
  ToBus:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Http
      IntegrationType: AWS_PROXY
      IntegrationSubtype: EventBridge-PutEvents
      PayloadFormatVersion: "1.0"
  BusRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Http
      RouteKey: POST /events
      Target: !Sub integrations/${ToBus}
`,
		want: nil,
	},
	{
		name: "GL003/lambda-event",
		src: `
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Timeout: 300
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: POST
      Integration:
        Type: AWS
        IntegrationHttpMethod: POST
        Uri: !Join ["", ["arn:aws:apigateway:", !Ref "AWS::Region", ":lambda:path/2015-03-31/functions/", !GetAtt Fn.Arn, "/invocations"]]
        RequestParameters:
          integration.request.header.X-Amz-Invocation-Type: "'Event'"
`,
		want: nil,
	},
	{
		name: "GL003/regional-raised-quota-timeout-60",
		cfg:  &rules.Config{Margin: 2000 * time.Millisecond, RestMaxTimeout: 120000 * time.Millisecond},
		src: `
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      EndpointConfiguration: REGIONAL
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 60
      Events:
        Post:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /x
            Method: post
            TimeoutInMillis: 120000
`,
		want: nil,
	},
	{
		name: "GL003/regional-raised-quota-timeout-unset",
		cfg:  &rules.Config{Margin: 2000 * time.Millisecond, RestMaxTimeout: 120000 * time.Millisecond},
		src: `
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      EndpointConfiguration: {Type: REGIONAL}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 60
      Events:
        Post:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /x
            Method: post
`,
		// A raised quota does not raise the default: unset still means
		// 29 s, so GL002 fires (GL003 does not: 60 s fits the quota).
		want: []string{"GL002 t.yaml:10:16 warning endpoint=POST /x fix=26 (unsafe)"},
	},
	{
		name: "GL003/streaming",
		src: `
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      EndpointConfiguration: {Types: [REGIONAL]}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Timeout: 60
  Streamed:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: POST
      Integration:
        Type: AWS_PROXY
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2021-11-15/functions/${Fn.Arn}/response-streaming-invocations
        ResponseTransferMode: STREAM
        TimeoutInMillis: 120000
  StreamedDefault:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: GET
      Integration:
        Type: AWS_PROXY
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2021-11-15/functions/${Fn.Arn}/response-streaming-invocations
        ResponseTransferMode: STREAM
`,
		want: nil,
	},

	// ---------------------------------------------------------------- GL004
	{
		name: "GL004/edge-rest-35000",
		src: `
Resources:
  OrdersApi:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: orders}
  Confirm:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref OrdersApi
      ResourceId: !GetAtt OrdersApi.RootResourceId
      HttpMethod: POST
      Integration:
        Type: HTTP_PROXY
        IntegrationHttpMethod: POST
        Uri: https://backend.example.com/confirm
        TimeoutInMillis: 35000
`,
		want:     []string{"GL004 t.yaml:15:26 error endpoint=POST / fix=29000"},
		contains: []string{"is 35000 ms, above the edge-optimized REST API maximum of 29000 ms: the deploy fails (this limit cannot be raised)."},
	},
	{
		name: "GL004/regional-rest-35000",
		src: `
Resources:
  OrdersApi:
    Type: AWS::ApiGateway::RestApi
    Properties:
      EndpointConfiguration:
        Types:
          - REGIONAL
  Confirm:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref OrdersApi
      ResourceId: !GetAtt OrdersApi.RootResourceId
      HttpMethod: POST
      Integration:
        Type: HTTP_PROXY
        IntegrationHttpMethod: POST
        Uri: https://backend.example.com/confirm
        TimeoutInMillis: 35000
`,
		want: []string{"GL004 t.yaml:18:26 warning endpoint=POST / fix=29000"},
		contains: []string{
			`Service Quotas increase "Maximum integration timeout in milliseconds"`,
			"pass --rest-max-timeout 35000.",
		},
	},
	{
		name: "GL004/private-rest-35000-raised-quota",
		cfg:  &rules.Config{Margin: 2000 * time.Millisecond, RestMaxTimeout: 60000 * time.Millisecond},
		src: `
Resources:
  OrdersApi:
    Type: AWS::ApiGateway::RestApi
    Properties:
      EndpointConfiguration: {Types: [PRIVATE]}
  Confirm:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref OrdersApi
      ResourceId: !GetAtt OrdersApi.RootResourceId
      HttpMethod: POST
      Integration:
        Type: HTTP_PROXY
        IntegrationHttpMethod: POST
        Uri: https://backend.example.com/confirm
        TimeoutInMillis: 35000
`,
		// 35000 < 60000 deploys; and the raised quota is a ceiling, not a
		// target: 35000 is above the standard maximum, so GL001 is silent.
		want: nil,
	},
	{
		name: "GL004/regional-rest-35000-raised-quota",
		cfg:  &rules.Config{Margin: 2000 * time.Millisecond, RestMaxTimeout: 35000 * time.Millisecond},
		src: `
Resources:
  OrdersApi:
    Type: AWS::ApiGateway::RestApi
    Properties:
      EndpointConfiguration: {Types: [REGIONAL]}
  Confirm:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref OrdersApi
      ResourceId: !GetAtt OrdersApi.RootResourceId
      HttpMethod: POST
      Integration:
        Type: HTTP_PROXY
        IntegrationHttpMethod: POST
        Uri: https://backend.example.com/confirm
        TimeoutInMillis: 35000
`,
		want: nil,
	},
	{
		name: "GL004/regional-rest-above-raised-quota",
		cfg:  &rules.Config{Margin: 2000 * time.Millisecond, RestMaxTimeout: 60000 * time.Millisecond},
		src: `
Resources:
  OrdersApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      EndpointConfiguration: REGIONAL
      DefinitionBody:
        swagger: "2.0"
        paths:
          /orders:
            x-amazon-apigateway-any-method:
              x-amazon-apigateway-integration:
                type: http_proxy
                httpMethod: ANY
                uri: https://backend.example.com/orders
                timeoutInMillis: 70000
`,
		want: []string{"GL004 t.yaml:16:34 warning endpoint=ANY /orders fix=60000"},
	},
	{
		name: "GL004/api-outside-the-template",
		src: `
Parameters:
  ApiId: {Type: String}
Resources:
  M:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref ApiId
      ResourceId: abc123
      HttpMethod: GET
      Integration: {Type: HTTP_PROXY, Uri: https://example.com, TimeoutInMillis: 45000}
`,
		// Its endpoint type is unknown: neither "the deploy fails" (EDGE)
		// nor silence; a warning that says both outcomes. Its path is
		// unknown too, and is not passed off as "/".
		want:     []string{"GL004 t.yaml:10:82 warning endpoint=GET (resource abc123) fix=29000"},
		contains: []string{"API ApiId is defined outside the files checked: if it is edge-optimized the deploy fails"},
	},
	{
		name: "GL004/api-outside-the-template-raised-quota",
		cfg:  &rules.Config{Margin: 2000 * time.Millisecond, RestMaxTimeout: 60000 * time.Millisecond},
		src: `
Resources:
  M:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !ImportValue shared-api
      ResourceId: !ImportValue shared-root
      HttpMethod: GET
      Integration: {Type: HTTP_PROXY, Uri: https://example.com, TimeoutInMillis: 45000}
`,
		// The declared quota applies (the API may be Regional): no GL004;
		// and a raised quota is no target, so GL001 is silent too.
		want: nil,
	},
	{
		name: "GL004/http-api-31000",
		src: `
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 10
      Events:
        Get:
          Type: HttpApi
          Properties:
            Path: /h
            Method: get
            TimeoutInMillis: 31000
`,
		want:     []string{"GL004 t.yaml:12:30 error endpoint=GET /h fix=30000"},
		contains: []string{"above the HTTP API maximum of 30000 ms: the deploy fails"},
	},
	{
		name: "GL004/websocket-30000",
		src: `
Resources:
  Ws:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      ProtocolType: WEBSOCKET
  Integ:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Ws
      IntegrationType: HTTP_PROXY
      IntegrationMethod: POST
      IntegrationUri: https://backend.example.com/ws
      TimeoutInMillis: 30000
  Default:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Ws
      RouteKey: $default
      Target: !Sub integrations/${Integ}
`,
		want:     []string{"GL004 t.yaml:13:24 error endpoint=$default fix=29000"},
		contains: []string{"above the WebSocket API maximum of 29000 ms"},
	},
	{
		name: "GL004/streaming-120000-and-1000000",
		src: `
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Timeout: 60
  Long:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: GET
      Integration:
        Type: AWS_PROXY
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2021-11-15/functions/${Fn.Arn}/response-streaming-invocations
        ResponseTransferMode: STREAM
        TimeoutInMillis: 120000
  TooLong:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: POST
      Integration:
        Type: AWS_PROXY
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2021-11-15/functions/${Fn.Arn}/response-streaming-invocations
        ResponseTransferMode: STREAM
        TimeoutInMillis: 1000000
`,
		want:     []string{"GL004 t.yaml:29:26 error endpoint=POST / fix=900000"},
		contains: []string{"is 1000000 ms, above the edge-optimized REST API maximum of 900000 ms"},
	},

	// ---------------------------------------------------------------- GL008
	{
		name: "GL008/sam-sqs-event-300-vs-120",
		src: `
Resources:
  ReportJobsQueue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 300
  ReportWorker:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 120
      Events:
        Jobs:
          Type: SQS
          Properties:
            Queue: !GetAtt ReportJobsQueue.Arn
`,
		want:     []string{"GL008 t.yaml:5:26 warning fix=720"},
		contains: []string{"queue ReportJobsQueue has VisibilityTimeout 300 s but feeds function ReportWorker with Timeout 120 s: ", "Set VisibilityTimeout to at least 6 × 120 = 720 s."},
		related:  []string{"t.yaml:9:16 Timeout of ReportWorker", "t.yaml:11:9 event source feeding ReportWorker"},
	},
	{
		name: "GL008/default-visibility",
		src: `
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      MessageRetentionPeriod: 86400
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 10
      Events:
        Jobs:
          Type: SQS
          Properties:
            Queue: !GetAtt Queue.Arn
            BatchSize: 5
`,
		want:     []string{`GL008 t.yaml:2:3 warning fix="VisibilityTimeout: 60\n      "`},
		contains: []string{"queue Queue has VisibilityTimeout 30 s (not set: the default)"},
	},
	{
		name: "GL008/default-visibility-crlf",
		crlf: true,
		src: `
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: jobs
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Timeout: 20
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !GetAtt Queue.Arn
      FunctionName: !GetAtt Worker.Arn
`,
		want: []string{`GL008 t.yaml:2:3 warning fix="VisibilityTimeout: 120\r\n      "`},
	},
	{
		name: "GL008/default-visibility-no-properties",
		src: `
Resources:
  Queue:
    Type: AWS::SQS::Queue
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 10
      Events:
        Jobs:
          Type: SQS
          Properties: {Queue: !GetAtt Queue.Arn}
`,
		// No Properties: the fix writes them, as GL008's page promises.
		want: []string{`GL008 t.yaml:2:3 warning fix="Properties:\n      VisibilityTimeout: 60\n    "`},
	},
	{
		name: "GL008/exactly-six-times",
		src: `
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 60
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 10
      Events:
        Jobs:
          Type: SQS
          Properties: {Queue: !GetAtt Queue.Arn}
`,
		want: nil,
	},
	{
		name: "GL008/event-source-mapping",
		src: `
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 100
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Timeout: 30
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !GetAtt Queue.Arn
      FunctionName: !Ref Fn
      BatchSize: 10
`,
		want:    []string{"GL008 t.yaml:5:26 warning fix=180"},
		related: []string{"t.yaml:10:3 event source feeding Fn"},
	},
	{
		name: "GL008/capped-at-sqs-maximum",
		src: `
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 3600
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Timeout: 7300
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !GetAtt Queue.Arn
      FunctionName: !GetAtt Fn.Arn
`,
		// 7300 s is no Timeout Lambda takes: GL012 says the deploy fails.
		want: []string{"GL008 t.yaml:5:26 warning fix=43200", "GL012 t.yaml:9:16 error fix=900 (unsafe)"},
	},
	{
		name: "GL008/queue-not-in-template",
		src: `
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 120
      Events:
        Jobs:
          Type: SQS
          Properties:
            Queue: !ImportValue shared-jobs-queue-arn
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: arn:aws:sqs:us-east-1:123456789012:jobs
      FunctionName: !Ref Worker
`,
		want: nil,
	},

	{
		name: "robustness/unknowns-and-missing-pieces",
		src: `
Parameters:
  NoDefault:
    Type: Number
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
  NoIntegration:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: OPTIONS
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: !Ref NoDefault
      Events:
        Get:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /u
            Method: get
            TimeoutInMillis: !Ref NoDefault
        Jobs:
          Type: SQS
          Properties: {Queue: !GetAtt Queue.Arn}
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: !GetAtt Other.Value
  Unlinked:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !ImportValue shared-http-api
      RouteKey: GET /elsewhere
`,
		// Nothing is known well enough to judge: no finding, no panic.
		want: nil,
	},

	// -------------------------------------------- suppressions and config
	{
		name: "suppress/resource-ignore-GL002",
		lint: &driver.Config{},
		src: `
Resources:
  Quiet:
    Type: AWS::Serverless::Function
    Metadata:
      gatelint:
        ignore: [GL002]
    Properties:
      Timeout: 60
      Events:
        A:
          Type: Api
          Properties: {Path: /a, Method: get}
  Loud:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 60
      Events:
        B:
          Type: Api
          Properties: {Path: /b, Method: get}
`,
		want: []string{
			"GL003 t.yaml:10:9 warning endpoint=GET /a",
			"GL002 t.yaml:16:16 warning endpoint=GET /b fix=26 (unsafe)",
			"GL003 t.yaml:18:9 warning endpoint=GET /b",
		},
	},
	{
		name: "suppress/resource-ignore-with-reason",
		lint: &driver.Config{},
		src: `
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Metadata:
      gatelint:
        ignore:
          - id: gl008
            reason: worker extends visibility itself
    Properties:
      VisibilityTimeout: 30
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 60
      Events:
        Jobs:
          Type: SQS
          Properties: {Queue: !GetAtt Queue.Arn}
`,
		want: nil,
	},
	{
		name: "suppress/template-ignore-by-name",
		lint: &driver.Config{},
		src: `
Metadata:
  gatelint:
    ignore: [missing-async-path]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 60
      Events:
        A:
          Type: Api
          Properties: {Path: /a, Method: get}
`,
		want: []string{"GL002 t.yaml:8:16 warning endpoint=GET /a fix=26 (unsafe)"},
	},
	{
		name: "config/disabled-and-severity",
		lint: &driver.Config{
			Disabled: map[string]bool{"GL002": true},
			Severity: map[string]finding.Severity{"GL003": finding.Error},
		},
		src: `
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 60
      Events:
        A:
          Type: Api
          Properties: {Path: /a, Method: get, TimeoutInMillis: 20000}
`,
		want: []string{
			"GL003 t.yaml:7:9 error endpoint=GET /a",
			"GL001 t.yaml:9:64 info endpoint=GET /a fix=29000",
		},
	},

	// ---------------------------------------------------------------- CDK
	{
		name: "cdk/construct-path",
		file: "Stack.template.json",
		src: `
{
  "Resources": {
    "HandlerFn1234": {
      "Type": "AWS::Lambda::Function",
      "Properties": {
        "Handler": "index.handler",
        "Timeout": 60
      },
      "Metadata": {
        "aws:cdk:path": "Shop/Handler/Resource"
      }
    },
    "ShopApi5678": {
      "Type": "AWS::ApiGateway::RestApi",
      "Properties": {
        "Name": "shop"
      },
      "Metadata": {
        "aws:cdk:path": "Shop/Api/Resource"
      }
    },
    "ShopApiPOSTabcd": {
      "Type": "AWS::ApiGateway::Method",
      "Properties": {
        "HttpMethod": "POST",
        "ResourceId": {"Fn::GetAtt": ["ShopApi5678", "RootResourceId"]},
        "RestApiId": {"Ref": "ShopApi5678"},
        "Integration": {
          "Type": "AWS_PROXY",
          "IntegrationHttpMethod": "POST",
          "Uri": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":apigateway:", {"Ref": "AWS::Region"}, ":lambda:path/2015-03-31/functions/", {"Fn::GetAtt": ["HandlerFn1234", "Arn"]}, "/invocations"]]},
          "TimeoutInMillis": 10000
        }
      },
      "Metadata": {
        "aws:cdk:path": "Shop/Api/Default/POST/Resource"
      }
    }
  }
}
`,
		want: []string{
			"GL001 Stack.template.json:32:30 info endpoint=POST / fix=29000",
			"GL002 Stack.template.json:7:20 warning endpoint=POST / fix=29000,26 (unsafe)",
			"GL003 Stack.template.json:22:5 warning endpoint=POST /",
		},
		contains: []string{
			"function Shop/Handler has Timeout 60 s",
			"for function Shop/Handler, which may run 60 s",
		},
		check: func(t *testing.T, _ []byte, fs []finding.Finding) {
			want := map[string]string{"GL001": "Shop/Api/Default/POST/Resource", "GL002": "Shop/Handler/Resource", "GL003": "Shop/Api/Default/POST/Resource"}
			for _, f := range fs {
				if f.Resource.CDKPath != want[f.RuleID] {
					t.Errorf("%s: Resource.CDKPath = %q, want %q", f.RuleID, f.Resource.CDKPath, want[f.RuleID])
				}
				if f.Endpoint == nil || f.Endpoint.API != "Shop/Api" {
					t.Errorf("%s: endpoint API = %q, want the construct Shop/Api", f.RuleID, f.Endpoint.API)
				}
			}
		},
	},
	{
		name: "cdk/json-insert",
		file: "Stack.template.json",
		src: `
{
  "Resources": {
    "JobsQueue": {
      "Type": "AWS::SQS::Queue",
      "Properties": {
        "MessageRetentionPeriod": 345600
      },
      "Metadata": {"aws:cdk:path": "Shop/Jobs/Resource"}
    },
    "WorkerFn": {
      "Type": "AWS::Lambda::Function",
      "Properties": {"Timeout": 15},
      "Metadata": {"aws:cdk:path": "Shop/Worker/Resource"}
    },
    "WorkerSqsEventSource": {
      "Type": "AWS::Lambda::EventSourceMapping",
      "Properties": {
        "EventSourceArn": {"Fn::GetAtt": ["JobsQueue", "Arn"]},
        "FunctionName": {"Ref": "WorkerFn"}
      }
    }
  }
}
`,
		want:     []string{`GL008 Stack.template.json:3:5 warning fix="\"VisibilityTimeout\": 90,\n        "`},
		contains: []string{"queue Shop/Jobs has VisibilityTimeout 30 s (not set: the default) but feeds function Shop/Worker"},
	},
}

// The cases the brief names for fix round trips must exist and offer a fix.
func TestFixCasesOfferFixes(t *testing.T) {
	for name, rule := range map[string]string{
		"GL001/rest-method-10000":                 "GL001",
		"GL002/timeout-30-rest-default":           "GL002",
		"GL002/globals-timeout-integration-10000": "GL002",
		"GL004/edge-rest-35000":                   "GL004",
		"GL008/sam-sqs-event-300-vs-120":          "GL008",
		"GL008/default-visibility":                "GL008",
	} {
		c := caseNamed(t, name)
		n := 0
		for _, w := range c.want {
			if strings.HasPrefix(w, rule+" ") && strings.Contains(w, " fix=") {
				n++
			}
		}
		if n == 0 {
			t.Errorf("%s: no %s finding with a fix", name, rule)
		}
	}
}
