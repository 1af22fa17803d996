package rules_test

import (
	"testing"
	"time"

	"github.com/gatelint/gatelint/internal/driver"
	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/rules"
)

// Cases for the rules that read access-log evidence (GL005, GL006, GL007)
// and access-log settings (GL009).

func init() { cases = append(cases, logCases...) }

var t0 = time.Date(2026, 11, 20, 9, 14, 3, 0, time.UTC)

// observed builds what a log said of one endpoint: requests in all,
// timeouts (504, integrationLatency -1, the first at line 7 of a.log) and
// the integration latency of each completed request.
func observed(method, path string, requests, timeouts int64, latencies ...int64) model.Observation {
	o := model.Observation{APIType: model.REST, Method: method, Path: path, PathIsTemplate: true,
		Requests: requests, Timeouts: timeouts, Sources: []string{"a.log"},
		FirstSeenAt: loc.Range{File: "a.log", Start: loc.Pos{Line: 1, Column: 1}}}
	if timeouts > 0 {
		o.FirstTimeout, o.LastTimeout = t0, t0.Add(2*time.Hour)
		o.FirstTimeoutAt = loc.Range{File: "a.log", Start: loc.Pos{Line: 7, Column: 1}}
		o.TimeoutStatus = map[int]int64{504: timeouts}
		o.TimeoutLatencyMinusOne = timeouts
	}
	for _, l := range latencies {
		o.Latency.Add(l)
	}
	return o
}

// repeat is n copies of v.
func repeat(v int64, n int) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

const reportsSAM = `
Transform: AWS::Serverless-2016-10-31
Resources:
  Generate:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 120
      Events:
        Post:
          Type: Api
          Properties:
            Path: /api/reports/generate
            Method: post
`

