package terraform_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gatelint/gatelint/internal/driver"
	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/fix"
	"github.com/gatelint/gatelint/internal/source/terraform"
	"github.com/gatelint/gatelint/rules"
)

// tfCase is a Terraform configuration written to a temporary directory
// and checked end to end through the driver.
type tfCase struct {
	name  string
	files map[string]string
	// paths to check, relative to the directory (default ".").
	paths       []string
	params      map[string]string
	paramsFiles []string
	env         map[string]string
	fixParams   bool
	disabled    []string // rules turned off
	configEnv   string   // --config-env
	// want: each entry is "RULE file:line substrings" ("file:" for any
	// line; substrings separated by " … ", each in the message or a fix's
	// description); every entry must match one finding.
	want []string
	// none: rules that must not fire.
	none []string
	// notes: substrings some note must have.
	notes []string
	// count, when set, is how many findings there must be.
	count int
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// runCase checks a case's files from inside their directory, so paths in
// findings are as a user running gatelint there sees them.
func runCase(t *testing.T, tc tfCase) (*driver.Result, string) {
	t.Helper()
	dir := writeFiles(t, tc.files)
	t.Chdir(dir)
	for k, v := range tc.env {
		t.Setenv(k, v)
	}
	paths := tc.paths
	if len(paths) == 0 {
		paths = []string{"."}
	}
	cfg := driver.Config{Paths: paths, Params: tc.params, ParamsFiles: tc.paramsFiles, Rules: rules.DefaultConfig(), KeepSources: true, Disabled: map[string]bool{}}
	cfg.Rules.FixParameters = tc.fixParams
	cfg.Environments.Name = tc.configEnv
	for _, r := range tc.disabled {
		cfg.Disabled[r] = true
	}
	res := driver.Run(cfg)
	if err := res.Model.Validate(); err != nil {
		t.Errorf("the model is not consistent: %v", err)
	}
	return res, dir
}

// describe writes a finding as the cases match it.
func describe(f finding.Finding) string {
	s := fmt.Sprintf("%s %s:%d %s", f.RuleID, filepath.ToSlash(f.Location.File), f.Location.Start.Line, f.Message)
	for _, fx := range f.Fixes {
		s += " | fix: " + fx.Description
	}
	return s
}

func checkCase(t *testing.T, tc tfCase) *driver.Result {
	t.Helper()
	res, _ := runCase(t, tc)
	var got []string
	for _, f := range res.Findings {
		got = append(got, describe(f))
	}
	dump := strings.Join(got, "\n")
	for _, w := range tc.want {
		rule, rest, _ := strings.Cut(w, " ")
		where, sub, _ := strings.Cut(rest, " ")
		found := false
		for _, g := range got {
			if !strings.HasPrefix(g, rule+" "+where) || !strings.HasSuffix(where, ":") && !strings.HasPrefix(g, rule+" "+where+" ") {
				continue
			}
			all := true
			for _, part := range strings.Split(sub, " … ") {
				all = all && strings.Contains(g, part)
			}
			if all {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("no finding %q among:\n%s", w, dump)
		}
	}
	for _, f := range res.Findings {
		for _, r := range tc.none {
			if f.RuleID == r {
				t.Errorf("%s fired: %s", r, describe(f))
			}
		}
		// Terraform's settings in Terraform's words, never CloudFormation's.
		for _, cfnWord := range []string{"TimeoutInMillis", "VisibilityTimeout ", "Timeout of", "Globals", "parameter ", "logical ID", "!Ref", "Default "} {
			if strings.Contains(describe(f), cfnWord) {
				t.Errorf("a finding speaks CloudFormation (%q): %s", cfnWord, describe(f))
			}
		}
		if f.Resource.LogicalID != "" || f.Resource.Address == "" {
			t.Errorf("resource %+v: want a Terraform address and no logical ID", f.Resource)
		}
	}
	var notes []string
	for _, n := range res.Notes {
		notes = append(notes, n.Message)
	}
	for _, w := range tc.notes {
		found := false
		for _, n := range notes {
			if strings.Contains(n, w) {
				found = true
			}
		}
		if !found {
			t.Errorf("no note with %q among:\n%s", w, strings.Join(notes, "\n"))
		}
	}
	for _, e := range res.Errors {
		t.Errorf("input error: %v", e)
	}
	if tc.count > 0 && len(res.Findings) != tc.count {
		t.Errorf("%d findings, want %d:\n%s", len(res.Findings), tc.count, dump)
	}
	return res
}

const restAPI = `
resource "aws_api_gateway_rest_api" "api" {
  name = "api"
  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_resource" "r" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "reports"
}

resource "aws_api_gateway_method" "m" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.r.id
  http_method   = "POST"
  authorization = "NONE"
}
`

// restIntegration is an integration of POST /reports with the given uri
// and extra lines.
func restIntegration(uri, extra string) string {
	return `
resource "aws_api_gateway_integration" "i" {
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_resource.r.id
  http_method             = aws_api_gateway_method.m.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = ` + uri + `
` + extra + `}
`
}

const httpAPI = `
resource "aws_apigatewayv2_api" "http" {
  name          = "http"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_route" "r" {
  api_id    = aws_apigatewayv2_api.http.id
  route_key = "POST /jobs"
  target    = "integrations/${aws_apigatewayv2_integration.i.id}"
}
`

func httpIntegration(uri, extra string) string {
	return `
resource "aws_apigatewayv2_integration" "i" {
  api_id                 = aws_apigatewayv2_api.http.id
  integration_type       = "AWS_PROXY"
  integration_uri        = ` + uri + `
  payload_format_version = "2.0"
` + extra + `}
`
}

func lambda(name, timeout string) string {
	t := ""
	if timeout != "" {
		t = "  timeout       = " + timeout + "\n"
	}
	return `
resource "aws_lambda_function" "` + name + `" {
  function_name = "` + name + `"
  handler       = "index.handler"
  runtime       = "python3.12"
` + t + `}
`
}

// lineOf is the 1-based line of the first line of content holding s.
func lineOf(content, s string) int {
	for i, l := range strings.Split(content, "\n") {
		if strings.Contains(l, s) {
			return i + 1
		}
	}
	return 0
}

func TestResources(t *testing.T) {
	main := lambda("fn", "60") + restAPI + restIntegration("aws_lambda_function.fn.invoke_arn", "  timeout_milliseconds    = 10000\n")
	cases := []tfCase{
		{name: "REST API, resource, method, integration", files: map[string]string{"main.tf": main},
			want: []string{
				fmt.Sprintf("GL002 main.tf:%d function aws_lambda_function.fn has timeout 60 s but POST /reports stops waiting after 10 s", lineOf(main, "timeout       = 60")),
				fmt.Sprintf("GL001 main.tf:%d integration timeout of POST /reports is 10000 ms, below the regional REST API maximum … fix: set timeout_milliseconds to 29000", lineOf(main, "timeout_milliseconds")),
				"GL003 main.tf:",
			}},
		{name: "HTTP API timeout_milliseconds = 45000 is a GL004 error",
			files: map[string]string{"main.tf": lambda("fn", "20") + httpAPI + httpIntegration("aws_lambda_function.fn.invoke_arn", "  timeout_milliseconds   = 45000\n")},
			want:  []string{"GL004 main.tf:25 integration timeout of POST /jobs is 45000 ms, above the HTTP API maximum of 30000 ms … fix: set timeout_milliseconds to 30000"}},
		{name: "unset timeouts take Lambda's 3 s and the API's ceiling",
			files: map[string]string{"main.tf": lambda("fn", "") + httpAPI + httpIntegration("aws_lambda_function.fn.arn", "")},
			none:  []string{"GL001", "GL002", "GL003", "GL004"}},
		{name: "nested REST resources rebuild the path",
			files: map[string]string{"main.tf": lambda("fn", "45") + restAPI + `
resource "aws_api_gateway_resource" "child" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_resource.r.id
  path_part   = "{id}"
}
resource "aws_api_gateway_method" "get" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.child.id
  http_method   = "GET"
  authorization = "NONE"
}
resource "aws_api_gateway_integration" "get" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.child.id
  http_method = aws_api_gateway_method.get.http_method
  type        = "AWS_PROXY"
  uri         = aws_lambda_function.fn.invoke_arn
}
`},
			want: []string{"GL002 main.tf:6 GET /reports/{id} stops waiting after 29 s (the default)"}},
		{name: "edge-optimized REST API by default; a streamed integration may wait 15 minutes",
			files: map[string]string{"main.tf": lambda("fn", "120") + strings.Replace(restAPI, "endpoint_configuration {\n    types = [\"REGIONAL\"]\n  }", "", 1) +
				restIntegration("aws_lambda_function.fn.invoke_arn", "  response_transfer_mode  = \"STREAM\"\n  timeout_milliseconds    = 300000\n")},
			none: []string{"GL002", "GL004"}},
		{name: "an asynchronous Lambda integration keeps no client waiting",
			files: map[string]string{"main.tf": lambda("fn", "120") + restAPI + strings.Replace(restIntegration("aws_lambda_function.fn.invoke_arn", `  request_parameters = {
    "integration.request.header.X-Amz-Invocation-Type" = "'Event'"
  }
`), `"AWS_PROXY"`, `"AWS"`, 1)},
			none: []string{"GL002", "GL003"}},
		{name: "HTTP API quick create",
			files: map[string]string{"main.tf": lambda("fn", "45") + `
resource "aws_apigatewayv2_api" "quick" {
  name          = "quick"
  protocol_type = "HTTP"
  target        = aws_lambda_function.fn.arn
}
`},
			want: []string{"GL002 main.tf:6 $default stops waiting after 30 s (the default)", "GL009 main.tf:9 stage $default of aws_apigatewayv2_api.quick writes no access logs"}},
		{name: "WebSocket API",
			files: map[string]string{"main.tf": lambda("fn", "40") + `
resource "aws_apigatewayv2_api" "ws" {
  name                       = "ws"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}
resource "aws_apigatewayv2_integration" "i" {
  api_id           = aws_apigatewayv2_api.ws.id
  integration_type = "AWS_PROXY"
  integration_uri  = aws_lambda_function.fn.invoke_arn
}
resource "aws_apigatewayv2_route" "connect" {
  api_id    = aws_apigatewayv2_api.ws.id
  route_key = "$connect"
  target    = "integrations/${aws_apigatewayv2_integration.i.id}"
}
`},
			want: []string{"GL002 main.tf:6 $connect stops waiting after 29 s"}},
		{name: "a WebSocket message route without a route response keeps nobody waiting",
			files: map[string]string{"main.tf": lambda("fn", "40") + `
resource "aws_apigatewayv2_api" "ws" {
  name                       = "ws"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}
resource "aws_apigatewayv2_integration" "i" {
  api_id           = aws_apigatewayv2_api.ws.id
  integration_type = "AWS_PROXY"
  integration_uri  = aws_lambda_function.fn.invoke_arn
}
resource "aws_apigatewayv2_route" "send" {
  api_id    = aws_apigatewayv2_api.ws.id
  route_key = "sendmessage"
  target    = "integrations/${aws_apigatewayv2_integration.i.id}"
}
resource "aws_apigatewayv2_route" "ask" {
  api_id    = aws_apigatewayv2_api.ws.id
  route_key = "ask"
  target    = "integrations/${aws_apigatewayv2_integration.i.id}"
}
resource "aws_apigatewayv2_route_response" "ask" {
  api_id             = aws_apigatewayv2_api.ws.id
  route_id           = aws_apigatewayv2_route.ask.id
  route_response_key = "$default"
}
`},
			want: []string{"GL002 main.tf:6 ask stops waiting after 29 s"}, count: 1},
		{name: "SQS queue feeding a function: visibility_timeout_seconds default 30",
			files: map[string]string{"main.tf": lambda("fn", "60") + `
resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}
resource "aws_lambda_event_source_mapping" "jobs" {
  event_source_arn = aws_sqs_queue.jobs.arn
  function_name    = aws_lambda_function.fn.arn
}
`},
			want: []string{"GL008 main.tf:9 queue aws_sqs_queue.jobs has visibility_timeout_seconds 30 s (not set: the default) but feeds function aws_lambda_function.fn with timeout 60 s … fix: set visibility_timeout_seconds of aws_sqs_queue.jobs to 360"}},
		{name: "stages: access logs, a deployment's stage, variables",
			files: map[string]string{"main.tf": lambda("fn", "10") + restAPI + restIntegration("aws_lambda_function.fn.invoke_arn", "") + `
resource "aws_api_gateway_deployment" "d" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = "v1"
}
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = aws_api_gateway_deployment.d.id
  stage_name    = "prod"
  access_log_settings {
    destination_arn = "arn:aws:logs:eu-west-1:123456789012:log-group:api"
    format          = jsonencode({ requestId = "$context.requestId", status = "$context.status" })
  }
}
resource "aws_apigatewayv2_api" "http" {
  name          = "http"
  protocol_type = "HTTP"
}
resource "aws_apigatewayv2_stage" "s" {
  api_id = aws_apigatewayv2_api.http.id
  name   = "$default"
  access_log_settings {
    destination_arn = "arn:aws:logs:eu-west-1:123456789012:log-group:http"
    format          = "$context.requestId $context.routeKey $context.status $context.integrationLatency"
  }
}
`},
			want: []string{"GL009 main.tf:38 stage v1 of aws_api_gateway_rest_api.api writes no access logs",
				"GL009 main.tf:48 the access-log format of stage prod of aws_api_gateway_rest_api.api has a status but no integration latency"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, tc) })
	}
}

func TestLinks(t *testing.T) {
	fn := lambda("fn", "60")
	linked := func(name, uri, extra string) tfCase {
		return tfCase{name: name, files: map[string]string{"main.tf": fn + extra + httpAPI + httpIntegration(uri, "")},
			want: []string{"GL002 main.tf:6 function aws_lambda_function.fn has timeout 60 s but POST /jobs stops waiting after 30 s"}}
	}
	alias := `
resource "aws_lambda_alias" "live" {
  name             = "live"
  function_name    = aws_lambda_function.fn.function_name
  function_version = "1"
}
`
	cases := []tfCase{
		linked("invoke_arn", "aws_lambda_function.fn.invoke_arn", ""),
		linked("arn", "aws_lambda_function.fn.arn", ""),
		linked("qualified_arn", "aws_lambda_function.fn.qualified_arn", ""),
		linked("alias invoke_arn", "aws_lambda_alias.live.invoke_arn", alias),
		linked("alias arn", "aws_lambda_alias.live.arn", alias),
		linked("string template", `"arn:aws:apigateway:${var.region}:lambda:path/2015-03-31/functions/${aws_lambda_function.fn.arn}/invocations"`, "variable \"region\" {}\n"),
		linked("literal ARN matched by function_name", `"arn:aws:lambda:eu-west-1:123456789012:function:fn"`, ""),
		linked("data source naming the function", "data.aws_lambda_function.existing.invoke_arn", "data \"aws_lambda_function\" \"existing\" {\n  function_name = \"fn\"\n}\n"),
		linked("a local", "local.fn_arn", "locals {\n  fn_arn = aws_lambda_function.fn.invoke_arn\n}\n"),
		linked("stage variable", `"arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:$${stageVariables.fn}/invocations"`,
			"resource \"aws_apigatewayv2_stage\" \"s\" {\n  api_id          = aws_apigatewayv2_api.http.id\n  name            = \"$default\"\n  stage_variables = { fn = \"fn\" }\n}\n"),
		linked("a permission, where the uri names the function indirectly", `"arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/${var.fn_arn}/invocations"`,
			"variable \"fn_arn\" {}\nresource \"aws_lambda_permission\" \"api\" {\n  action        = \"lambda:InvokeFunction\"\n  function_name = aws_lambda_function.fn.function_name\n  principal     = \"apigateway.amazonaws.com\"\n  source_arn    = \"${aws_apigatewayv2_api.http.execution_arn}/*\"\n}\n"),
		{name: "module output of a local module",
			files: map[string]string{
				"main.tf":            "module \"fn\" {\n  source  = \"./modules/fn\"\n  timeout = 60\n}\n" + httpAPI + httpIntegration("module.fn.invoke_arn", ""),
				"modules/fn/main.tf": "variable \"timeout\" {}\n" + strings.Replace(lambda("this", "var.timeout"), `"this"`, `"this"`, 1) + "output \"invoke_arn\" {\n  value = aws_lambda_function.this.invoke_arn\n}\n",
			},
			want: []string{"GL002 main.tf:3 function module.fn.aws_lambda_function.this has timeout 60 s but POST /jobs stops waiting after 30 s … fix: set timeout of module.fn.aws_lambda_function.this to 27"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, tc) })
	}
}

