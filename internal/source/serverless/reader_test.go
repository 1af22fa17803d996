package serverless

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source"
	"github.com/gatelint/gatelint/internal/source/yamlpos"
)

const head = "service: shop\nprovider:\n  name: aws\n  runtime: python3.12\n"

func TestNaming(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{lambdaLogicalID("hello"), "HelloLambdaFunction"},
		{lambdaLogicalID("hello-world"), "HelloDashworldLambdaFunction"},
		{lambdaLogicalID("get_user"), "GetUnderscoreuserLambdaFunction"},
		{lambdaLogicalID("createOrder"), "CreateOrderLambdaFunction"},
		{methodLogicalID("/users/{id}", "get"), "ApiGatewayMethodUsersIdVarGet"},
		{methodLogicalID("users/{userId}/", "POST"), "ApiGatewayMethodUsersUseridVarPost"},
		{methodLogicalID("/", "get"), "ApiGatewayMethodGet"},
		{methodLogicalID("my-items/{proxy+}", "any"), "ApiGatewayMethodMyDashitemsProxyVarAny"},
		{httpAPIRouteLogicalID("GET /orders/{id}"), "HttpApiRouteGetOrdersIdVar"},
		{httpAPIRouteLogicalID("*"), "HttpApiRouteDefault"},
		{httpAPIIntegrationLogicalID("list-orders"), "HttpApiIntegrationListDashorders"},
		{websocketRouteLogicalID("$connect"), "SconnectWebsocketsRoute"},
		{websocketRouteLogicalID("chat/send-message"), "chatSlashsendDashmessageWebsocketsRoute"},
		{websocketIntegrationLogicalID("ws"), "WsWebsocketsIntegration"},
		{sqsMappingLogicalID("worker", "jobs-queue"), "WorkerEventSourceMappingSQSJobsqueue"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %s, want %s", tt.got, tt.want)
		}
	}
}

func TestRecognition(t *testing.T) {
	for _, tt := range []struct {
		name, src string
		claimed   bool
	}{
		{"aws service", head, true},
		{"provider: aws", "service: x\nprovider: aws\n", true},
		{"another cloud", "service: x\nprovider:\n  name: google\n", false},
		{"no service", "provider:\n  name: aws\n", false},
		{"other YAML", "version: 2\njobs: {}\n", false},
		{"CloudFormation", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, o, _ := readService(t, tt.src, nil)
			if o.Claimed != tt.claimed {
				t.Errorf("claimed %v, want %v (%+v)", o.Claimed, tt.claimed, o)
			}
			if !tt.claimed && (o.Label != "" || len(o.Errors) > 0) {
				t.Errorf("a declined file says something: %+v", o)
			}
		})
	}
	// A broken service file is claimed, with its line.
	_, o, _ := readService(t, "service: x\nprovider:\n  name: aws\n  timeout: [\n", nil)
	if !o.Claimed || len(o.Errors) != 1 || o.Errors[0].Line == 0 {
		t.Errorf("broken service: %+v", o)
	}
	for _, n := range []string{"serverless.yml", "serverless.yaml", "serverless.json", "serverless.ts", "sub/serverless.js"} {
		if !(Reader{}).Wants(n) {
			t.Errorf("does not want %s", n)
		}
	}
	if (Reader{}).Wants("template.yaml") {
		t.Error("wants template.yaml")
	}
}

func TestCodeService(t *testing.T) {
	b := model.NewBuilder()
	o := Reader{}.Read(&source.File{Path: "app/serverless.ts", Data: []byte("const serverlessConfiguration = { service: 'x', provider: { name: 'aws' } };")}, b)
	if !o.Claimed || o.Read {
		t.Errorf("outcome %+v", o)
	}
	if n := b.Model().Notes; len(n) != 1 || !strings.Contains(n[0].Message, "serverless print") || !strings.Contains(n[0].Message, "cloudformation-template-update-stack.json") {
		t.Errorf("notes %+v", n)
	}
}