var logCases = []ruleCase{
	// ---------------------------------------------------------------- GL005
	{
		name: "GL005/timeouts-at-the-default-wall",
		src:  reportsSAM,
		obs:  []model.Observation{observed("POST", "/api/reports/generate", 240, 18, 1200, 1500)},
		want: []string{
			"GL002 t.yaml:6:16 warning endpoint=POST /api/reports/generate fix=26 (unsafe)",
			"GL003 t.yaml:8:9 warning endpoint=POST /api/reports/generate",
			"GL005 t.yaml:8:9 error endpoint=POST /api/reports/generate",
			"GL007 t.yaml:8:9 info endpoint=POST /api/reports/generate",
		},
		contains: []string{
			"18 of 240 requests to POST /api/reports/generate timed out waiting for the backend integration (integrationLatency = -1) between 09:14:03 and 11:14:03 UTC on 2026-11-20; the clients got HTTP 504. API Gateway waits 29 s (not set: the default), but function Generate may run 120 s",
			"The access logs show 18 timeouts.",
		},
		related: []string{"a.log:7:1 first timeout in the access log"},
		check: func(t *testing.T, _ []byte, fs []finding.Finding) {
			f := only(t, fs, "GL005")
			ev := f.Evidence
			// p99 is 1,500 ms to within the histogram's documented 1/256.
			if ev == nil || ev.Timeouts != 18 || ev.Requests != 240 || ev.P99IntegrationLatencyMs == nil ||
				*ev.P99IntegrationLatencyMs < 1500-1500/256 || *ev.P99IntegrationLatencyMs > 1500+1500/256 || !ev.FirstSeen.Equal(t0) || !ev.LastSeen.Equal(t0.Add(2*time.Hour)) ||
				len(ev.Sources) != 1 || ev.TimeoutStatus[504] != 18 {
				t.Errorf("evidence %+v", ev)
			}
		},
	},
	{
		name: "GL005/explicit-timeout-is-the-location-and-GL001-warns",
		src: `
Transform: AWS::Serverless-2016-10-31
Resources:
  Export:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 8
      Events:
        Post:
          Type: Api
          Properties:
            Path: /api/export/csv
            Method: post
            TimeoutInMillis: 10000
`,
		obs: []model.Observation{observed("POST", "/api/export/csv", 50, 5)},
		want: []string{
			"GL001 t.yaml:13:30 warning endpoint=POST /api/export/csv fix=29000",
			"GL005 t.yaml:13:30 error endpoint=POST /api/export/csv",
			"GL007 t.yaml:8:9 info endpoint=POST /api/export/csv",
		},
		contains: []string{
			"The access logs show 5 of 50 requests to POST /api/export/csv timing out; raise the timeout to 29000 ms",
			"API Gateway waits 10 s.",
		},
	},
	{
		name: "GL005/endpoint-only-the-logs-know",
		src:  reportsSAM,
		obs:  []model.Observation{observed("DELETE", "/orders/{id}", 9, 2)},
		want: []string{
			"GL002 t.yaml:6:16 warning endpoint=POST /api/reports/generate fix=26 (unsafe)",
			"GL003 t.yaml:8:9 warning endpoint=POST /api/reports/generate",
			"GL005 a.log:7:1 error endpoint=DELETE /orders/{id}",
		},
		contains: []string{"2 of 9 requests to DELETE /orders/{id} timed out waiting for the backend integration (integrationLatency = -1) between"},
	},
	{
		name: "GL005/weak-504-long-before-the-known-timeout-is-not-a-timeout",
		src: `
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 5
      Events:
        Get:
          Type: Api
          Properties: {Path: /a, Method: get, TimeoutInMillis: 8000}
`,
		obs: []model.Observation{func() model.Observation {
			o := observed("GET", "/a", 10, 0)
			o.Doubtful = map[int64]*model.Doubt{
				2000: {Count: 3, First: t0, Last: t0}, // answered at 2 s of an 8 s wait
				7500: {Count: 1, First: t0, Last: t0}, // within a second of it: a timeout
			}
			return o
		}()},
		want: []string{
			"GL001 t.yaml:10:64 warning endpoint=GET /a fix=29000",
			"GL005 t.yaml:10:64 error endpoint=GET /a",
		},
		contains: []string{"1 of 10 requests to GET /a timed out"},
	},
	{
		name: "GL002/no-lowering-fix-when-the-logs-show-the-work-needs-longer",
		src: `
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 60
      Events:
        Get:
          Type: Api
          Properties: {Path: /a, Method: get, TimeoutInMillis: 10000}
`,
		// 7 s is what fits a 10 s wait, but the slowest 1 % take 9.5 s.
		obs: []model.Observation{observed("GET", "/a", 100, 0, append(repeat(2000, 95), repeat(9500, 5)...)...)},
		want: []string{
			"GL001 t.yaml:10:64 info endpoint=GET /a fix=29000",
			// Raising the wait to 29 s and the Timeout to 26 s fits the work.
			"GL002 t.yaml:6:16 warning endpoint=GET /a fix=29000,26 (unsafe)",
			"GL003 t.yaml:8:9 warning endpoint=GET /a",
			"GL006 t.yaml:10:64 warning endpoint=GET /a",
		},
		contains: []string{"But the access logs show p99 integration latency of 9.5 s: a Timeout of 7 s would fail requests that succeed today. Raising TimeoutInMillis to 29000 (GL001) would allow up to 26 s."},
	},
	{
		name: "GL002/short-wait-kept-on-purpose-gets-only-the-lowering-fix",
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
    Metadata:
      gatelint:
        ignore: [{id: GL001, reason: "fail fast in front of the pricing service"}]
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: GET
      Integration:
        Type: AWS_PROXY
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
        TimeoutInMillis: 10000
`,
		lint: &driver.Config{},
		// GL001 suppressed where it would fire: GL002 does not raise the
		// wait on its behalf.
		want: []string{
			"GL002 t.yaml:7:16 warning endpoint=GET / fix=7 (unsafe)",
			"GL003 t.yaml:8:3 warning endpoint=GET /",
		},
	},
	// ---------------------------------------------------------------- GL006
	{
		name: "GL006/p99-at-88-percent",
		src:  reportsSAM,
		obs:  []model.Observation{observed("POST", "/api/reports/generate", 400, 0, append(repeat(300, 380), repeat(25600, 20)...)...)},
		want: []string{
			"GL002 t.yaml:6:16 warning endpoint=POST /api/reports/generate fix=26 (unsafe)",
			"GL003 t.yaml:8:9 warning endpoint=POST /api/reports/generate",
			"GL006 t.yaml:8:9 warning endpoint=POST /api/reports/generate",
		},
		contains: []string{"p99 integration latency of POST /api/reports/generate is 25.6 s over 400 completed requests, 88 % of its 29 s integration timeout (not set: the default)"},
	},
	{
		name: "GL006/too-few-requests-or-far-from-the-wall",
		src: `
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        A: {Type: Api, Properties: {Path: /a, Method: get}}
        B: {Type: Api, Properties: {Path: /b, Method: get}}
`,
		obs: []model.Observation{
			observed("GET", "/a", 19, 0, repeat(28000, 19)...),
			observed("GET", "/b", 100, 0, repeat(23000, 100)...), // 79 %
		},
		want: nil,
	},
	{
		name: "GL006/threshold-configurable",
		src: `
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        B: {Type: Api, Properties: {Path: /b, Method: get}}
`,
		cfg:  &rulesConfigNear50,
		obs:  []model.Observation{observed("GET", "/b", 100, 0, repeat(15000, 100)...)},
		want: []string{"GL006 t.yaml:7:9 warning endpoint=GET /b"},
	},
	// ---------------------------------------------------------------- GL007
	{
		name: "GL007/required-header-or-GET-is-fine",
		src: `
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
  Post:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: POST
      RequestParameters:
        method.request.header.Idempotency-Key: true
      Integration: {Type: MOCK}
  Get:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: GET
      Integration: {Type: MOCK}
`,
		obs: []model.Observation{observed("POST", "/", 10, 1), observed("GET", "/", 10, 1)},
		want: []string{
			"GL005 t.yaml:4:3 error endpoint=POST /",
			"GL005 t.yaml:13:3 error endpoint=GET /",
		},
	},
	{
		name: "GL007/ANY-endpoint-whose-POSTs-timed-out",
		src: `
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Any: {Type: Api, Properties: {Path: "/{proxy+}", Method: any}}
`,
		obs: []model.Observation{
			func() model.Observation {
				o := observed("POST", "/prod/payments/charge", 3, 1)
				o.PathIsTemplate = false
				return o
			}(),
			func() model.Observation {
				o := observed("GET", "/prod/reports/1", 3, 1)
				o.PathIsTemplate = false
				return o
			}(),
		},
		want: []string{
			"GL003 t.yaml:7:9 warning endpoint=ANY /{proxy+}",
			"GL005 t.yaml:7:9 error endpoint=ANY /{proxy+}",
			"GL007 t.yaml:7:9 info endpoint=ANY /{proxy+}",
		},
	},
	{
		name: "GL007/ANY-endpoint-whose-GETs-alone-timed-out",
		src: `
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Any: {Type: Api, Properties: {Path: "/{proxy+}", Method: any}}
`,
		obs: []model.Observation{
			func() model.Observation {
				o := observed("GET", "/prod/reports/1", 3, 1)
				o.PathIsTemplate = false
				return o
			}(),
			func() model.Observation {
				o := observed("POST", "/prod/payments/charge", 3, 0)
				o.PathIsTemplate = false
				return o
			}(),
		},
		want: []string{"GL003 t.yaml:7:9 warning endpoint=ANY /{proxy+}", "GL005 t.yaml:7:9 error endpoint=ANY /{proxy+}"},
	},
	// ---------------------------------------------------------------- GL009
	{
		name: "GL009/no-access-logs",
		src: `
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
`,
		want:     []string{"GL009 t.yaml:3:3 info"},
		contains: []string{"stage prod of Api writes no access logs: nobody can tell which requests time out. Turn on access logging with a format that has $context.httpMethod, $context.resourcePath, $context.status, $context.integrationLatency, $context.responseLatency, $context.error.responseType."},
	},
	{
		name: "GL009/aws-example-json-format-gets-fields",
		src: `
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
  Stage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Api
      StageName: prod
      AccessLogSetting:
        DestinationArn: arn:aws:logs:us-east-1:123456789012:log-group:access
        Format: '{ "requestId":"$context.requestId", "ip": "$context.identity.sourceIp", "requestTime":"$context.requestTime", "httpMethod":"$context.httpMethod","routeKey":"$context.routeKey", "status":"$context.status","protocol":"$context.protocol", "responseLength":"$context.responseLength" }'
`,
		// It is the HTTP API example (routeKey) on a REST stage, which
		// writes "-" for routeKey: the fix adds resourcePath too.
		want:     []string{`GL009 t.yaml:11:17 info fix="'{ \"requestId\":\"$context.requestId\", \"ip\": \"$context.identity.sourceIp\", \"requestTime\":\"$context.requestTime\", \"httpMethod\":\"$context.httpMethod\",\"routeKey\":\"$context.routeKey\", \"status\":\"$context.status\",\"protocol\":\"$context.protocol\", \"responseLength\":\"$context.responseLength\", \"resourcePath\": \"$context.resourcePath\", \"integrationLatency\": \"$context.integrationLatency\", \"responseLatency\": \"$context.responseLatency\", \"errorResponseType\": \"$context.error.responseType\" }'"`},
		contains: []string{"the access-log format of stage prod of Api logs $context.routeKey, which only HTTP and WebSocket APIs have"},
	},
	{
		name: "GL009/clf-and-csv-and-xml-keep-their-shape",
		src: `
Resources:
  Http:
    Type: AWS::ApiGatewayV2::Api
    Properties: {ProtocolType: HTTP}
  Clf:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref Http
      StageName: clf
      AccessLogSettings:
        DestinationArn: arn:aws:logs:us-east-1:123456789012:log-group:clf
        Format: $context.identity.sourceIp - - [$context.requestTime] "$context.httpMethod $context.routeKey $context.protocol" $context.status $context.responseLength $context.requestId
  Csv:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref Http
      StageName: csv
      AccessLogSettings:
        DestinationArn: arn:aws:logs:us-east-1:123456789012:log-group:csv
        Format: "$context.identity.sourceIp,$context.requestTime,$context.routeKey,$context.status"
  Xml:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref Http
      StageName: xml
      AccessLogSettings:
        DestinationArn: arn:aws:logs:us-east-1:123456789012:log-group:xml
        Format: '<request id="$context.requestId"> <ip>$context.identity.sourceIp</ip> <routeKey>$context.routeKey</routeKey> <status>$context.status</status> </request>'
  Good:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref Http
      StageName: good
      AccessLogSettings:
        DestinationArn: arn:aws:logs:us-east-1:123456789012:log-group:good
        Format: '{"routeKey":"$context.routeKey","status":"$context.status","integrationLatency":"$context.integrationLatency"}'
`,
		want: []string{
			`GL009 t.yaml:12:17 info fix="'$context.identity.sourceIp - - [$context.requestTime] \"$context.httpMethod $context.routeKey $context.protocol\" $context.status $context.responseLength $context.requestId $context.integrationLatency $context.responseLatency $context.error.responseType'"`,
			`GL009 t.yaml:20:17 info fix="\"$context.identity.sourceIp,$context.requestTime,$context.routeKey,$context.status,$context.integrationLatency,$context.responseLatency,$context.error.responseType\""`,
			`GL009 t.yaml:28:17 info fix="'<request id=\"$context.requestId\"> <ip>$context.identity.sourceIp</ip> <routeKey>$context.routeKey</routeKey> <status>$context.status</status> <integrationLatency>$context.integrationLatency</integrationLatency><responseLatency>$context.responseLatency</responseLatency><errorResponseType>$context.error.responseType</errorResponseType></request>'"`,
		},
	},
	{
		name: "GL009/block-scalar-format-is-reported-without-an-edit",
		src: `
Transform: AWS::Serverless-2016-10-31
Globals:
  Api:
    AccessLogSetting:
      DestinationArn: !GetAtt Logs.Arn
      Format: |
        {"status":"$context.status"}
Resources:
  Logs:
    Type: AWS::Logs::LogGroup
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        A: {Type: Api, Properties: {Path: /a, Method: get}}
`,
		want:     []string{"GL009 t.yaml:6:15 info"},
		contains: []string{"the access-log format of stage Prod of ServerlessRestApi has a status but no integration latency"},
	},
	{
		name: "GL009/log-file-that-cannot-show-timeouts",
		src:  reportsSAM,
		logs: []model.LogSource{
			{File: "clf.log", Shape: "CLF lines", Records: 100, Fields: model.LogFields{Status: true, Endpoint: true}, Loc: loc.Range{File: "clf.log", Start: loc.Pos{Line: 1, Column: 1}}},
			{File: "good.log", Shape: "JSON lines", Records: 100, Fields: model.LogFields{Status: true, IntegrationLatency: true, Endpoint: true}},
		},
		want: []string{
			"GL002 t.yaml:6:16 warning endpoint=POST /api/reports/generate fix=26 (unsafe)",
			"GL003 t.yaml:8:9 warning endpoint=POST /api/reports/generate",
			"GL009 t.yaml:8:9 info",
			"GL009 clf.log:1:1 info",
		},
		contains: []string{"access log clf.log (CLF lines) has a status but no integration latency, error.responseType or responseLatency: a timeout cannot be told from other 5xx responses. Add $context.integrationLatency, $context.responseLatency, $context.error.responseType to the stage's access-log format."},
	},
}

// only returns the one finding of rule id.
func only(t *testing.T, fs []finding.Finding, id string) finding.Finding {
	t.Helper()
	var out []finding.Finding
	for _, f := range fs {
		if f.RuleID == id {
			out = append(out, f)
		}
	}
	if len(out) != 1 {
		t.Fatalf("%d %s findings, want 1", len(out), id)
	}
	return out[0]
}

var rulesConfigNear50 = func() rules.Config {
	c := rules.DefaultConfig()
	c.NearTimeoutPercent = 50
	return c
}()
