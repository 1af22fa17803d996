resource "aws_api_gateway_rest_api" "json_body" {
  name = "json"
  body = jsonencode({
    openapi = "3.0.1"
    paths = {
      "/" = {
        get = {
          "x-amazon-apigateway-integration" = {
            type            = "aws_proxy"
            timeoutInMillis = local.double * 1000
            uri             = aws_lambda_function.api.invoke_arn
          }
        }
      }
    }
  })
}

resource "aws_api_gateway_rest_api" "tpl_body" {
  name = "tpl"
  body = templatefile("${path.module}/openapi.yaml.tftpl", {
    timeout    = 25000
    lambda_arn = aws_lambda_function.api.invoke_arn
  })
}

locals {
  spec     = yamldecode(templatefile("${path.module}/openapi.yaml.tftpl", { timeout = 12000, lambda_arn = "arn:x" }))
  spec_ms  = local.spec.paths["/"].post["x-amazon-apigateway-integration"].timeoutInMillis
  escaping = file("${path.module}/../../../../../../etc/hostname")
}

resource "aws_api_gateway_stage" "s" {
  stage_name = var.stage_name

  access_log_settings {
    destination_arn = "arn:aws:logs:eu-west-1:123:log-group:x"
    format          = jsonencode({ requestId = "$context.requestId", status = "$context.status" })
  }

  dynamic "method_settings" {
    for_each = { "*/*" = 100, "GET/x" = 5 }
    content {
      method_path = method_settings.key
      throttle    = method_settings.value
    }
  }

  dynamic "canary" {
    for_each = var.env == "prod" ? [1] : []
    iterator = c
    content {
      percent = c.value
    }
  }
}

resource "aws_lambda_function" "escapes" {
  function_name = "x"
  description   = local.escaping
}
