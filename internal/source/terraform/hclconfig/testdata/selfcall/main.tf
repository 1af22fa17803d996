module "again" {
  source = "./"
}
resource "aws_lambda_function" "f" {
  timeout = 3
}
