resource "aws_api_gateway_domain_name" "old" {
  domain_name     = "api.example.com"
  security_policy = "TLS_1_0" # shieldwall: expect SW-IAC-064
}
resource "aws_api_gateway_domain_name" "new" {
  domain_name     = "api.example.com"
  security_policy = "TLS_1_2" # shieldwall: expect-not SW-IAC-064
}
