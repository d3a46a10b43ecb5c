resource "aws_api_gateway_stage" "quiet" { # shieldwall: expect SW-IAC-063
  stage_name    = "prod"
  rest_api_id   = "api"
  deployment_id = "dep"
}
resource "aws_api_gateway_stage" "logged" {
  stage_name    = "prod"
  rest_api_id   = "api"
  deployment_id = "dep"
  access_log_settings { # shieldwall: expect-not SW-IAC-063
    destination_arn = "arn:aws:logs:x"
    format          = "$context.requestId"
  }
}