func TestExpressions(t *testing.T) {
	withTimeout := func(expr, extra string) map[string]string {
		return map[string]string{"main.tf": extra + lambda("fn", expr) + httpAPI + httpIntegration("aws_lambda_function.fn.invoke_arn", "")}
	}
	rest := func(timeout, extra string) map[string]string {
		return map[string]string{"main.tf": extra + lambda("fn", "5") + restAPI + restIntegration("aws_lambda_function.fn.invoke_arn", "  timeout_milliseconds    = "+timeout+"\n")}
	}
	withFiles := func(m map[string]string, more map[string]string) map[string]string {
		for k, v := range more {
			m[k] = v
		}
		return m
	}
	varX := "variable \"x\" {\n  type = number\n}\n"
	cases := []tfCase{
		{name: "a variable's default", files: withTimeout("var.t", "variable \"t\" {\n  default = 60\n}\n"),
			want: []string{"GL002 main.tf:9 has timeout 60 s (from variable t) but POST /jobs stops waiting after 30 s … or change its default at main.tf:2:13"}},
		{name: "REST timeout_milliseconds = var.x, x from terraform.tfvars", files: withFiles(rest("var.x", varX), map[string]string{"terraform.tfvars": "x = 10000\n"}),
			want: []string{"GL001 main.tf:39 integration timeout of POST /reports is 10000 ms (from variable x), below the regional REST API maximum of 29000 ms: API Gateway gives up on the backend after 10 s. Set x = 29000 in terraform.tfvars (line 1)."}},
		{name: "tfvars edited with --fix-parameters", fixParams: true, files: withFiles(rest("var.x", varX), map[string]string{"terraform.tfvars": "x = 10000\n"}),
			want: []string{"GL001 main.tf:39 fix: set x in terraform.tfvars to 29000"}},
		{name: "*.auto.tfvars over terraform.tfvars", files: withFiles(rest("var.x", varX), map[string]string{"terraform.tfvars": "x = 10000\n", "b.auto.tfvars": "x = 12000\n", "a.auto.tfvars": "x = 11000\n"}),
			want: []string{"GL001 main.tf:39 is 12000 ms (from variable x) … in b.auto.tfvars"}},
		{name: "--params-file x.tfvars over auto.tfvars", paramsFiles: []string{"prod.tfvars"}, files: withFiles(rest("var.x", varX), map[string]string{"a.auto.tfvars": "x = 11000\n", "prod.tfvars": "x = 13000\n"}),
			want: []string{"GL001 main.tf:39 is 13000 ms (from variable x) … Set x = 29000 in prod.tfvars"}},
		{name: "--params-file x.tfvars.json", paramsFiles: []string{"prod.tfvars.json"}, files: withFiles(rest("var.x", varX), map[string]string{"prod.tfvars.json": `{"x": 14000}`}),
			want: []string{"GL001 main.tf:39 is 14000 ms (from variable x)"}},
		{name: "--param over everything", params: map[string]string{"x": "15000"}, paramsFiles: []string{"prod.tfvars"}, files: withFiles(rest("var.x", varX), map[string]string{"prod.tfvars": "x = 13000\n"}),
			want: []string{"GL001 main.tf:39 is 15000 ms (from variable x) … Pass --param x=29000"}},
		{name: "var files beside the module are environments: judged in each",
			files: withFiles(withTimeout("var.t", "variable \"t\" {}\n"), map[string]string{"prod.tfvars": "t = 60\n", "dev.tfvars": "t = 10\n", "staging.tfvars": "t = 60\n"}),
			// Each var file is its own place to change: a finding each; what
			// holds alike in both is said once.
			want: []string{"GL002 main.tf:7 in var file prod, function aws_lambda_function.fn has timeout 60 s (from variable t) … Set t = 27 in prod.tfvars (line 1).",
				"GL002 main.tf:7 in var file staging, function aws_lambda_function.fn has timeout 60 s (from variable t) … Set t = 27 in staging.tfvars (line 1).",
				"GL003 main.tf:17 in var files prod, staging, POST /jobs waits synchronously"}, count: 3},
		{name: "--config-env picks one var file", env: map[string]string{},
			files:     withFiles(withTimeout("var.t", "variable \"t\" {}\n"), map[string]string{"prod.tfvars": "t = 60\n", "dev.tfvars": "t = 10\n"}),
			configEnv: "dev", none: []string{"GL002"}},
		{name: "a variable that sets two kinds of timeout is not edited for one", fixParams: true,
			files: map[string]string{"main.tf": "variable \"t\" {\n  default = 60\n}\n" + lambda("fn", "var.t") + `
resource "aws_sqs_queue" "q" {
  name                       = "q"
  visibility_timeout_seconds = var.t
}
resource "aws_lambda_event_source_mapping" "m" {
  event_source_arn = aws_sqs_queue.q.arn
  function_name    = aws_lambda_function.fn.arn
}
`},
			want: []string{"GL008 main.tf:14 (from variable t) … variable t sets other timeouts too"}},
		{name: "TF_VAR_name", env: map[string]string{"TF_VAR_x": "16000"}, files: rest("var.x", varX),
			want: []string{"GL001 main.tf:39 is 16000 ms (from variable x) … Set TF_VAR_x=29000"}},
		{name: "an unset variable is unknown, not a number", files: rest("var.x", varX), none: []string{"GL001"},
			notes: []string{"timeout_milliseconds of aws_api_gateway_integration.i: var.x has no default and no value was given; pass --param x=VALUE"}},
		{name: "a local", files: withTimeout("local.t", "locals {\n  t = 45\n}\n"),
			want: []string{"GL002 main.tf:9 has timeout 45 s (from local.t) … Change local.t to 27 at main.tf:2:7"}},
		{name: "arithmetic", files: withTimeout("var.minutes * 60", "variable \"minutes\" {\n  default = 2\n}\n"),
			want: []string{"GL002 main.tf:9 has timeout 120 s (from the expression var.minutes * 60) … It is computed by var.minutes * 60 at main.tf:9:19: make it 27."}},
		{name: "a conditional on an unknown variable is judged per branch", files: withTimeout("var.prod ? 60 : 10", "variable \"prod\" {\n  type = bool\n}\n"),
			want: []string{"GL002 main.tf:9 has timeout 60 s when var.prod is true but POST /jobs stops waiting"}},
		{name: "a conditional on a known variable takes its branch", files: withTimeout("var.env == \"prod\" ? 60 : 10", "variable \"env\" {\n  default = \"dev\"\n}\n"),
			none: []string{"GL002"}},
		{name: "min, max, lookup, merge, try, coalesce, format",
			files: withTimeout(`max(min(var.a, 90), lookup(merge(local.m, {x = 1}), "report", 5), try(local.missing, 0), coalesce(null, 3), tonumber(format("%d", 4)))`,
				"variable \"a\" {\n  default = 70\n}\nlocals {\n  m = { report = 50 }\n}\n"),
			want: []string{"GL002 main.tf:12 has timeout 70 s"}},
		{name: "jsonencode, file and templatefile are evaluated",
			files: withFiles(withTimeout(`jsondecode(templatefile("${path.module}/t.json", { n = 50 })).timeout + length(file("x.txt"))`, ""),
				map[string]string{"t.json": `{"timeout": ${n}}`, "x.txt": "abc"}),
			want: []string{"GL002 main.tf:6 has timeout 53 s"}},
		{name: "count: each instance", files: map[string]string{"main.tf": `
resource "aws_lambda_function" "fn" {
  count         = 2
  function_name = "fn-${count.index}"
  timeout       = 40 + count.index
}
` + httpAPI + httpIntegration("aws_lambda_function.fn[1].invoke_arn", "")},
			want: []string{"GL002 main.tf:5 function aws_lambda_function.fn[1] has timeout 41 s"}, count: 1},
		{name: "for_each: each instance", files: map[string]string{"main.tf": `
resource "aws_lambda_function" "fn" {
  for_each      = { a = 40, b = 50 }
  function_name = each.key
  timeout       = each.value
}
` + httpAPI + httpIntegration(`aws_lambda_function.fn["b"].invoke_arn`, "")},
			want: []string{`GL002 main.tf:5 function aws_lambda_function.fn["b"] has timeout 50 s`}},
		{name: "an unknown count is judged once, and said so", files: map[string]string{"main.tf": `
variable "n" {}
resource "aws_lambda_function" "fn" {
  count         = var.n
  function_name = "fn"
  timeout       = 60
}
` + httpAPI + httpIntegration("aws_lambda_function.fn[0].invoke_arn", "")},
			want:  []string{"GL002 main.tf:6 function aws_lambda_function.fn has timeout 60 s"},
			notes: []string{"count of aws_lambda_function.fn is not known offline", "it is judged once"}},
		{name: "overrides merge as Terraform merges them", files: map[string]string{"main.tf": lambda("fn", "10") + httpAPI + httpIntegration("aws_lambda_function.fn.invoke_arn", ""),
			"override.tf": "resource \"aws_lambda_function\" \"fn\" {\n  timeout = 45\n}\n"},
			want: []string{"GL002 override.tf:2 has timeout 45 s"}},
		{name: ".tf.json", files: map[string]string{"main.tf.json": `{
  "resource": {
    "aws_lambda_function": {"fn": {"function_name": "fn", "timeout": 45}},
    "aws_apigatewayv2_api": {"http": {"name": "http", "protocol_type": "HTTP"}},
    "aws_apigatewayv2_integration": {"i": {"api_id": "${aws_apigatewayv2_api.http.id}", "integration_type": "AWS_PROXY", "integration_uri": "${aws_lambda_function.fn.invoke_arn}"}},
    "aws_apigatewayv2_route": {"r": {"api_id": "${aws_apigatewayv2_api.http.id}", "route_key": "POST /jobs", "target": "integrations/${aws_apigatewayv2_integration.i.id}"}}
  }
}`},
			want: []string{"GL002 main.tf.json:3 has timeout 45 s … fix: set timeout of aws_lambda_function.fn to 27"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, tc) })
	}
}

