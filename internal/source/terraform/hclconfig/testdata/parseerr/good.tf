resource "aws_lambda_function" "ok" {
  timeout = 9
}
