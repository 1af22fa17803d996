package terraform_test

import (
	"strings"
	"testing"

	"github.com/gatelint/gatelint/internal/model"
)

// TestMoreForms: the forms the other tables leave out: a REST stage's
// variables naming the function, an HTTP API integration_subtype, the
// lambda module's event_source_mapping, the apigateway-v2 module's body,
// and a count past the evaluator's cap.
func TestMoreForms(t *testing.T) {
	fn := lambda("fn", "60")
	cases := []tfCase{
		{name: "a REST stage's variables name the function",
			files: map[string]string{"main.tf": fn + restAPI + restIntegration(`"arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:$${stageVariables.fn}/invocations"`, "") + `
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = "d"
  stage_name    = "prod"
  variables = {
    fn = "fn"
  }
}
`},
			want: []string{"GL002 main.tf:6 function aws_lambda_function.fn has timeout 60 s but POST /reports stops waiting after 29 s (the default)"}},
		{name: "the lambda module's event_source_mapping links its queue",
			files: map[string]string{"main.tf": `module "worker" {
  source        = "terraform-aws-modules/lambda/aws"
  function_name = "worker"
  timeout       = 120
  event_source_mapping = {
    sqs = {
      event_source_arn = aws_sqs_queue.jobs.arn
    }
  }
}

resource "aws_sqs_queue" "jobs" {
  name                       = "jobs"
  visibility_timeout_seconds = 60
}
`},
			want:  []string{"GL008 main.tf:14 queue aws_sqs_queue.jobs has visibility_timeout_seconds 60 s but feeds function module.worker … Set visibility_timeout_seconds to at least 6 × 120 = 720 s"},
			count: 1},
		{name: "the apigateway-v2 module's body",
			files: map[string]string{"main.tf": fn + `
module "api" {
  source        = "terraform-aws-modules/apigateway-v2/aws"
  name          = "api"
  protocol_type = "HTTP"
  body = jsonencode({
    openapi = "3.0.1"
    paths = {
      "/reports" = {
        post = {
          x-amazon-apigateway-integration = {
            type                 = "AWS_PROXY"
            uri                  = aws_lambda_function.fn.invoke_arn
            payloadFormatVersion = "2.0"
            timeoutInMillis      = 10000
          }
        }
      }
    }
  })
}
`},
			want: []string{"GL001 main.tf:22 integration timeout of POST /reports is 10000 ms … fix: set timeoutInMillis to 30000",
				"GL002 main.tf:6 POST /reports stops waiting after 10 s"}},
		{name: "each.value of a for_each over the caller's map points at the caller's entry, with an edit",
			files: map[string]string{
				"main.tf": `module "api" {
  source = "./modules/api"
  routes = {
    "GET /fast" = {
      integration = {
        timeout_milliseconds = 30000
      }
    }
    "POST /slow" = {
      integration = {
        timeout_milliseconds = 12000
      }
    }
  }
}
`,
				"modules/api/main.tf": `variable "routes" {}
resource "aws_apigatewayv2_api" "this" {
  name          = "api"
  protocol_type = "HTTP"
}
resource "aws_apigatewayv2_route" "this" {
  for_each  = var.routes
  api_id    = aws_apigatewayv2_api.this.id
  route_key = each.key
  target    = "integrations/${aws_apigatewayv2_integration.this[each.key].id}"
}
resource "aws_apigatewayv2_integration" "this" {
  for_each             = { for k, v in var.routes : k => v.integration }
  api_id               = aws_apigatewayv2_api.this.id
  integration_type     = "HTTP_PROXY"
  integration_method   = "ANY"
  integration_uri      = "https://example.com"
  timeout_milliseconds = each.value.timeout_milliseconds
}
`},
			want:  []string{"GL001 main.tf:11 integration timeout of POST /slow is 12000 ms, below the HTTP API maximum of 30000 ms … fix: set timeout_milliseconds to 30000"},
			none:  []string{"GL002"},
			count: 1},
		{name: "a count past the cap is said, not silently cut",
			files: map[string]string{"main.tf": strings.Replace(lambda("fn", "60"), "  function_name", "  count         = 100000000\n  function_name", 1)},
			notes: []string{"Too many instances: aws_lambda_function.fn has 100000000 instances; only the first 1000 are evaluated. The rest are not checked."}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, tc) })
	}
}