func TestModules(t *testing.T) {
	cases := []tfCase{
		{name: "a local module whose input sets the function timeout points at the caller's argument",
			files: map[string]string{
				"main.tf": `module "worker" {
  source  = "./modules/worker"
  timeout = 50
}
` + httpAPI + httpIntegration("module.worker.arn", ""),
				"modules/worker/main.tf": `variable "timeout" {
  default = 3
}
resource "aws_lambda_function" "this" {
  function_name = "worker"
  timeout       = var.timeout
}
output "arn" {
  value = aws_lambda_function.this.arn
}
`},
			want:  []string{"GL002 main.tf:3 function module.worker.aws_lambda_function.this has timeout 50 s but POST /jobs … fix: set timeout of module.worker.aws_lambda_function.this to 27"},
			count: 2},
		{name: "a module input that comes from the root's variable points at the caller's argument, set at the default",
			files: map[string]string{
				"main.tf":                "variable \"t\" {\n  default = 50\n}\nmodule \"worker\" {\n  source  = \"./modules/worker\"\n  timeout = var.t\n}\n" + httpAPI + httpIntegration("module.worker.arn", ""),
				"modules/worker/main.tf": "variable \"timeout\" {}\nresource \"aws_lambda_function\" \"this\" {\n  function_name = \"worker\"\n  timeout       = var.timeout\n}\noutput \"arn\" {\n  value = aws_lambda_function.this.arn\n}\n"},
			want: []string{"GL002 main.tf:6 has timeout 50 s (from variable t) … change its default at main.tf:2:13"}},
		{name: "a walked module called by another is read through its caller only",
			files: map[string]string{
				"envs/prod/main.tf":      "module \"app\" {\n  source  = \"../../modules/app\"\n  timeout = 45\n}\n",
				"envs/dev/main.tf":       "module \"app\" {\n  source  = \"../../modules/app\"\n  timeout = 45\n}\n",
				"modules/app/main.tf":    "variable \"timeout\" {}\n" + lambda("fn", "var.timeout") + httpAPI + httpIntegration("aws_lambda_function.fn.invoke_arn", ""),
				"modules/app/outputs.tf": "output \"x\" {\n  value = 1\n}\n",
			},
			want: []string{"GL002 envs/dev/main.tf:3 module.app.aws_lambda_function.fn", "GL002 envs/prod/main.tf:3 module.app.aws_lambda_function.fn"},
		},
		{name: "terraform-aws-modules/lambda read from its inputs",
			files: map[string]string{"main.tf": `module "report" {
  source        = "terraform-aws-modules/lambda/aws"
  version       = "8.8.0"
  function_name = "report"
  timeout       = 120
}
module "small" {
  source        = "terraform-aws-modules/lambda/aws"
  function_name = "small"
}
` + httpAPI + httpIntegration("module.report.lambda_function_invoke_arn", "")},
			want: []string{"GL002 main.tf:5 function module.report.aws_lambda_function.this[0] has timeout 120 s but POST /jobs stops waiting after 30 s … fix: set timeout of module.report.aws_lambda_function.this[0] to 27"}},
		{name: "a lambda module call without timeout takes 3 s; the fix inserts it",
			files: map[string]string{"main.tf": `module "report" {
  source        = "terraform-aws-modules/lambda/aws"
  function_name = "report"
}
` + httpAPI + httpIntegration("module.report.lambda_function_arn", "  timeout_milliseconds   = 3000\n")},
			want: []string{"GL002 main.tf:1 has timeout 3 s (not set: the default) but POST /jobs stops waiting after 3 s"}},
		{name: "terraform-aws-modules/apigateway-v2 routes (v5 and later)",
			files: map[string]string{"main.tf": `module "fn" {
  source        = "terraform-aws-modules/lambda/aws"
  function_name = "fn"
  timeout       = 25
}
module "api" {
  source        = "terraform-aws-modules/apigateway-v2/aws"
  version       = "6.1.0"
  name          = "api"
  protocol_type = "HTTP"

  routes = {
    "POST /jobs" = {
      integration = {
        uri                  = module.fn.lambda_function_arn
        timeout_milliseconds = 45000
      }
    }
    "GET /jobs" = {
      integration = {
        uri = module.fn.lambda_function_arn
      }
    }
  }

  stage_access_log_settings = {
    create_log_group = true
  }
}
`},
			want: []string{"GL004 main.tf:16 integration timeout of POST /jobs is 45000 ms, above the HTTP API maximum of 30000 ms … fix: set timeout_milliseconds to 30000"},
			none: []string{"GL009", "GL002"}},
		{name: "terraform-aws-modules/apigateway-v2 integrations (v2 to v4)",
			files: map[string]string{"main.tf": lambda("fn", "60") + `
module "api" {
  source        = "terraform-aws-modules/apigateway-v2/aws"
  version       = "~> 4.0"
  name          = "api"
  protocol_type = "HTTP"
  integrations = {
    "ANY /" = {
      lambda_arn             = aws_lambda_function.fn.arn
      payload_format_version = "2.0"
      timeout_milliseconds   = 12000
    }
  }
}
`},
			want: []string{"GL002 main.tf:6 ANY / stops waiting after 12 s", "GL001 main.tf:18 is 12000 ms", "GL009 main.tf:9 writes no access logs"}},
		{name: "a registry module that is not installed is noted",
			files: map[string]string{"main.tf": "module \"svc\" {\n  source = \"acme/api-service/aws\"\n}\n"},
			notes: []string{`module.svc is not checked: module source "acme/api-service/aws" is not installed`, "run terraform init"}},
		{name: "an installed module is read from .terraform/modules",
			files: map[string]string{
				"main.tf":                         "module \"svc\" {\n  source  = \"acme/api-service/aws\"\n  timeout = 50\n}\n" + httpAPI + httpIntegration("module.svc.arn", ""),
				".terraform/modules/modules.json": `{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"svc","Source":"registry.terraform.io/acme/api-service/aws","Version":"1.0.0","Dir":".terraform/modules/svc"}]}`,
				".terraform/modules/svc/main.tf":  "variable \"timeout\" {}\nresource \"aws_lambda_function\" \"this\" {\n  function_name = \"svc\"\n  timeout       = var.timeout\n}\noutput \"arn\" {\n  value = aws_lambda_function.this.arn\n}\n",
			},
			want: []string{"GL002 main.tf:3 function module.svc.aws_lambda_function.this has timeout 50 s"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, tc) })
	}
}

