package rules_test

import (
	"strings"
	"testing"
	"time"

	"github.com/gatelint/gatelint/internal/driver"
	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/rules"
)

// Cases for judging what AWS really deploys (issue 11): each defect class
// has a minimal template here.

func init() { cases = append(cases, deployCases...) }

// samFn is a SAM function with the given Timeout behind POST /x on the
// implicit REST API.
func samFn(timeout string) string {
	return `
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: ` + timeout + `
      Events:
        Post:
          Type: Api
          Properties: {Path: /x, Method: post}
`
}

// safety checks the safety of every fix of a rule's findings.
func safety(rule string, want finding.Safety) func(t *testing.T, _ []byte, fs []finding.Finding) {
	return func(t *testing.T, _ []byte, fs []finding.Finding) {
		t.Helper()
		n := 0
		for _, f := range fs {
			if f.RuleID != rule {
				continue
			}
			for _, fix := range f.Fixes {
				n++
				if fix.Safety != want {
					t.Errorf("%s fix %q is %s, want %s", rule, fix.Description, fix.Safety, want)
				}
			}
		}
		if n == 0 {
			t.Errorf("no %s fix", rule)
		}
	}
}

var deployCases = []ruleCase{
	// ------------------------------------------- class 4: GL003 threshold
	{
		// A 1-second overshoot is GL002's, not a redesign.
		name: "GL003/config-30-against-29-is-not-long-work",
		src:  samFn("30"),
		want: []string{"GL002 t.yaml:5:16 warning endpoint=POST /x fix=26"},
	},
	{
		name: "GL003/config-43-below-threshold",
		src:  samFn("43"),
		want: []string{"GL002 t.yaml:5:16 warning endpoint=POST /x fix=26"},
	},
	{
		name: "GL003/config-44-at-threshold",
		src:  samFn("44"),
		want: []string{
			"GL002 t.yaml:5:16 warning endpoint=POST /x fix=26 (unsafe)",
			"GL003 t.yaml:7:9 warning endpoint=POST /x",
		},
		contains: []string{"which may run 44 s, but an edge-optimized REST API can wait at most 29 s"},
	},
	{
		name: "GL003/http-44-below-45",
		src: `
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 44
      Events:
        Get:
          Type: HttpApi
          Properties: {Path: /h, Method: get}
`,
		want: []string{"GL002 t.yaml:5:16 warning endpoint=GET /h fix=27"},
	},
	{
		name: "GL003/http-45-at-threshold",
		src: `
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 45
      Events:
        Get:
          Type: HttpApi
          Properties: {Path: /h, Method: get}
`,
		want: []string{
			"GL002 t.yaml:5:16 warning endpoint=GET /h fix=27 (unsafe)",
			"GL003 t.yaml:7:9 warning endpoint=GET /h",
		},
		contains: []string{"an HTTP API can wait at most 30 s"},
	},
	{
		name: "GL003/async-threshold-2",
		cfg:  &rules.Config{Margin: 2 * time.Second, AsyncThreshold: 2},
		src:  samFn("57"),
		want: []string{"GL002 t.yaml:5:16 warning endpoint=POST /x fix=26"},
	},
	{
		name: "GL003/async-threshold-2-at-58",
		cfg:  &rules.Config{Margin: 2 * time.Second, AsyncThreshold: 2},
		src:  samFn("58"),
		want: []string{
			"GL002 t.yaml:5:16 warning endpoint=POST /x fix=26 (unsafe)",
			"GL003 t.yaml:7:9 warning endpoint=POST /x",
		},
	},
	{
		// Timeouts at the ceiling in the logs are evidence: GL003 fires
		// for a 30 s function too.
		name: "GL003/evidence-timeouts-at-the-ceiling",
		src:  samFn("30"),
		obs:  []model.Observation{observed("POST", "/x", 100, 4, 900, 1200)},
		want: []string{
			"GL002 t.yaml:5:16 warning endpoint=POST /x fix=26 (unsafe)",
			"GL003 t.yaml:7:9 warning endpoint=POST /x",
			"GL005 t.yaml:7:9 error endpoint=POST /x",
			"GL007 t.yaml:7:9 info endpoint=POST /x",
		},
		contains: []string{"and still timed out 4 times in the access logs"},
	},
	{
		// p99 latency near the ceiling is evidence too.
		name: "GL003/evidence-latency-near-the-ceiling",
		src:  samFn("30"),
		obs:  []model.Observation{observed("POST", "/x", 40, 0, repeat(27500, 40)...)},
		want: []string{
			"GL002 t.yaml:5:16 warning endpoint=POST /x",
			"GL003 t.yaml:7:9 warning endpoint=POST /x",
			"GL006 t.yaml:7:9 warning endpoint=POST /x",
		},
		contains: []string{"p99 integration latency"},
	},
	{
		// One GL003 per function and API, not one per ANY / and ANY /{proxy+}.
		name: "GL003/one-per-function-and-api",
		src: `
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 120
      Events:
        Root:
          Type: Api
          Properties: {Path: /, Method: any}
        Proxy:
          Type: Api
          Properties: {Path: '/{proxy+}', Method: any}
`,
		want: []string{
			"GL002 t.yaml:5:16 warning endpoint=ANY / fix=26 (unsafe)",
			"GL003 t.yaml:7:9 warning endpoint=ANY /",
		},
		related: []string{"t.yaml:10:9 also waits for function Fn: ANY /{proxy+}"},
	},
	// --------------------------------- class 3: GL002's lowering is unsafe
	{
		name:     "GL002/lowering-long-work-is-unsafe",
		src:      samFn("120"),
		want:     []string{"GL002 t.yaml:5:16 warning endpoint=POST /x fix=26 (unsafe)", "GL003 t.yaml:7:9 warning endpoint=POST /x"},
		contains: []string{"lowering Timeout is unsafe", "--unsafe-fixes"},
		check:    safety("GL002", finding.Unsafe),
	},
	{
		name:  "GL002/lowering-a-small-overshoot-is-safe",
		src:   samFn("30"),
		want:  []string{"GL002 t.yaml:5:16 warning endpoint=POST /x fix=26"},
		check: safety("GL002", finding.Safe),
	},
	{
		// 20 s against a 10 s wait GL001 raises to 29 s: raising comes
		// first and is safe; lowering to 7 s is the alternative.
		name: "GL002/raise-first-then-lower",
		src: `
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 20
      Events:
        Post:
          Type: Api
          Properties: {Path: /x, Method: post, TimeoutInMillis: 10000}
`,
		want: []string{
			"GL001 t.yaml:9:65 info endpoint=POST /x fix=29000",
			"GL002 t.yaml:5:16 warning endpoint=POST /x fix=29000",
		},
		check: safety("GL002", finding.Safe),
	},
	{
		// A 20 s function behind a 5 s HTTP integration whose wait comes
		// from a parameter, which no fix raises: 20 s is far above it.
		name: "GL002/far-above-the-wait",
		src: `
Parameters:
  Wait: {Type: Number, Default: 5000}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 20
      Events:
        Get:
          Type: HttpApi
          Properties: {Path: /h, Method: get, TimeoutInMillis: !Ref Wait}
`,
		want:     []string{"GL001 t.yaml:11:64 info endpoint=GET /h", "GL002 t.yaml:7:16 warning endpoint=GET /h fix=2 (unsafe)"},
		contains: []string{"its 20 s is far above the 5 s its callers can wait"},
		check:    safety("GL002", finding.Unsafe),
	},
	// --------------------- class 6: a raised ceiling is not a target
	{
		name: "GL001/raised-quota-is-not-a-target",
		cfg:  &rules.Config{Margin: 2 * time.Second, RestMaxTimeout: 60 * time.Second},
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
      Timeout: 45
      Events:
        Post:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /x, Method: post, TimeoutInMillis: 50000}
`,
		want: nil,
	},
	{
		// Declared at 60 s without the quota: either it deploys with the
		// raised quota and waits 60 s, or it does not deploy. A 50 s
		// function fits that wait.
		name: "GL004/declared-60000-is-intent",
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
      Timeout: 50
      Events:
        Post:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /x, Method: post, TimeoutInMillis: 60000}
`,
		want:     []string{"GL004 t.yaml:14:86 warning endpoint=POST /x fix=29000"},
		contains: []string{"it deploys only after the Service Quotas increase"},
	},
	{
		name: "GL003/declared-60000-judged-against-60",
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
      Timeout: 90
      Events:
        Post:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /x, Method: post, TimeoutInMillis: 60000}
