resource "aws_opensearch_domain" "plain" {
  domain_name = "plain"
  encrypt_at_rest {
    enabled = true
  }
  node_to_node_encryption {
    enabled = false # shieldwall: expect SW-IAC-036
  }
  domain_endpoint_options {
    enforce_https = true
  }
}
resource "aws_opensearch_domain" "on" {
  domain_name = "on"
  encrypt_at_rest {
    enabled = true
  }
  node_to_node_encryption {
    enabled = true # shieldwall: expect-not SW-IAC-036
  }
  domain_endpoint_options {
    enforce_https = true
  }
}