func TestOpenAPIBodies(t *testing.T) {
	fn := lambda("fn", "60")
	cases := []tfCase{
		{name: "jsonencode body read through its HCL",
			files: map[string]string{"main.tf": fn + `
resource "aws_api_gateway_rest_api" "api" {
  name = "api"
  body = jsonencode({
    openapi = "3.0.1"
    paths = {
      "/reports" = {
        post = {
          x-amazon-apigateway-integration = {
            type            = "aws_proxy"
            httpMethod      = "POST"
            uri             = aws_lambda_function.fn.invoke_arn
            timeoutInMillis = 10000
          }
        }
      }
    }
  })
}
`},
			want: []string{"GL001 main.tf:20 integration timeout of POST /reports is 10000 ms … fix: set timeoutInMillis to 29000",
				"GL002 main.tf:6 POST /reports stops waiting after 10 s"}},
		{name: "file() body",
			files: map[string]string{"main.tf": fn + "resource \"aws_apigatewayv2_api\" \"api\" {\n  name          = \"api\"\n  protocol_type = \"HTTP\"\n  body          = file(\"api.json\")\n}\n",
				"api.json": `{"openapi": "3.0.1", "paths": {"/reports": {"post": {"x-amazon-apigateway-integration": {"type": "AWS_PROXY", "uri": "arn:aws:lambda:eu-west-1:123456789012:function:fn", "timeoutInMillis": 45000}}}}}`},
			want: []string{"GL004 api.json:1 integration timeout of POST /reports is 45000 ms … fix: set timeoutInMillis to 30000"}},
		{name: "templatefile() body with $ref to components.x-amazon-apigateway-integrations",
			files: map[string]string{"main.tf": fn + "resource \"aws_apigatewayv2_api\" \"api\" {\n  name          = \"api\"\n  protocol_type = \"HTTP\"\n  body          = templatefile(\"api.yaml\", { arn = aws_lambda_function.fn.arn })\n}\n",
				"api.yaml": `openapi: 3.0.1
paths:
  /reports:
    post:
      x-amazon-apigateway-integration:
        $ref: "#/components/x-amazon-apigateway-integrations/fn"
components:
  x-amazon-apigateway-integrations:
    fn:
      type: AWS_PROXY
      uri: ${arn}
      timeoutInMillis: 20000
`},
			want: []string{"GL002 main.tf:6 POST /reports stops waiting after 20 s", "GL001 api.yaml:12 is 20000 ms … fix: set timeoutInMillis to 30000"}},
		{name: "a $ref that does not resolve is noted",
			files: map[string]string{"main.tf": fn + "resource \"aws_apigatewayv2_api\" \"api\" {\n  name          = \"api\"\n  protocol_type = \"HTTP\"\n  body          = file(\"api.yaml\")\n}\n",
				"api.yaml": "paths:\n  /x:\n    get:\n      x-amazon-apigateway-integration:\n        $ref: '#/components/x-amazon-apigateway-integrations/nope'\n"},
			notes: []string{"does not resolve"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, tc) })
	}
}