`,
		want: []string{
			"GL002 t.yaml:10:16 warning endpoint=POST /x fix=57 (unsafe)",
			"GL003 t.yaml:12:9 warning endpoint=POST /x",
			"GL004 t.yaml:14:86 warning endpoint=POST /x fix=29000",
		},
		contains: []string{"stops waiting after 60 s", "the integration waits at most 60 s"},
	},
}

// wsAPI is a WebSocket API with a $connect, a $disconnect, a one-way
// route and a two-way route (a route response), each on its own
// function.
const wsAPI = `
Resources:
  Ws:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      ProtocolType: WEBSOCKET
      RouteSelectionExpression: $request.body.action
  Connect:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref Ws, RouteKey: $connect, Target: !Sub "integrations/${ConnectInteg}"}
  ConnectInteg:
    Type: AWS::ApiGatewayV2::Integration
    Properties: {ApiId: !Ref Ws, IntegrationType: AWS_PROXY, IntegrationUri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${ConnectFn.Arn}/invocations"}
  ConnectFn:
    Type: AWS::Lambda::Function
    Properties: {Timeout: 60}
  Disconnect:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref Ws, RouteKey: $disconnect, Target: !Sub "integrations/${DisconnectInteg}"}
  DisconnectInteg:
    Type: AWS::ApiGatewayV2::Integration
    Properties: {ApiId: !Ref Ws, IntegrationType: AWS_PROXY, IntegrationUri: !GetAtt DisconnectFn.Arn, TimeoutInMillis: 5000}
  DisconnectFn:
    Type: AWS::Lambda::Function
    Properties: {Timeout: 300}
  Send:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref Ws, RouteKey: sendmessage, Target: !Sub "integrations/${SendInteg}"}
  SendInteg:
    Type: AWS::ApiGatewayV2::Integration
    Properties: {ApiId: !Ref Ws, IntegrationType: AWS_PROXY, IntegrationUri: !GetAtt SendFn.Arn, TimeoutInMillis: 10000}
  SendFn:
    Type: AWS::Lambda::Function
    Properties: {Timeout: 300}
  Ask:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref Ws, RouteKey: ask, RouteResponseSelectionExpression: $default, Target: !Sub "integrations/${AskInteg}"}
  AskResponse:
    Type: AWS::ApiGatewayV2::RouteResponse
    Properties: {ApiId: !Ref Ws, RouteId: !Ref Ask, RouteResponseKey: $default}
  AskInteg:
    Type: AWS::ApiGatewayV2::Integration
    Properties: {ApiId: !Ref Ws, IntegrationType: AWS_PROXY, IntegrationUri: !GetAtt AskFn.Arn}
  AskFn:
    Type: AWS::Lambda::Function
    Properties: {Timeout: 120}
  Stage:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref Ws
      StageName: prod
      AccessLogSettings:
        DestinationArn: arn:aws:logs:eu-west-1:123456789012:log-group:ws
        Format: '{"requestId":"$context.requestId","eventType":"$context.eventType"}'