func TestEvents(t *testing.T) {
	for _, tt := range []struct {
		name, src string
		want      []string
		note      string
	}{
		{"http long", "functions:\n  hello:\n    handler: h.main\n    events:\n      - http:\n          path: /users/{id}\n          method: get\n",
			[]string{"REST GET /users/{id} ApiGatewayMethodUsersIdVarGet Lambda proxy 29 s default -> HelloLambdaFunction client"}, ""},
		{"http short", "functions:\n  hello:\n    handler: h.main\n    events:\n      - http: POST orders\n",
			[]string{"REST POST /orders ApiGatewayMethodOrdersPost Lambda proxy 29 s default -> HelloLambdaFunction client"}, ""},
		{"http root any", "functions:\n  hello:\n    handler: h.main\n    events:\n      - http: ANY /\n",
			[]string{"REST ANY / ApiGatewayMethodAny Lambda proxy 29 s default -> HelloLambdaFunction client"}, ""},
		{"http async", "functions:\n  hello:\n    handler: h.main\n    events:\n      - http:\n          path: jobs\n          method: post\n          async: true\n",
			[]string{"REST POST /jobs ApiGatewayMethodJobsPost asynchronous Lambda (Event) 29 s default -> HelloLambdaFunction client"}, ""},
		{"http lambda integration", "functions:\n  hello:\n    handler: h.main\n    events:\n      - http:\n          path: x\n          method: get\n          integration: lambda\n",
			[]string{"REST GET /x ApiGatewayMethodXGet synchronous Lambda 29 s default -> HelloLambdaFunction client"}, ""},
		{"http cors", "functions:\n  hello:\n    handler: h.main\n    events:\n      - http:\n          path: x\n          method: get\n          cors: true\n",
			[]string{"REST GET /x ApiGatewayMethodXGet Lambda proxy 29 s default -> HelloLambdaFunction client", "REST OPTIONS /x ApiGatewayMethodXOptions mock 29 s default client"}, ""},
		{"http v3 ignores timeoutInMillis", "functions:\n  hello:\n    handler: h.main\n    events:\n      - http:\n          path: x\n          method: get\n          timeoutInMillis: 10000\n",
			[]string{"REST GET /x ApiGatewayMethodXGet Lambda proxy 29 s default -> HelloLambdaFunction client"}, "Serverless Framework v4 only"},
		{"http v4 timeoutInMillis", "frameworkVersion: '4'\nfunctions:\n  hello:\n    handler: h.main\n    events:\n      - http:\n          path: x\n          method: get\n          timeoutInMillis: 10000\n",
			[]string{"REST GET /x ApiGatewayMethodXGet Lambda proxy 10 s literal -> HelloLambdaFunction client"}, ""},
		{"http v4 provider timeoutInMillis", "frameworkVersion: '^4.1.0'\nprovider:\n  name: aws\n  apiGateway:\n    timeoutInMillis: 15000\nfunctions:\n  hello:\n    handler: h.main\n    events:\n      - http: GET x\n",
			[]string{"REST GET /x ApiGatewayMethodXGet Lambda proxy 15 s inherited -> HelloLambdaFunction client"}, ""},
		{"http v4 stream", "frameworkVersion: '4'\nfunctions:\n  hello:\n    handler: h.main\n    events:\n      - http:\n          path: x\n          method: get\n          response:\n            transferMode: STREAM\n",
			[]string{"REST GET /x ApiGatewayMethodXGet Lambda proxy 29 s default -> HelloLambdaFunction streaming client"}, ""},
		{"http v3 stream", "functions:\n  hello:\n    handler: h.main\n    events:\n      - http:\n          path: x\n          method: get\n          response:\n            transferMode: STREAM\n",
			[]string{"REST GET /x ApiGatewayMethodXGet Lambda proxy 29 s default -> HelloLambdaFunction client"}, "does not stream"},
		{"httpApi long", "functions:\n  hello:\n    handler: h.main\n    events:\n      - httpApi:\n          method: post\n          path: /orders\n",
			[]string{"HTTP POST /orders HttpApiRoutePostOrders Lambda proxy 30 s default -> HelloLambdaFunction client"}, ""},
		{"httpApi short", "functions:\n  hello:\n    handler: h.main\n    events:\n      - httpApi: 'GET /orders/{id}'\n      - httpApi: 'DELETE /orders/{id}'\n",
			[]string{"HTTP DELETE /orders/{id} HttpApiRouteDeleteOrdersIdVar Lambda proxy 30 s default -> HelloLambdaFunction client",
				"HTTP GET /orders/{id} HttpApiRouteGetOrdersIdVar Lambda proxy 30 s default -> HelloLambdaFunction client"}, ""},
		{"httpApi star", "functions:\n  hello:\n    handler: h.main\n    events:\n      - httpApi: '*'\n",
			[]string{"HTTP $default HttpApiRouteDefault Lambda proxy 30 s default -> HelloLambdaFunction client"}, ""},
		{"httpApi method star", "functions:\n  hello:\n    handler: h.main\n    events:\n      - httpApi:\n          method: '*'\n          path: /any\n",
			[]string{"HTTP ANY /any HttpApiRouteAnyAny Lambda proxy 30 s default -> HelloLambdaFunction client"}, ""},
		{"httpApi extension", "functions:\n  hello:\n    handler: h.main\n    events:\n      - httpApi: 'GET /x'\nresources:\n  extensions:\n    HttpApiIntegrationHello:\n      Properties:\n        TimeoutInMillis: 12000\n",
			[]string{"HTTP GET /x HttpApiRouteGetX Lambda proxy 12 s literal -> HelloLambdaFunction client"}, ""},
		{"websocket", "functions:\n  ws:\n    handler: h.main\n    events:\n      - websocket: $connect\n      - websocket:\n          route: $disconnect\n      - websocket: $default\n      - websocket:\n          route: send\n          routeResponseSelectionExpression: $default\n",
			[]string{"WEBSOCKET $connect SconnectWebsocketsRoute Lambda proxy 29 s default -> WsLambdaFunction connection",
				"WEBSOCKET $default SdefaultWebsocketsRoute Lambda proxy 29 s default -> WsLambdaFunction nobody",
				"WEBSOCKET $disconnect SdisconnectWebsocketsRoute Lambda proxy 29 s default -> WsLambdaFunction nobody",
				"WEBSOCKET send sendWebsocketsRoute Lambda proxy 29 s default -> WsLambdaFunction client"}, ""},
		{"external REST API", "provider:\n  name: aws\n  apiGateway:\n    restApiId: abc123\nfunctions:\n  hello:\n    handler: h.main\n    events:\n      - http: GET x\n",
			[]string{"REST GET /x ApiGatewayMethodXGet Lambda proxy 29 s default -> HelloLambdaFunction client"}, "is not defined in this service"},
		{"other events", "functions:\n  hello:\n    handler: h.main\n    events:\n      - schedule: rate(1 minute)\n      - alb:\n          listenerArn: arn\n          priority: 1\n", nil, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src := tt.src
			if !strings.Contains(src, "provider:") {
				src = head + src
			} else {
				src = "service: shop\n" + src
			}
			m, o, _ := readService(t, src, nil)
			if len(o.Errors) > 0 {
				t.Fatalf("errors %v", o.Errors)
			}
			if got := endpoints(m); !slices.Equal(got, tt.want) {
				t.Errorf("endpoints\n got %q\nwant %q", got, tt.want)
			}
			notes := ""
			for _, n := range m.Notes {
				notes += n.Message + "\n"
			}
			if tt.note != "" && !strings.Contains(notes, tt.note) {
				t.Errorf("notes %q lack %q", notes, tt.note)
			}
			if tt.note == "" && notes != "" {
				t.Errorf("unexpected notes %q", notes)
			}
		})
	}
}