func TestSuppression(t *testing.T) {
	base := lambda("fn", "60") + httpAPI + httpIntegration("aws_lambda_function.fn.invoke_arn", "")
	cases := []tfCase{
		{name: "above the block", files: map[string]string{"main.tf": strings.Replace(base, `resource "aws_lambda_function"`, "# gatelint:ignore GL002 retried idempotently\nresource \"aws_lambda_function\"", 1)},
			none: []string{"GL002"}, want: []string{"GL003 main.tf:"}},
		{name: "above the attribute", files: map[string]string{"main.tf": strings.Replace(base, "  timeout       = 60", "  # gatelint:ignore GL002,GL003 reason\n  timeout       = 60", 1)},
			none: []string{"GL002"}},
		{name: "on a module call", files: map[string]string{"main.tf": "// gatelint:ignore GL002\nmodule \"fn\" {\n  source        = \"terraform-aws-modules/lambda/aws\"\n  function_name = \"fn\"\n  timeout       = 60\n}\n" + httpAPI + httpIntegration("module.fn.lambda_function_arn", "")},
			none: []string{"GL002"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, tc) })
	}
}

// TestFixes applies every fix --fix would, as --fix does: each patched
// file re-parses through the reader, git apply takes the diff, the fixed
// findings are gone on a second run, and a second --fix changes nothing.
func TestFixes(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	cases := []tfCase{
		{name: "replace a literal, insert an aligned timeout, a tfvars line and a default with --fix-parameters", fixParams: true,
			files: map[string]string{
				"main.tf": "variable \"x\" {}\nvariable \"t\" {\n  default = 45\n}\n" + lambda("fn", "") + lambda("g", "var.t") + lambda("h", "50") + restAPI +
					restIntegration("aws_lambda_function.fn.invoke_arn", "  timeout_milliseconds    = var.x\n") + httpAPI + httpIntegration("aws_lambda_function.g.invoke_arn", "") +
					"resource \"aws_apigatewayv2_route\" \"h\" {\n  api_id    = aws_apigatewayv2_api.http.id\n  route_key = \"GET /h\"\n  target    = \"integrations/${aws_apigatewayv2_integration.h.id}\"\n}\n" +
					strings.Replace(httpIntegration("aws_lambda_function.h.invoke_arn", "  timeout_milliseconds   = 45000\n"), `"i"`, `"h"`, 1) +
					"resource \"aws_sqs_queue\" \"q\" {\n  name                      = \"q\"\n  message_retention_seconds = 60\n}\nresource \"aws_lambda_event_source_mapping\" \"m\" {\n  event_source_arn = aws_sqs_queue.q.arn\n  function_name    = aws_lambda_function.h.arn\n}\n",
				"terraform.tfvars": "x = 10000 # ms\n",
			}},
		{name: "module arguments and OpenAPI literals",
			files: map[string]string{
				"main.tf": "module \"fn\" {\n  source        = \"terraform-aws-modules/lambda/aws\"\n  function_name = \"fn\"\n  timeout       = 60\n}\n" + `
resource "aws_apigatewayv2_api" "api" {
  name          = "api"
  protocol_type = "HTTP"
  body = jsonencode({
    paths = {
      "/a" = { get = { "x-amazon-apigateway-integration" = { type = "AWS_PROXY", uri = module.fn.lambda_function_arn, timeoutInMillis = 45000 } } }
    }
  })
}
`}},
		{name: "insert timeout into a block that has none, aligned with its neighbours", disabled: []string{"GL001"},
			files: map[string]string{"main.tf": lambda("fn", "") + restAPI + restIntegration("aws_lambda_function.fn.invoke_arn", "  timeout_milliseconds    = 4000\n") +
				"resource \"aws_sqs_queue\" \"q\" {\n  name                          = \"q\"\n  delay_seconds                 = 0\n}\n" +
				"resource \"aws_lambda_event_source_mapping\" \"m\" {\n  event_source_arn = aws_sqs_queue.q.arn\n  function_name    = aws_lambda_function.fn.arn\n}\n"}},
		{name: "CRLF line endings and tabs", files: map[string]string{
			"main.tf": strings.ReplaceAll(strings.ReplaceAll(lambda("fn", "")+httpAPI+httpIntegration("aws_lambda_function.fn.invoke_arn", "\ttimeout_milliseconds = 2000\n"), "\n", "\r\n"), "  ", "\t"),
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, dir := runCase(t, tc)
			var fixed []finding.Finding
			for _, f := range res.Findings {
				if len(f.Fixes) > 0 && len(f.Fixes[0].Edits) > 0 {
					fixed = append(fixed, f)
				}
			}
			if len(fixed) == 0 {
				t.Fatalf("no fixes among %d findings", len(res.Findings))
			}
			// As --fix --unsafe-fixes (and --diff) take them.
			plan := fix.Prepare(res.Findings, res.Sources, fix.Options{Reparse: res.Reparse, Unsafe: true})
			for _, err := range plan.Refused {
				t.Errorf("refused: %v", err)
			}
			git := func(args ...string) string {
				cmd := exec.Command("git", args...)
				cmd.Dir = dir
				out, err := cmd.CombinedOutput()
				if err != nil {
					t.Fatalf("git %v: %v\n%s", args, err, out)
				}
				return string(out)
			}
			git("init", "-q")
			git("add", "-A")
			diff := filepath.Join(t.TempDir(), "fix.diff")
			if err := os.WriteFile(diff, []byte(fix.DiffString(plan.Changes)), 0o644); err != nil {
				t.Fatal(err)
			}
			git("apply", "--check", diff)
			if _, errs := fix.Write(plan.Changes, []string{"."}); len(errs) > 0 {
				t.Fatalf("write: %v", errs)
			}
			for _, c := range plan.Changes {
				if err := res.Reparse(c.Path, c.Before, c.After); err != nil {
					t.Errorf("%s does not re-parse: %v", c.Path, err)
				}
			}
			cfg := driver.Config{Paths: []string{"."}, Rules: rules.DefaultConfig(), KeepSources: true, Disabled: map[string]bool{}}
			cfg.Rules.FixParameters = tc.fixParams
			for _, r := range tc.disabled {
				cfg.Disabled[r] = true
			}
			again := driver.Run(cfg)
			if len(again.Errors) > 0 {
				t.Errorf("input errors after fixing: %v", again.Errors)
			}
			left := map[string]bool{}
			for _, f := range again.Findings {
				left[f.RuleID+" "+f.Resource.Address] = true
			}
			for _, f := range fixed {
				if left[f.RuleID+" "+f.Resource.Address] {
					t.Errorf("still there after its fix: %s", describe(f))
				}
			}
			second := fix.Prepare(again.Findings, again.Sources, fix.Options{Reparse: again.Reparse, Unsafe: true})
			if len(second.Changes) > 0 {
				t.Errorf("a second --fix changes %s:\n%s", second.Changes[0].Path, fix.DiffString(second.Changes))
			}
			var names []string
			for _, c := range plan.Changes {
				names = append(names, c.Path)
			}
			sort.Strings(names)
			t.Logf("fixed %d findings in %v:\n%s", len(fixed), names, fix.DiffString(plan.Changes))
		})
	}
}

