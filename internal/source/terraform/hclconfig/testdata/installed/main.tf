module "lambda" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "7.2.0"
  timeout = 90
}