func TestAPIs(t *testing.T) {
	src := head + "  stage: prod\n  endpointType: REGIONAL\nfunctions:\n  a:\n    handler: h.a\n    events:\n      - http: GET a\n      - httpApi: GET /a\n      - websocket: $connect\n"
	m, _, _ := readService(t, src, nil)
	want := map[model.APIType]string{model.REST: "prod-shop REGIONAL", model.HTTP: "prod-shop ", model.WebSocket: "prod-shop-websockets "}
	if len(m.APIs) != 3 {
		t.Fatalf("%d APIs", len(m.APIs))
	}
	for _, api := range m.APIs {
		if got := api.Name + " " + string(api.EndpointType); got != want[api.Type] {
			t.Errorf("%s: %q, want %q", api.Type, got, want[api.Type])
		}
		if len(api.Stages) != 1 {
			t.Errorf("%s has %d stages", api.Type, len(api.Stages))
		}
		if api.Resource.Tags[logicalIDTag] != api.Resource.Address || api.Resource.Tags[stackNameTag] != "shop-prod" {
			t.Errorf("%s tags %v", api.Type, api.Resource.Tags)
		}
	}
	if fn := fnNamed(t, m, "a"); fn.Name != "shop-prod-a" {
		t.Errorf("deployed name %q", fn.Name)
	}
	// --param stage=qa wins over provider.stage (the resolver's Stage).
	m, o, _ := readService(t, src, map[string]string{"stage": "qa"})
	if !slices.Contains(o.Declared, "stage") {
		t.Errorf("declares %v", o.Declared)
	}
	if fn := fnNamed(t, m, "a"); fn.Name != "shop-qa-a" || m.APIs[0].Name != "qa-shop" {
		t.Errorf("with stage qa: %q, %q", fn.Name, m.APIs[0].Name)
	}
	// A name of its own, and shouldStartNameWithService.
	m, _, _ = readService(t, head+"  apiGateway:\n    shouldStartNameWithService: true\nfunctions:\n  a:\n    name: custom-a\n    handler: h.a\n    events:\n      - http: GET a\n", nil)
	if fn := fnNamed(t, m, "a"); fn.Name != "custom-a" || m.APIs[0].Name != "shop-dev" || m.APIs[0].EndpointType != model.Edge {
		t.Errorf("got %q, %q %s", fn.Name, m.APIs[0].Name, m.APIs[0].EndpointType)
	}
}

func TestFunctionTimeouts(t *testing.T) {
	src := head + "  timeout: 40\nfunctions:\n  own:\n    handler: h.own\n    timeout: 60\n  inherits:\n    handler: h.inherits\n    events:\n      - http: GET x\n"
	m, _, path := readService(t, src, nil)
	data, _ := os.ReadFile(path)
	own := fnNamed(t, m, "own").Timeout[0]
	if !own.Known || own.D != 60*sec || own.Origin != model.Literal || own.Setting != "timeout" || own.Loc.Start.Line != 9 {
		t.Errorf("own: %+v", own)
	}
	if got := string(apply(t, data, own.Remedy.Edit(26*sec))); !strings.Contains(got, "    timeout: 26\n") || strings.Contains(got, "timeout: 60") {
		t.Errorf("own edit:\n%s", got)
	}
	inh := fnNamed(t, m, "inherits").Timeout[0]
	if inh.D != 40*sec || inh.Origin != model.Inherited || inh.Via.Name != "provider.timeout" || inh.Via.Loc.Start.Line != 5 || !inh.Via.Locate {
		t.Errorf("inherited: %+v", inh)
	}
	// The fix gives the function its own timeout; provider.timeout stays.
	got := string(apply(t, data, inh.Remedy.Edit(26*sec)))
	if !strings.Contains(got, "  inherits:\n    timeout: 26\n    handler: h.inherits\n") || !strings.Contains(got, "  timeout: 40\n") {
		t.Errorf("inherited edit:\n%s", got)
	}
	if err := (Reader{}).Reparse(path, data, []byte(got)); err != nil {
		t.Errorf("reparse of the fix: %v", err)
	}
	// No timeout anywhere: the framework's 6 s, not Lambda's 3 s.
	m, _, path = readService(t, head+"functions:\n  bare:\n    handler: h.bare\n", nil)
	data, _ = os.ReadFile(path)
	d := fnNamed(t, m, "bare").Timeout[0]
	if d.D != 6*sec || d.Origin != model.Default || d.Loc.Start.Line != 6 {
		t.Errorf("default: %+v", d)
	}
	if got := string(apply(t, data, d.Remedy.Edit(10*sec))); !strings.Contains(got, "  bare:\n    timeout: 10\n    handler: h.bare\n") {
		t.Errorf("default edit:\n%s", got)
	}
	// A timeout that is not a number is unknown, never zero.
	m, _, _ = readService(t, head+"functions:\n  odd:\n    handler: h.odd\n    timeout: soon\n", nil)
	if v := fnNamed(t, m, "odd").Timeout[0]; v.Known || !strings.Contains(v.Unknown, "not a number") {
		t.Errorf("odd: %+v", v)
	}
	// resources.extensions overrides the generated function's Timeout.
	m, _, _ = readService(t, head+"functions:\n  ext:\n    handler: h.ext\n    timeout: 10\nresources:\n  extensions:\n    ExtLambdaFunction:\n      Properties:\n        Timeout: 50\n", nil)
	if v := fnNamed(t, m, "ext").Timeout[0]; v.D != 50*sec || v.Setting != "Timeout" {
		t.Errorf("extension: %+v", v)
	}
}

