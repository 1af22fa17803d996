resource "aws_lambda_function" "nope" {
  timeout = 2
}
