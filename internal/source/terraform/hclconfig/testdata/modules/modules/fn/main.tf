variable "name" {
  type = string
}

variable "timeout" {
  type    = number
  default = 3
}

resource "aws_lambda_function" "this" {
  count         = 1
  function_name = var.name
  timeout       = var.timeout
}

output "invoke_arn" {
  value = aws_lambda_function.this[0].invoke_arn
}

output "function_name" {
  value = aws_lambda_function.this[0].function_name
}

output "timeout" {
  value = var.timeout
}