// TestReparseRefuses: a patch that breaks the file is refused.
func TestReparseRefuses(t *testing.T) {
	res, _ := runCase(t, tfCase{files: map[string]string{"main.tf": lambda("fn", "45") + httpAPI + httpIntegration("aws_lambda_function.fn.arn", ""), "terraform.tfvars": "a = 1\n"}})
	before := res.Sources["main.tf"]
	if err := res.Reparse("main.tf", before, append([]byte("resource {"), before...)); err == nil {
		t.Error("a broken .tf file was accepted")
	}
	if err := res.Reparse("main.tf", before, []byte(strings.Replace(string(before), "45", "27", 1))); err != nil {
		t.Errorf("a good patch was refused: %v", err)
	}
	if err := res.Reparse("terraform.tfvars", []byte("a = 1\n"), []byte("a = = 1\n")); err == nil {
		t.Error("a broken tfvars file was accepted")
	}
}

// TestPlan reads the hand-written plan fixtures (testdata/plan/README.md).
func TestPlan(t *testing.T) {
	run := func(dir string) *driver.Result {
		res := driver.Run(driver.Config{Paths: []string{dir}, Rules: rules.DefaultConfig(), KeepSources: true})
		if err := res.Model.Validate(); err != nil {
			t.Errorf("the model is not consistent: %v", err)
		}
		for _, e := range res.Errors {
			t.Errorf("input error: %v", e)
		}
		return res
	}
	got := func(res *driver.Result) string {
		var out []string
		for _, f := range res.Findings {
			out = append(out, describe(f))
		}
		return strings.Join(out, "\n")
	}
	alone := got(run("testdata/plan/alone"))
	for _, w := range []string{
		"GL002 testdata/plan/alone/plan.json:11 function aws_lambda_function.report has timeout 60 s but POST /reports stops waiting after 30 s",
		"GL004 testdata/plan/alone/plan.json:31 integration timeout of POST /reports is 45000 ms",
		"GL009 testdata/plan/alone/plan.json:51 the access-log format of stage $default",
	} {
		if !strings.Contains(alone, w) {
			t.Errorf("alone: no %q in\n%s", w, alone)
		}
	}
	if strings.Contains(alone, "fix:") {
		t.Errorf("a plan is not the source: no fix may edit it\n%s", alone)
	}
	beside := run("testdata/plan/beside")
	b := got(beside)
	for _, w := range []string{
		"GL002 testdata/plan/beside/main.tf:9 function aws_lambda_function.report has timeout 60 s (from variable report_timeout)",
		"The plan plan.json was made with this value",
		"GL004 testdata/plan/beside/main.tf:21",
	} {
		if !strings.Contains(b, w) {
			t.Errorf("beside: no %q in\n%s", w, b)
		}
	}
	if beside.Stats.Modules != 1 || len(beside.Findings) != 3 {
		t.Errorf("beside: %d modules read, %d findings; want the configuration once, 3 findings:\n%s", beside.Stats.Modules, len(beside.Findings), b)
	}
}

// TestNotAPlan: a JSON file that is not a plan is left to the other
// readers, or skipped.
func TestNotAPlan(t *testing.T) {
	res, _ := runCase(t, tfCase{files: map[string]string{"package.json": `{"name": "x", "format_version": "1"}`, "main.tf": lambda("fn", "10")}})
	if len(res.Errors) != 0 || res.Stats.Modules != 1 {
		t.Errorf("errors %v, %d modules", res.Errors, res.Stats.Modules)
	}
}

// TestSniff: a large walked JSON file is Terraform's only when it starts
// as a plan; a large configuration file always is.
func TestSniff(t *testing.T) {
	for head, want := range map[string]bool{
		`{"format_version":"1.2","terraform_version":"1.9.5"`: true,
		`{"type": "FeatureCollection", "features": [`:         false,
		"resource \"aws_lambda_function\" \"f\" {\n":          true,
		`{"resource": {"aws_lambda_function": {}}}`:           true,
		`[1, 2, 3]`: false,
	} {
		if got, _ := (terraform.Reader{}).Sniff([]byte(head), 9<<20); got != want {
			t.Errorf("Sniff(%q) = %v, want %v", head, got, want)
		}
	}
}