func TestCode(t *testing.T) {
	src := head + "  environment:\n    TABLE: orders\n    SHARED: a\nfunctions:\n  get:\n    handler: src/app.handler\n    runtime: nodejs20.x\n    environment:\n      SHARED: b\n"
	m, _, path := readService(t, src, nil)
	fn := fnNamed(t, m, "get")
	if fn.Code == nil || fn.Code.Dir != filepath.Dir(path) || fn.Code.Handler != "src/app.handler" || fn.Code.Runtime != "nodejs20.x" {
		t.Fatalf("code %+v", fn.Code)
	}
	if fn.Env["TABLE"].Value != "orders" || fn.Env["TABLE"].Via != "provider.environment" || fn.Env["SHARED"].Value != "b" || fn.Env["SHARED"].Via != "" {
		t.Errorf("env %+v", fn.Env)
	}
	m, _, _ = readService(t, head+"functions:\n  get:\n    handler: app.handler\n", nil)
	if c := fnNamed(t, m, "get").Code; c.Runtime != "python3.12" {
		t.Errorf("provider runtime not inherited: %+v", c)
	}
	m, _, _ = readService(t, head+"functions:\n  get:\n    handler: app.handler\n    package:\n      artifact: build/get.zip\n", nil)
	if c := fnNamed(t, m, "get").Code; c != nil {
		t.Errorf("a prebuilt artifact has code in the directory: %+v", c)
	}
}

func TestSQS(t *testing.T) {
	queue := "resources:\n  Resources:\n    Jobs:\n      Type: AWS::SQS::Queue\n      Properties:\n        VisibilityTimeout: 60\n"
	for _, tt := range []struct {
		name, arn string
		linked    bool
		note      string
	}{
		{"!GetAtt", "!GetAtt Jobs.Arn", true, ""},
		{"Fn::GetAtt list", "\n            Fn::GetAtt: [Jobs, Arn]", true, ""},
		{"Fn::GetAtt string", "\n            Fn::GetAtt: Jobs.Arn", true, ""},
		{"!GetAtt list", "!GetAtt [Jobs, Arn]", true, ""},
		{"literal ARN", "arn:aws:sqs:eu-west-1:123456789012:other", false, "queue other"},
		{"another queue", "!GetAtt Missing.Arn", false, "not declared in this service's resources"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src := head + "functions:\n  worker:\n    handler: h.main\n    timeout: 30\n    events:\n      - sqs:\n          arn: " + tt.arn + "\n" + queue
			m, o, _ := readService(t, src, nil)
			if len(o.Errors) > 0 {
				t.Fatal(o.Errors)
			}
			if got := len(m.EventSources) == 1; got != tt.linked {
				t.Fatalf("linked %v, want %v (%d event sources)", got, tt.linked, len(m.EventSources))
			}
			if tt.linked {
				es := m.EventSources[0]
				if es.Resource.Address != "WorkerEventSourceMappingSQSJobs" || es.Queue.Resource.Address != "Jobs" || es.Function.Resource.Address != "WorkerLambdaFunction" {
					t.Errorf("event source %s: %s -> %s", es.Resource.Address, es.Queue.Resource.Address, es.Function.Resource.Address)
				}
				if v := es.Queue.VisibilityTimeout[0]; v.D != 60*sec || v.Loc.File != es.Resource.File {
					t.Errorf("queue visibility %+v", v)
				}
			} else if len(m.Notes) != 1 || !strings.Contains(m.Notes[0].Message, tt.note) {
				t.Errorf("notes %+v", m.Notes)
			}
		})
	}
	// The short form: `sqs: <arn>`.
	m, _, _ := readService(t, head+"functions:\n  worker:\n    handler: h.main\n    events:\n      - sqs: !GetAtt Jobs.Arn\n"+queue, nil)
	if len(m.EventSources) != 1 {
		t.Errorf("short form: %d event sources", len(m.EventSources))
	}
}

func TestResourcesLink(t *testing.T) {
	src := head + `functions:
  hello:
    handler: h.main
    timeout: 20
    events:
      - http: GET hello
resources:
  Resources:
    ExtraMethod:
      Type: AWS::ApiGateway::Method
      Properties:
        HttpMethod: POST
        RestApiId: !Ref ApiGatewayRestApi
        ResourceId: !GetAtt ApiGatewayRestApi.RootResourceId
        Integration:
          Type: AWS_PROXY
          IntegrationHttpMethod: POST
          TimeoutInMillis: 10000
          Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${HelloLambdaFunction.Arn}/invocations
    Mapping:
      Type: AWS::Lambda::EventSourceMapping
      Properties:
        EventSourceArn: !GetAtt Q.Arn
        FunctionName: !Ref HelloLambdaFunction
    Q:
      Type: AWS::SQS::Queue
    HelloLambdaFunction:
      Properties:
        Timeout: 25
  Outputs:
    Url:
      Value: x
`
	m, o, path := readService(t, src, nil)
	if len(o.Errors) > 0 {
		t.Fatal(o.Errors)
	}
	want := []string{
		"REST GET /hello ApiGatewayMethodHelloGet Lambda proxy 29 s default -> HelloLambdaFunction client",
		"REST POST / ExtraMethod Lambda proxy 10 s literal -> HelloLambdaFunction client",
	}
	if got := endpoints(m); !slices.Equal(got, want) {
		t.Errorf("endpoints\n got %q\nwant %q", got, want)
	}
	if len(m.APIs) != 1 || len(m.Functions) != 1 {
		t.Errorf("%d APIs, %d functions: the hand-written parts must join the generated ones", len(m.APIs), len(m.Functions))
	}
	if len(m.EventSources) != 1 || m.EventSources[0].Queue.Resource.Address != "Q" {
		t.Errorf("event sources %+v", m.EventSources)
	}
	// A Resources entry under a generated logical ID merges into it.
	if v := m.Functions[0].Timeout[0]; v.D != 25*sec || v.Loc.Start.Line != 33 || v.Loc.File != path {
		t.Errorf("merged timeout %+v", v)
	}
}

