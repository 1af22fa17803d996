resource "aws_lambda_function" "a" {
  timeout = 1
}