`

var wsCases = []ruleCase{
	// ------------------------------------------- class 2: WebSocket APIs
	{
		// Nobody waits on $disconnect or on a route without a route
		// response: no GL001, GL002 or GL003 there. $connect holds the
		// client's upgrade request: GL002 judges it (GL003's queue does
		// not apply to a handshake). The two-way route is judged fully.
		name: "websocket/who-waits",
		src:  wsAPI,
		want: []string{
			"GL002 t.yaml:15:27 warning endpoint=$connect fix=26 (unsafe)",
			"GL002 t.yaml:45:27 warning endpoint=ask fix=26 (unsafe)",
			"GL003 t.yaml:36:44 warning endpoint=ask",
		},
		contains: []string{
			"the client's connection was refused, and a reconnect runs it twice",
			"the client got an error message instead of the answer, and a retry runs it twice",
			"send the result back over the connection (the @connections API)",
		},
	},
	{
		name: "GL009/websocket-fields",
		src:  wsAPI,
		check: func(t *testing.T, _ []byte, fs []finding.Finding) {
			for _, f := range fs {
				if f.RuleID != "GL009" {
					continue
				}
				want := "Add $context.routeKey, $context.status, $context.integrationLatency, $context.error.responseType."
				if !strings.HasSuffix(f.Message, want) || strings.Contains(f.Message, "httpMethod") || strings.Contains(f.Message, "responseLatency") {
					t.Errorf("GL009 on a WebSocket stage: %s\nwant it to end %q", f.Message, want)
				}
				if len(f.Fixes) != 1 || !strings.Contains(f.Fixes[0].Edits[0].NewText, `"routeKey":"$context.routeKey"`) {
					t.Errorf("GL009 fix %+v", f.Fixes)
				}
				return
			}
			t.Error("no GL009")
		},
		want: []string{
			"GL002 t.yaml:15:27 warning endpoint=$connect fix=26 (unsafe)",
			"GL002 t.yaml:45:27 warning endpoint=ask fix=26 (unsafe)",
			"GL003 t.yaml:36:44 warning endpoint=ask",
			`GL009 t.yaml:53:17 info fix="'{\"requestId\":\"$context.requestId\",\"eventType\":\"$context.eventType\",\"routeKey\":\"$context.routeKey\",\"status\":\"$context.status\",\"integrationLatency\":\"$context.integrationLatency\",\"errorResponseType\":\"$context.error.responseType\"}'"`,
		},
	},
}

func init() { cases = append(cases, wsCases...) }

var smallCases = []ruleCase{
	// ------------------------------------------- class 7: smaller ones
	{
		// A queue without Properties still gets its VisibilityTimeout.
		name: "GL008/queue-without-properties",
		src: `