func TestAccessLogs(t *testing.T) {
	fn := "functions:\n  a:\n    handler: h.a\n    events:\n      - http: GET a\n      - httpApi: GET /a\n"
	for _, tt := range []struct {
		name, logs string
		rest, http string // the format, "-" for no access logs
	}{
		{"absent", "", "-", "-"},
		{"true", "  logs:\n    restApi: true\n    httpApi: true\n", defaultRESTFormat, defaultHTTPFormat},
		{"false", "  logs:\n    restApi: false\n", "-", "-"},
		{"format", "  logs:\n    restApi:\n      format: '$context.status $context.integrationLatency'\n", "$context.status $context.integrationLatency", "-"},
		{"mapping without format", "  logs:\n    restApi:\n      level: INFO\n", defaultRESTFormat, "-"},
		{"accessLogging false", "  logs:\n    restApi:\n      accessLogging: false\n", "-", "-"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, _, path := readService(t, head+tt.logs+fn, nil)
			data, _ := os.ReadFile(path)
			for _, api := range m.APIs {
				want := tt.rest
				if api.Type == model.HTTP {
					want = tt.http
				}
				st := api.Stages[0]
				got := "-"
				if st.AccessLog != nil {
					got = st.AccessLog.Format
				}
				if got != want {
					t.Errorf("%s format %q, want %q", api.Type, got, want)
				}
				if st.AccessLog == nil {
					continue
				}
				if st.AccessLog.Edit == nil {
					t.Fatalf("%s: no edit", api.Type)
				}
				const fixed = "$context.status $context.integrationLatency $context.error.responseType"
				patched := apply(t, data, st.AccessLog.Edit(fixed))
				if err := (Reader{}).Reparse(path, data, patched); err != nil {
					t.Fatalf("%s: %v\n%s", api.Type, err, patched)
				}
				m2, _, _ := readService(t, string(patched), nil)
				for _, a2 := range m2.APIs {
					if a2.Type == api.Type && (a2.Stages[0].AccessLog == nil || a2.Stages[0].AccessLog.Format != fixed) {
						t.Errorf("%s after the edit: %+v\n%s", api.Type, a2.Stages[0].AccessLog, patched)
					}
				}
			}
		})
	}
}

func TestSuppression(t *testing.T) {
	src := head + "functions:\n  # gatelint:ignore GL002 retried idempotently\n  a:\n    handler: h.a\n    timeout: 60\n  b:\n    handler: h.b\n    # gatelint:ignore GL002,GL003\n    timeout: 60\n  c:\n    handler: h.c\n    timeout: 60 # gatelint:ignore lambda-timeout-exceeds-integration\n  d:\n    handler: h.d\n    timeout: 60\n"
	m, _, _ := readService(t, src, nil)
	for name, want := range map[string]string{"a": "retried idempotently", "b": "", "c": ""} {
		fn := fnNamed(t, m, name)
		if !fn.Resource.Ignores("GL002", "lambda-timeout-exceeds-integration") {
			t.Errorf("%s: not suppressed (%v)", name, fn.Resource.Ignore)
		}
		if r, ok := fn.Resource.Ignore["GL002"]; ok && r != want {
			t.Errorf("%s: reason %q, want %q", name, r, want)
		}
	}
	if fnNamed(t, m, "b").Resource.Ignore["GL003"] != "" || !fnNamed(t, m, "b").Resource.Ignores("GL003", "") {
		t.Error("b: GL003 not suppressed")
	}
	if fnNamed(t, m, "d").Resource.Ignores("GL002", "lambda-timeout-exceeds-integration") {
		t.Error("d is suppressed")
	}
	// Above provider.timeout: for the functions that inherit it.
	m, _, _ = readService(t, head+"  # gatelint:ignore GL002 all of them stop at 25 s\n  timeout: 40\nfunctions:\n  e:\n    handler: h.e\n  f:\n    handler: h.f\n    timeout: 50\n", nil)
	if !fnNamed(t, m, "e").Resource.Ignores("GL002", "") || fnNamed(t, m, "f").Resource.Ignores("GL002", "") {
		t.Errorf("provider.timeout suppression: e %v, f %v", fnNamed(t, m, "e").Resource.Ignore, fnNamed(t, m, "f").Resource.Ignore)
	}
}

