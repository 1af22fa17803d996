resource "aws_lambda_function" "aligned" {
  function_name = "x"
  handler       = "y"

  environment {
    variables = {}
  }
}

resource "aws_lambda_function" "plain" {
    role = "r"
}

resource "aws_lambda_function" "empty" {}

resource "aws_lambda_function" "nobody" {
  tags = {
    a = "b"
  }
}

resource "aws_lambda_function" "counted" {
  count         = 1
  function_name = "x"
}
