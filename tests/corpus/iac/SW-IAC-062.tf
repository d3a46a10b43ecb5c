resource "aws_api_gateway_method" "open" {
  rest_api_id   = "api"
  resource_id   = "res"
  http_method   = "GET"
  authorization = "NONE" # shieldwall: expect SW-IAC-062
}
resource "aws_api_gateway_method" "key" {
  rest_api_id      = "api"
  resource_id      = "res"
  http_method      = "POST"
  authorization    = "NONE" # shieldwall: expect-not SW-IAC-062
  api_key_required = true
}
resource "aws_api_gateway_method" "cors" {
  rest_api_id   = "api"
  resource_id   = "res"
  http_method   = "OPTIONS"
  authorization = "NONE" # shieldwall: expect-not SW-IAC-062
}
