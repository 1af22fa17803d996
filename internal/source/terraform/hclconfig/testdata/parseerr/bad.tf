resource "aws_lambda_function" "bad" {
  timeout = = 3
}
