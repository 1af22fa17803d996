variable "timeout" {
  type    = number
  default = 3
}
resource "aws_lambda_function" "this" {
  timeout = var.timeout
}
module "inner" {
  source = "./modules/inner"
  t      = var.timeout
}
