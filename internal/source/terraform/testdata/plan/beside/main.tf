variable "report_timeout" {
  type = number
}

resource "aws_lambda_function" "report" {
  function_name = "report"
  handler       = "index.handler"
  runtime       = "python3.12"
  timeout       = var.report_timeout
}

resource "aws_apigatewayv2_api" "http" {
  name          = "reports"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "report" {
  api_id               = aws_apigatewayv2_api.http.id
  integration_type     = "AWS_PROXY"
  integration_uri      = aws_lambda_function.report.invoke_arn
  timeout_milliseconds = 45000
}

resource "aws_apigatewayv2_route" "report" {
  api_id    = aws_apigatewayv2_api.http.id
  route_key = "POST /reports"
  target    = "integrations/${aws_apigatewayv2_integration.report.id}"
}
