variable "fn_timeout" {
  type    = number
  default = 40
}

module "fn" {
  source  = "./modules/fn"
  name    = "orders"
  timeout = var.fn_timeout
}

module "fns" {
  source   = "./modules/fn"
  for_each = toset(["a", "b"])
  name     = "fn-${each.key}"
  timeout  = 3
}

module "counted" {
  source  = "./modules/fn"
  count   = 1
  name    = "c${count.index}"
}

module "api" {
  source     = "./modules/api"
  lambda_arn = module.fn.invoke_arn
  timeout_ms = 29000
}

module "registry_lambda" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "~> 7.0"

  function_name = "reg"
  timeout       = 60
  handler       = "index.handler"
}

resource "aws_apigatewayv2_integration" "reg" {
  api_id             = "x"
  integration_uri    = module.registry_lambda.lambda_function_invoke_arn
  timeout_milliseconds = 30000
}

output "fn_name" {
  value = module.fn.function_name
}
