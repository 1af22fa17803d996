resource "aws_lambda_function" "api" {
  timeout = 20

  environment {
    variables = {
      STAGE = "overridden"
    }
  }
}

locals {
  fn_name = "api-override"
}
