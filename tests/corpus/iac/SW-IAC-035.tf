resource "aws_opensearch_domain" "plain" { # shieldwall: expect SW-IAC-035
  domain_name = "plain"
  node_to_node_encryption {
    enabled = true
  }
  domain_endpoint_options {
    enforce_https = true
  }
}
resource "aws_opensearch_domain" "off" {
  domain_name = "off"
  encrypt_at_rest {
    enabled = false # shieldwall: expect SW-IAC-035
  }
  node_to_node_encryption {
    enabled = true
  }
  domain_endpoint_options {
    enforce_https = true
  }
}
resource "aws_opensearch_domain" "on" {
  domain_name = "on"
  encrypt_at_rest {
    enabled = true # shieldwall: expect-not SW-IAC-035
  }
  node_to_node_encryption {
    enabled = true
  }
  domain_endpoint_options {
    enforce_https = true
  }
}