// TestIntegrationSubtype: an HTTP API integration with an
// integration_subtype is the AWS service it names, not a function: SQS
// accepts the message at once, so nobody waits on a Lambda function.
func TestIntegrationSubtype(t *testing.T) {
	tc := tfCase{files: map[string]string{"main.tf": lambda("fn", "60") + httpAPI + `
resource "aws_apigatewayv2_integration" "i" {
  api_id              = aws_apigatewayv2_api.http.id
  integration_type    = "AWS_PROXY"
  integration_subtype = "SQS-SendMessage"
  credentials_arn     = "arn:aws:iam::123456789012:role/api"
  request_parameters = {
    QueueUrl    = "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs"
    MessageBody = "$request.body"
  }
}
`}, none: []string{"GL002", "GL003"}}
	res := checkCase(t, tc)
	var kinds []string
	for _, api := range res.Model.APIs {
		for _, e := range api.Endpoints {
			if e.Integration != nil {
				kinds = append(kinds, e.Method+" "+e.Path+" "+e.Integration.Kind.String()+" "+e.Integration.Target)
				if e.Integration.Kind != model.AWSAsync || e.Integration.Function != nil {
					t.Errorf("integration of %s %s: %s, function %v", e.Method, e.Path, e.Integration.Kind, e.Integration.Function)
				}
			}
		}
	}
	if len(kinds) != 1 {
		t.Errorf("endpoints %q, want POST /jobs only", kinds)
	}
}

// TestPlanFillsWhatTheConfigurationCannotKnow: beside its configuration,
// a plan's planned value gives an attribute the configuration reads from
// a data source (known at plan time, not offline): judged at the .tf
// line, said to come from the plan, with advice and no edit.
func TestPlanFillsWhatTheConfigurationCannotKnow(t *testing.T) {
	const main = `resource "aws_lambda_function" "fn" {
  function_name = "fn"
  handler       = "index.handler"
  runtime       = "python3.12"
  timeout       = 60
}
data "aws_ssm_parameter" "vis" {
  name = "/vis"
}
resource "aws_sqs_queue" "q" {
  name                       = "q"
  visibility_timeout_seconds = data.aws_ssm_parameter.vis.value
}
resource "aws_lambda_event_source_mapping" "m" {
  event_source_arn = aws_sqs_queue.q.arn
  function_name    = aws_lambda_function.fn.arn
}
`
	const plan = `{"format_version": "1.2", "terraform_version": "1.9.5", "variables": {},
 "planned_values": {"root_module": {"resources": [
  {"address": "aws_lambda_function.fn", "mode": "managed", "type": "aws_lambda_function", "name": "fn", "values": {"function_name": "fn", "timeout": 60}},
  {"address": "aws_sqs_queue.q", "mode": "managed", "type": "aws_sqs_queue", "name": "q", "values": {"name": "q", "visibility_timeout_seconds": 120}}]}},
 "resource_changes": [
  {"address": "aws_lambda_function.fn", "mode": "managed", "type": "aws_lambda_function", "name": "fn", "change": {"actions": ["create"], "after": {"timeout": 60}, "after_unknown": {}}},
  {"address": "aws_sqs_queue.q", "mode": "managed", "type": "aws_sqs_queue", "name": "q", "change": {"actions": ["create"], "after": {"visibility_timeout_seconds": 120}, "after_unknown": {}}}]}
`
	checkCase(t, tfCase{files: map[string]string{"main.tf": main, "plan.json": plan},
		want:  []string{"GL008 main.tf:12 queue aws_sqs_queue.q has visibility_timeout_seconds 120 s (from the plan plan.json) but feeds function aws_lambda_function.fn with timeout 60 s … The plan plan.json gives 120, where the configuration cannot tell"},
		count: 1})
	// Without the plan, the value is unknown and said so.
	checkCase(t, tfCase{files: map[string]string{"main.tf": main}, notes: []string{"data.aws_ssm_parameter.vis.value"}, none: []string{"GL008"}})
}
