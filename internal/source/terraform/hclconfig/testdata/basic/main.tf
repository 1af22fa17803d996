variable "timeout" {
  type    = number
  default = 10
}

variable "env" {
  type = string
}

variable "memory" {
  default = 128
}

variable "stage_name" {
  type    = string
  default = "dev"
}

locals {
  fn_name = "api-${terraform.workspace}"
  double  = var.timeout * 2
  int_ms  = var.env == "prod" ? 29000 : 10000
}

# gatelint:ignore GL002 the client polls
resource "aws_lambda_function" "api" {
  function_name = local.fn_name
  timeout       = var.timeout
  memory_size   = var.memory
  handler       = "index.handler"

  environment {
    variables = {
      STAGE = var.stage_name
    }
  }
}

resource "aws_api_gateway_integration" "int" {
  rest_api_id = "abc"
  // gatelint:ignore GL003,GL004 -- kept short on purpose
  timeout_milliseconds = var.env == "prod" ? 29000 : (var.env == "test" ? 20000 : 10000)
  uri                  = aws_lambda_function.api.invoke_arn
}

resource "aws_api_gateway_integration" "via_local" {
  rest_api_id          = "abc"
  timeout_milliseconds = local.int_ms
  uri                  = "arn:aws:apigateway:${data.aws_region.current.name}:lambda:path/2015-03-31/functions/${aws_lambda_function.api.arn}/invocations"
}

data "aws_region" "current" {}

data "aws_ssm_parameter" "vis" {
  name = "/queue/visibility"
}

resource "aws_sqs_queue" "q" {
  name                       = "${aws_lambda_function.api.function_name}-queue"
  visibility_timeout_seconds = data.aws_ssm_parameter.vis.value
}

resource "aws_lambda_function" "counted" {
  count         = 2
  function_name = "f-${count.index}"
  timeout       = 5 + count.index
}

resource "aws_lambda_function" "each" {
  for_each      = { a = 3, b = 4 }
  function_name = each.key
  timeout       = each.value
}

resource "aws_lambda_function" "maybe" {
  count   = var.env == "prod" ? 1 : 0
  timeout = 7
}

resource "aws_lambda_function" "off" {
  count   = 0
  timeout = 8
}

resource "aws_lambda_event_source_mapping" "m" {
  event_source_arn = aws_sqs_queue.q.arn
  function_name    = aws_lambda_function.counted[1].function_name
}