Resources:
  Jobs:
    Type: AWS::SQS::Queue
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 20
      Events:
        Q: {Type: SQS, Properties: {Queue: !GetAtt Jobs.Arn}}
`,
		want: []string{`GL008 t.yaml:2:3 warning fix="Properties:\n      VisibilityTimeout: 120\n    "`},
	},
	{
		name: "GL008/queue-with-empty-properties",
		src: `
Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties: {}
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 20
      Events:
        Q: {Type: SQS, Properties: {Queue: !GetAtt Jobs.Arn}}
`,
		want: []string{`GL008 t.yaml:2:3 warning fix="{VisibilityTimeout: 120}"`},
	},
	{
		// SAM gives an explicit Api the stage its StageName says; without
		// one gatelint does not invent "Prod" (that is the implicit API's).
		name: "GL009/explicit-api-without-stage-name",
		src: `
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      EndpointConfiguration: REGIONAL
`,
		want:     []string{"GL009 t.yaml:2:3 info"},
		contains: []string{"the stage of Api writes no access logs"},
	},
	{
		// Access logs behind a condition: the message names it, and the
		// enabled branch's format is judged too.
		name: "GL009/access-log-setting-if",
		src: `
Parameters:
  Logs: {Type: String}
Conditions:
  WithLogs: !Equals [!Ref Logs, "on"]
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      AccessLogSetting: !If
        - WithLogs
        - DestinationArn: arn:aws:logs:eu-west-1:123456789012:log-group:api
          Format: '$context.requestId $context.status'
        - !Ref AWS::NoValue
`,
		want: []string{
			"GL009 t.yaml:10:25 info",
			`GL009 t.yaml:13:19 info fix="'$context.requestId $context.status $context.httpMethod $context.resourcePath $context.integrationLatency $context.responseLatency $context.error.responseType'"`,
		},
		contains: []string{
			"stage prod of Api writes no access logs when WithLogs is false",
			"the access-log format of stage prod of Api (when WithLogs is true) has a status but no integration latency",
		},
	},
	{
		// A key=value format gets key=value pairs.
		name: "GL009/key-value-format",
		src: `
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      AccessLogSetting:
        DestinationArn: arn:aws:logs:eu-west-1:123456789012:log-group:api
        Format: 'requestId=$context.requestId ip=$context.identity.sourceIp status=$context.status'
