package driver

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/rules"
)

// Logs that must not fool gatelint (issue 12): a web server's log, a log
// that shows only the status, and a REST format that logs routeKey.

const reportsTemplate = `Transform: AWS::Serverless-2016-10-31
Resources:
  Generate:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 60
      Events:
        Post:
          Type: Api
          Properties: {Path: /api/reports/generate, Method: post, TimeoutInMillis: 10000}
`

const nginxLines = `203.0.113.9 - - [20/Nov/2026:09:16:06 +0000] "POST /api/reports/generate HTTP/1.1" 504 167 "-" "curl/8.4.0"
203.0.113.9 - - [20/Nov/2026:09:16:07 +0000] "POST /api/reports/generate HTTP/1.1" 200 5123 "https://example.com/" "Mozilla/5.0 (X11; Linux x86_64)"
`

func runWithLog(t *testing.T, template, log, format string) *Result {
	t.Helper()
	dir := t.TempDir()
	tp, lp := filepath.Join(dir, "template.yaml"), filepath.Join(dir, "access.log")
	if err := os.WriteFile(tp, []byte(template), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lp, []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	res := Run(Config{Paths: []string{tp}, Logs: []string{lp}, LogFormat: format, Rules: rules.DefaultConfig()})
	if err := res.Model.Validate(); err != nil {
		t.Errorf("model: %v", err)
	}
	return res
}

func byRule(fs []finding.Finding, id string) []finding.Finding {
	var out []finding.Finding
	for _, f := range fs {
		if f.RuleID == id {
			out = append(out, f)
		}
	}
	return out
}

// TestWebServerLogIsNamed: nginx and Apache lines fit AWS's example CLF
// format field by field; they are told apart and named, and their 504s
// never become a confident GL005.
func TestWebServerLogIsNamed(t *testing.T) {
	for name, tt := range map[string]struct{ log, want string }{
		"nginx":  {nginxLines, "an nginx or Apache combined log (referrer and user-agent fields, no request ID), not a log API Gateway writes"},
		"apache": {`127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "POST /api/reports/generate HTTP/1.0" 504 0` + "\n", "an Apache (or nginx) common log (no request ID)"},
	} {
		t.Run(name, func(t *testing.T) {
			res := runWithLog(t, reportsTemplate, tt.log, "")
			if len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Message, tt.want) || !strings.Contains(res.Errors[0].Message, "--log-format") {
				t.Errorf("errors %v, want one saying %q", res.Errors, tt.want)
			}
			if fs := byRule(res.Findings, "GL005"); len(fs) > 0 {
				t.Errorf("GL005 from a web server's log: %s", fs[0].Message)
			}
		})
	}
}

// TestStatusOnlyLogIsHedged: a log that shows only the status (the user
// says with --log-format that the stage writes such lines) cannot tell a
// timeout from another 504: GL005 says "possibly", in line with GL009,
// and nothing claims a timeout.
func TestStatusOnlyLogIsHedged(t *testing.T) {
	format := `$context.identity.sourceIp - - [$context.requestTime] "$context.httpMethod $context.resourcePath $context.protocol" $context.status $context.responseLength "$context.requestId" "$context.extendedRequestId"`
	res := runWithLog(t, reportsTemplate, nginxLines, format)
	if len(res.Errors) != 0 {
		t.Fatalf("errors %v", res.Errors)
	}
	gl5, gl9 := byRule(res.Findings, "GL005"), byRule(res.Findings, "GL009")
	if len(gl5) != 1 || len(gl9) == 0 {
		t.Fatalf("GL005 %d, GL009 %d findings", len(gl5), len(gl9))
	}
	f := gl5[0]
	if f.Severity != finding.Warning || !strings.Contains(f.Message, "1 of 2 requests to POST /api/reports/generate got HTTP 504 responses") ||
		!strings.Contains(f.Message, "possibly integration timeouts: this format logs no integration latency or error type") {
		t.Errorf("GL005 %s: %s", f.Severity, f.Message)
	}
	if f.Evidence == nil || f.Evidence.TimeoutsStatusOnly != 1 {
		t.Errorf("evidence %+v", f.Evidence)
	}
	for _, f := range res.Findings {
		if strings.Contains(f.Message, "timed out waiting") || strings.Contains(f.Message, "access logs show") {
			t.Errorf("%s claims a timeout the log cannot show: %s", f.RuleID, f.Message)
		}
	}
	blind := false
	for _, f := range gl9 {
		blind = blind || strings.Contains(f.Message, "access.log (CLF lines (--log-format)) has a status but no integration latency") &&
			strings.Contains(f.Message, "a timeout cannot be told from other 5xx responses")
	}
	if !blind {
		t.Errorf("no GL009 on the log: %v", gl9)
	}
	if s := res.TimeoutSummary; !strings.HasPrefix(s, "1 5xx response, logged with nothing but its status, may have been an integration timeout: POST /api/reports/generate (1).") {
		t.Errorf("summary %q", s)
	}
}

// TestRouteKeyOnRESTStage: the HTTP API's example format on a REST stage
// logs routeKey, which REST writes as "-", and no path. GL009 says so,
// and the records are never an endpoint with an empty path ("GET  (3)").
func TestRouteKeyOnRESTStage(t *testing.T) {
	const template = `Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
  Prod:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Api
      StageName: prod
      AccessLogSetting:
        DestinationArn: arn:aws:logs:us-east-1:123456789012:log-group:rk
        Format: '{"requestId":"$context.requestId","httpMethod":"$context.httpMethod","routeKey":"$context.routeKey","status":"$context.status","integrationLatency":"$context.integrationLatency","responseLatency":"$context.responseLatency","errorResponseType":"$context.error.responseType"}'
`
	line := `{"requestId":"r","httpMethod":"GET","routeKey":"-","status":"504","integrationLatency":"-1","responseLatency":"29010","errorResponseType":"INTEGRATION_TIMEOUT"}` + "\n"
	res := runWithLog(t, template, line+line+line, "")
	var stage, log bool
	for _, f := range byRule(res.Findings, "GL009") {
		stage = stage || strings.Contains(f.Message, "logs $context.routeKey, which only HTTP and WebSocket APIs have") && len(f.Fixes) == 1
		log = log || strings.Contains(f.Message, "does not say which endpoint a request went to")
	}
	if !stage || !log {
		t.Errorf("GL009 on the stage %v, on the log %v: %v", stage, log, res.Findings)
	}
	gl5 := byRule(res.Findings, "GL005")
	if len(gl5) != 1 || gl5[0].Endpoint == nil || gl5[0].Endpoint.String() != "GET (path not logged)" {
		t.Fatalf("GL005 %+v", gl5)
	}
	if strings.Contains(res.TimeoutSummary, "GET  (") || !strings.Contains(res.TimeoutSummary, "GET (path not logged) (3)") {
		t.Errorf("summary %q", res.TimeoutSummary)
	}
}
