variable "lambda_arn" {}
variable "timeout_ms" {}

resource "aws_api_gateway_integration" "this" {
  rest_api_id          = "r"
  uri                  = var.lambda_arn
  timeout_milliseconds = var.timeout_ms
}