`,
		want: []string{`GL009 t.yaml:8:17 info fix="'requestId=$context.requestId ip=$context.identity.sourceIp status=$context.status httpMethod=$context.httpMethod resourcePath=$context.resourcePath integrationLatency=$context.integrationLatency responseLatency=$context.responseLatency errorResponseType=$context.error.responseType'"`},
	},
}

func init() { cases = append(cases, smallCases...) }

var samMergeCases = []ruleCase{
	// ------------- class 1: SAM events against a user's DefinitionBody
	{
		// SAM deploys the operation as written: its timeoutInMillis
		// counts, the event adds only the permission.
		name: "sam-merge/rest-body-timeout-wins",
		src: `
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        openapi: "3.0.1"
        paths:
          /x:
            post:
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
                timeoutInMillis: 5000
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 10
      Events:
        Post:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /x, Method: post}
`,
		want: []string{
			"GL001 t.yaml:15:34 info endpoint=POST /x fix=29000",
			"GL002 t.yaml:19:16 warning endpoint=POST /x fix=29000",
		},
		contains: []string{"stops waiting after 5 s"},
	},
	{
		// A streamed operation waits as long as it says, not 29 s: a
		// 120 s function behind it is neither GL002's nor GL003's.
		name: "sam-merge/rest-body-streaming",
		src: `
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      EndpointConfiguration: REGIONAL
      DefinitionBody:
        openapi: "3.0.1"
        paths:
          /chat:
            post:
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2021-11-15/functions/${Fn.Arn}/response-streaming-invocations
                responseTransferMode: STREAM
                timeoutInMillis: 900000
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 120
      Events:
        Chat:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /chat, Method: post}
`,
		want: nil,
	},
	{
		// HttpApi: SAM keeps the operation's integration (its uri, so its
		// function) and merges the event's TimeoutInMillis into it.
		name: "sam-merge/http-body-keeps-uri-takes-timeout",
		src: `
Resources:
  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionBody:
        openapi: "3.0.1"
        paths:
          /h:
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                payloadFormatVersion: "2.0"
                uri: !GetAtt Other.Arn
  Other:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 10
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 3
      Events:
        Get:
          Type: HttpApi
          Properties: {ApiId: !Ref Http, Path: /h, Method: get, TimeoutInMillis: 5000}
`,
		want: []string{
			"GL001 t.yaml:26:82 info endpoint=GET /h fix=30000",
			"GL002 t.yaml:18:16 warning endpoint=GET /h fix=30000",
		},
		contains: []string{"function Other has Timeout 10 s but GET /h stops waiting after 5 s"},
	},
	{
		// MergeDefinitions: the event's generated operation wins.
		name: "sam-merge/rest-merge-definitions",
		src: `
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      MergeDefinitions: true
      DefinitionBody:
        openapi: "3.0.1"
        paths:
          /x:
            post:
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
                timeoutInMillis: 5000
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 10
      Events:
        Post:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /x, Method: post}
`,
		want: nil,
	},
	{
		// The body has no such operation: SAM adds only the permission,
		// so nothing is deployed at /y for the 60 s function to outlive.
		name: "sam-merge/rest-event-not-in-body",
		src: `
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        openapi: "3.0.1"
        paths:
          /x:
            get:
              x-amazon-apigateway-integration: {type: mock}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 60
      Events:
        Post:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /y, Method: post}
`,
		want: nil,
	},
}

func init() { cases = append(cases, samMergeCases...) }

// envTemplate is a template whose Timeout depends on a condition over a
// parameter with AllowedValues.
const envTemplate = `
Parameters:
  Env:
    Type: String
    Default: dev
    AllowedValues: [dev, staging, prod]
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
  Reports:
    Type: AWS::Serverless::Function
    Condition: IsProd
    Properties:
      Timeout: 28
      Events:
        Get:
          Type: Api
          Properties: {Path: /r, Method: get}