func TestVersion(t *testing.T) {
	for s, want := range map[string]int{"": 3, "'3'": 3, "'^3.38.0'": 3, "'4'": 4, "'>=4.0.0'": 4, "'2'": 3, "'>=1.0.0 <2.0.0'": 3} {
		f, _ := yamlpos.Parse("s.yml", []byte("frameworkVersion: "+s+"\n"))
		if got := frameworkVersion(yamlpos.Get(f.Root, "frameworkVersion")); got != want {
			t.Errorf("%s: %d, want %d", s, got, want)
		}
	}
	m, _, _ := readService(t, "service: s\nprovider:\n  name: aws\n  apiGateway:\n    timeoutInMillis: 10000\n", nil)
	if len(m.Notes) != 1 || !strings.Contains(m.Notes[0].Message, "v4 only") {
		t.Errorf("v3 with a v4 key: %+v", m.Notes)
	}
}

func TestReparse(t *testing.T) {
	before := []byte(head + "functions:\n  a:\n    handler: h.a\n    timeout: 60\n")
	for _, tt := range []struct {
		name, after string
		ok          bool
	}{
		{"same", string(before), true},
		{"digits", strings.Replace(string(before), "60", "26", 1), true},
		{"broken", strings.Replace(string(before), "timeout: 60", "timeout: [", 1), false},
		{"no longer a service", "Resources: {}\n", false},
	} {
		err := Reader{}.Reparse("serverless.yml", before, []byte(tt.after))
		if (err == nil) != tt.ok {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

// TestVariables: a value read through ${self:} is
// edited where it is set when only it reads it, and is advice when
// shared; ${opt:} values are advice.
func TestVariables(t *testing.T) {
	src := head + "custom:\n  slow: 60\n  shared: 45\nfunctions:\n  a:\n    handler: h.a\n    timeout: ${self:custom.slow}\n  b:\n    handler: h.b\n    timeout: ${self:custom.shared}\n  c:\n    handler: h.c\n    timeout: ${self:custom.shared}\n  d:\n    handler: h.d\n    timeout: ${opt:dtimeout, 50}\n"
	m, o, path := readService(t, src, nil)
	if len(o.Errors) > 0 {
		t.Fatal(o.Errors)
	}
	data, _ := os.ReadFile(path)
	a := fnNamed(t, m, "a").Timeout[0]
	if a.D != 60*sec || a.Origin != model.Variable || a.Via.Loc.Start.Line != 6 || a.Remedy.Edit == nil {
		t.Fatalf("a: %+v", a)
	}
	if got := string(apply(t, data, a.Remedy.Edit(26*time.Second))); !strings.Contains(got, "  slow: 26\n") || !strings.Contains(got, "${self:custom.slow}") {
		t.Errorf("a's edit:\n%s", got)
	}
	b := fnNamed(t, m, "b").Timeout[0]
	if b.D != 45*sec || b.Remedy.Edit != nil || b.Remedy.Advice == nil || !strings.Contains(b.Remedy.Advice(26*sec), ":7:") {
		t.Errorf("b: %+v", b)
	}
	if !slices.Contains(o.Declared, "dtimeout") {
		t.Errorf("declares %v, not the option dtimeout", o.Declared)
	}
	d := fnNamed(t, m, "d").Timeout[0]
	if d.D != 50*sec || d.Remedy.Edit != nil || d.Remedy.Advice == nil || !strings.Contains(d.Remedy.Advice(26*sec), "--param dtimeout=26") {
		t.Errorf("d: %+v", d)
	}
}

// TestFunctionsInFile: functions a ${file()} holds are located, and
// fixed, in that file.
func TestFunctionsInFile(t *testing.T) {
	fns := "# the API's functions\nhello:\n  handler: h.main\n  timeout: 60\n  events:\n    - http: GET hello\n"
	m, o, path := readService(t, head+"  timeout: 40\nfunctions: ${file(./functions.yml)}\n", nil, "functions.yml", fns)
	if len(o.Errors) > 0 {
		t.Fatal(o.Errors)
	}
	fn := fnNamed(t, m, "hello")
	other := filepath.Join(filepath.Dir(path), "functions.yml")
	v := fn.Timeout[0]
	if v.D != 60*sec || v.Origin != model.Literal || v.Loc.File != other || v.Loc.Start.Line != 4 || fn.Resource.Key.File != other {
		t.Fatalf("timeout %+v, key %v", v, fn.Resource.Key)
	}
	edits := v.Remedy.Edit(26 * sec)
	if len(edits) != 1 || edits[0].File != other {
		t.Fatalf("edits %+v", edits)
	}
	data, _ := os.ReadFile(other)
	patched := apply(t, data, edits)
	if !strings.Contains(string(patched), "# the API's functions\n") || !strings.Contains(string(patched), "  timeout: 26\n") {
		t.Errorf("patched:\n%s", patched)
	}
	// The included file is not a service: it must still parse.
	if err := (Reader{}).Reparse(other, data, patched); err != nil {
		t.Error(err)
	}
	if err := (Reader{}).Reparse(other, data, []byte("hello: [\n")); err == nil {
		t.Error("a broken included file passes")
	}
	if got := endpoints(m); len(got) != 1 || !strings.Contains(got[0], "ApiGatewayMethodHelloGet") {
		t.Errorf("endpoints %q", got)
	}
}

// TestJSONService: serverless.json reads alike, and its fixes are JSON.
func TestJSONService(t *testing.T) {
	src := `{
  "service": "shop",
  "provider": {"name": "aws", "timeout": 40, "logs": {"restApi": true}},
  "functions": {
    "a": {"handler": "h.a", "events": [{"http": "GET a"}]}
  }
}
`
	dir := t.TempDir()
	path := filepath.Join(dir, "serverless.json")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	b := model.NewBuilder()
	o := Reader{}.Read(&source.File{Path: path, Data: []byte(src), Include: os.ReadFile}, b)
	if !o.Read || len(o.Errors) > 0 {
		t.Fatalf("%+v", o)
	}
	m := b.Model()
	v := fnNamed(t, m, "a").Timeout[0]
	patched := apply(t, []byte(src), v.Remedy.Edit(26*sec))
	if !strings.Contains(string(patched), `"a": {"timeout": 26, "handler": "h.a"`) {
		t.Errorf("timeout insert:\n%s", patched)
	}
	al := m.APIs[0].Stages[0].AccessLog
	patched = apply(t, []byte(src), al.Edit("$context.status"))
	if !strings.Contains(string(patched), `"restApi": {"format": "$context.status"}`) {
		t.Errorf("format edit:\n%s", patched)
	}
	if err := (Reader{}).Reparse(path, []byte(src), patched); err != nil {
		t.Error(err)
	}
}

// TestResourcesInFiles: a resource written as ${file()} is read in that
// file, and a function's sqs event links to it.
func TestResourcesInFiles(t *testing.T) {
	src := head + "functions:\n  worker:\n    handler: h.main\n    timeout: 30\n    events:\n      - sqs: !GetAtt Jobs.Arn\nresources:\n  Resources:\n    Jobs: ${file(./queue.yml)}\n    Vpc: ${file(./vpc.yml)}\n"
	m, o, path := readService(t, src, nil,
		"queue.yml", "# the jobs queue\nType: AWS::SQS::Queue\nProperties:\n  VisibilityTimeout: 60\n",
		"vpc.yml", "Type: AWS::EC2::VPC\nProperties:\n  CidrBlock: 10.0.0.0/16\n")
	if len(o.Errors) > 0 {
		t.Fatal(o.Errors)
	}
	if len(m.EventSources) != 1 {
		t.Fatalf("%d event sources; notes %+v", len(m.EventSources), m.Notes)
	}
	q := m.EventSources[0].Queue
	v := q.VisibilityTimeout[0]
	other := filepath.Join(filepath.Dir(path), "queue.yml")
	if q.Resource.Address != "Jobs" || v.D != 60*sec || v.Loc.File != other || v.Loc.Start.Line != 4 || q.Resource.Key.File != other || q.Resource.Key.Start.Line != 2 {
		t.Errorf("queue %s: %+v, key %v", q.Resource.Address, v, q.Resource.Key)
	}
	data, _ := os.ReadFile(other)
	if got := string(apply(t, data, v.Remedy.Edit(180*sec))); !strings.Contains(got, "  VisibilityTimeout: 180\n") {
		t.Errorf("edit:\n%s", got)
	}
	if len(m.Notes) != 0 {
		t.Errorf("notes %+v", m.Notes)
	}
	// One that does not resolve offline is noted.
	m, _, _ = readService(t, head+"resources:\n  Resources:\n    Jobs: ${ssm:/queue}\n", nil)
	if len(m.Notes) != 1 || !strings.Contains(m.Notes[0].Message, "resource Jobs is written as a variable that does not resolve offline") {
		t.Errorf("notes %+v", m.Notes)
	}
}

// The framework resolves its variables in every string of the
// configuration, resources included: a queue's VisibilityTimeout from
// ${self:custom.x} is the custom value, and its edit goes there.
func TestVariablesInResources(t *testing.T) {
	src := head + "custom:\n  visibility: 90\nfunctions:\n  worker:\n    handler: h.main\n    timeout: 30\n    events:\n      - sqs: !GetAtt Jobs.Arn\n" +
		"resources:\n  Resources:\n    Jobs:\n      Type: AWS::SQS::Queue\n      Properties:\n        VisibilityTimeout: ${self:custom.visibility}\n" +
		"        QueueName: !Sub ${AWS::StackName}-jobs\n"
	m, o, path := readService(t, src, nil)
	if len(o.Errors) > 0 {
		t.Fatal(o.Errors)
	}
	if len(m.EventSources) != 1 {
		t.Fatalf("%d event sources; notes %+v", len(m.EventSources), m.Notes)
	}
	v := m.EventSources[0].Queue.VisibilityTimeout[0]
	if v.D != 90*sec || v.Origin != model.Variable || v.Loc.File != path || v.Loc.Start.Line != 18 || v.Via.Loc.Start.Line != 6 {
		t.Fatalf("visibility %+v (%s)", v, originName(v.Origin))
	}
	data, _ := os.ReadFile(path)
	if got := string(apply(t, data, v.Remedy.Edit(180*sec))); !strings.Contains(got, "  visibility: 180\n") || !strings.Contains(got, "VisibilityTimeout: ${self:custom.visibility}") {
		t.Errorf("edit:\n%s", got)
	}
	// One that does not resolve offline leaves the value unknown, saying
	// why, never a guess.
	src = strings.Replace(src, "${self:custom.visibility}", "${ssm:/jobs/visibility}", 1)
	m, _, _ = readService(t, src, nil)
	if len(m.EventSources) != 1 || len(m.EventSources[0].Queue.VisibilityTimeout) != 1 {
		t.Fatalf("%d event sources", len(m.EventSources))
	}
	if v := m.EventSources[0].Queue.VisibilityTimeout[0]; v.Known || !strings.Contains(v.Unknown, "SSM Parameter Store") || v.Loc.Start.Line != 18 {
		t.Errorf("visibility %+v", v)
	}
}

// A resources.Resources entry under a generated logical ID with no Type
// is _.merge'd over the generated resource: a method's
// Integration.TimeoutInMillis, an HTTP API integration's
// TimeoutInMillis. resources.extensions is assigned over both.
func TestResourcesMerge(t *testing.T) {
	for _, tt := range []struct {
		name, events, resources, want string
		line                          int
	}{
		{"REST method", "      - http: GET orders/{id}\n",
			"  Resources:\n    ApiGatewayMethodOrdersIdVarGet:\n      Properties:\n        Integration:\n          TimeoutInMillis: 12000\n",
			"REST GET /orders/{id} ApiGatewayMethodOrdersIdVarGet Lambda proxy 12 s literal -> OrdersLambdaFunction client", 16},
		{"HTTP API integration", "      - httpApi: GET /orders\n",
			"  Resources:\n    HttpApiIntegrationOrders:\n      Properties:\n        TimeoutInMillis: 8000\n",
			"HTTP GET /orders HttpApiRouteGetOrders Lambda proxy 8 s literal -> OrdersLambdaFunction client", 15},
		{"an extension wins", "      - http: GET orders/{id}\n",
			"  Resources:\n    ApiGatewayMethodOrdersIdVarGet:\n      Properties:\n        Integration:\n          TimeoutInMillis: 12000\n" +
				"  extensions:\n    ApiGatewayMethodOrdersIdVarGet:\n      Properties:\n        Integration:\n          Type: AWS_PROXY\n          TimeoutInMillis: 15000\n",
			"REST GET /orders/{id} ApiGatewayMethodOrdersIdVarGet Lambda proxy 15 s literal -> OrdersLambdaFunction client", 22},
		{"a merge that names no timeout", "      - http: GET orders/{id}\n",
			"  Resources:\n    ApiGatewayMethodOrdersIdVarGet:\n      Properties:\n        RequestParameters: {}\n",
			"REST GET /orders/{id} ApiGatewayMethodOrdersIdVarGet Lambda proxy 29 s default -> OrdersLambdaFunction client", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src := head + "functions:\n  orders:\n    handler: h.main\n    timeout: 20\n    events:\n" + tt.events + "resources:\n" + tt.resources
			m, o, path := readService(t, src, nil)
			if len(o.Errors) > 0 {
				t.Fatal(o.Errors)
			}
			if got := endpoints(m); len(got) != 1 || got[0] != tt.want {
				t.Fatalf("endpoints\n got %q\nwant %q", got, tt.want)
			}
			if tt.line == 0 {
				return
			}
			in := m.APIs[0].Endpoints[0].Integration
			v := in.Timeout[0]
			if v.Loc.File != path || v.Loc.Start.Line != tt.line {
				t.Errorf("timeout at %v, want line %d", v.Loc, tt.line)
			}
			data, _ := os.ReadFile(path)
			got := string(apply(t, data, v.Remedy.Edit(29*sec)))
			if lines := strings.Split(got, "\n"); !strings.HasSuffix(lines[tt.line-1], "TimeoutInMillis: 29000") {
				t.Errorf("edit:\n%s", got)
			}
		})
	}
}

// The files a service's ${file()}s read are its parts: Outcome.Includes
// lists them, so the driver does not read them again as templates.
func TestIncludes(t *testing.T) {
	src := head + "custom: ${file(./custom.yml)}\nfunctions:\n  worker:\n    handler: h.main\n    timeout: ${self:custom.timeout}\n" +
		"resources:\n  - ${file(./resources/queues.yml)}\n  - ${file(./missing.yml)}\n"
	_, o, path := readService(t, src, nil,
		"custom.yml", "timeout: 20\n",
		"resources/queues.yml", "Resources:\n  Jobs:\n    Type: AWS::SQS::Queue\n")
	dir := filepath.Dir(path)
	want := []string{filepath.Join(dir, "custom.yml"), filepath.Join(dir, "resources", "queues.yml")}
	if !slices.Equal(o.Includes, want) {
		t.Errorf("includes %q, want %q (a file that could not be read is not a part)", o.Includes, want)
	}
}

// Access logs of an API the service only attaches to: v3 leaves an
// external REST API's stage alone (a note says the setting does
// nothing), and refuses them for an external HTTP API (an input error:
// the package fails).
func TestExternalAPILogs(t *testing.T) {
	fns := "functions:\n  a:\n    handler: h.a\n    events:\n      - http: GET a\n      - httpApi: GET /a\n"
	for _, tt := range []struct {
		name, provider string
		note, err      string
	}{
		{"REST", "  apiGateway:\n    restApiId: abc123\n  logs:\n    restApi: true\n", "provider.logs.restApi is not applied to the REST API abc123", ""},
		{"HTTP", "  httpApi:\n    id: def456\n  logs:\n    httpApi:\n      format: '$context.status'\n", "", "Cannot setup access logs for externally configured HTTP API"},
		{"off", "  apiGateway:\n    restApiId: abc123\n  httpApi:\n    id: def456\n  logs:\n    restApi: false\n", "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, o, _ := readService(t, head+tt.provider+fns, nil)
			var notes, errs []string
			for _, n := range m.Notes {
				if strings.Contains(n.Message, "provider.logs") {
					notes = append(notes, n.Message)
				}
			}
			for _, e := range o.Errors {
				errs = append(errs, e.Error())
			}
			if tt.note == "" && len(notes) > 0 || tt.note != "" && (len(notes) != 1 || !strings.Contains(notes[0], tt.note)) {
				t.Errorf("notes %q, want %q", notes, tt.note)
			}
			if tt.err == "" && len(errs) > 0 || tt.err != "" && (len(errs) != 1 || !strings.Contains(errs[0], tt.err) || !strings.Contains(errs[0], "serverless.yml:")) {
				t.Errorf("errors %q, want %q", errs, tt.err)
			}
		})
	}
}