`

var scenarioCases = []ruleCase{
	// ------------------------------ class 5: scenarios from AllowedValues
	{
		// Env's Default is dev, but the template allows prod: prod is
		// judged too, and the message says the finding holds there only.
		// Reports exists only in prod, and is judged there.
		name: "scenario/allowed-values-judged-each",
		src:  envTemplate,
		lint: &driver.Config{},
		want: []string{
			"GL002 t.yaml:12:29 warning endpoint=POST /x fix=26 (unsafe)",
			"GL003 t.yaml:14:9 warning endpoint=POST /x",
			"GL002 t.yaml:21:16 warning endpoint=GET /r fix=26",
		},
		contains: []string{
			"when IsProd (Env=prod), function Fn has Timeout 60 s but POST /x stops waiting after 29 s",
			"when IsProd (Env=prod), POST /x waits synchronously",
			"when IsProd (Env=prod), function Reports has Timeout 28 s",
		},
	},
	{
		// A finding that holds in every scenario says nothing of them.
		name: "scenario/holds-in-all-said-once",
		src:  strings.Replace(envTemplate, "!If [IsProd, 60, 10]", "!If [IsProd, 60, 30]", 1),
		lint: &driver.Config{},
		want: []string{
			"GL002 t.yaml:12:29 warning endpoint=POST /x fix=26 (unsafe)",
			"GL002 t.yaml:12:33 warning endpoint=POST /x fix=26",
			"GL003 t.yaml:14:9 warning endpoint=POST /x",
			"GL002 t.yaml:21:16 warning endpoint=GET /r fix=26",
		},
		contains: []string{
			"when not IsProd (Env=dev or staging), function Fn has Timeout 30 s",
		},
	},
	{
		// Without AllowedValues, the Default decides, as before.
		name: "scenario/default-only",
		src:  strings.Replace(envTemplate, "    AllowedValues: [dev, staging, prod]\n", "", 1),
		lint: &driver.Config{},
		want: nil,
	},
	{
		// A value given on the command line fixes the scenario.
		name:   "scenario/param-given",
		src:    envTemplate,
		params: map[string]string{"Env": "prod"},
		lint:   &driver.Config{},
		want: []string{
			"GL002 t.yaml:12:29 warning endpoint=POST /x fix=26 (unsafe)",
			"GL003 t.yaml:14:9 warning endpoint=POST /x",
			"GL002 t.yaml:21:16 warning endpoint=GET /r fix=26",
		},
		check: func(t *testing.T, _ []byte, fs []finding.Finding) {
			for _, f := range fs {
				if strings.HasPrefix(f.Message, "when ") {
					t.Errorf("a scenario named though Env was given: %s", f.Message)
				}
			}
		},
	},
}

func init() { cases = append(cases, scenarioCases...) }

var oneValueCases = []ruleCase{
	{
		// One VisibilityTimeout literal, two scenarios asking 120 and 360:
		// both fixes write 360, which serves both; raising is safe.
		name: "scenario/one-edit-serves-every-scenario",
		src: `
Parameters:
  Env: {Type: String, Default: dev, AllowedValues: [dev, prod]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 30
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: !If [IsProd, 60, 20]
      Events:
        Q: {Type: SQS, Properties: {Queue: !GetAtt Jobs.Arn}}
`,
		lint: &driver.Config{},
		want: []string{
			"GL008 t.yaml:9:26 warning fix=360",
			"GL008 t.yaml:9:26 warning fix=360",
		},
		contains: []string{"when not IsProd (Env=dev), queue Jobs", "when IsProd (Env=prod), queue Jobs"},
		check: func(t *testing.T, _ []byte, fs []finding.Finding) {
			for _, f := range fs {
				if d := f.Fixes[0].Description; f.Fixes[0].Safety != finding.Safe || (!strings.HasSuffix(d, "to 360") && d != "set VisibilityTimeout of Jobs to 360, which every scenario of the file needs") {
					t.Errorf("fix %q (%s)", d, f.Fixes[0].Safety)
				}
			}
		},
	},
}

func init() { cases = append(cases, oneValueCases...) }
