resource "aws_opensearch_domain" "http" {
  domain_name = "http"
  encrypt_at_rest {
    enabled = true
  }
  node_to_node_encryption {
    enabled = true
  }
  domain_endpoint_options {
    enforce_https = false # shieldwall: expect SW-IAC-037
  }
}
resource "aws_opensearch_domain" "https" {
  domain_name = "https"
  encrypt_at_rest {
    enabled = true
  }
  node_to_node_encryption {
    enabled = true
  }
  domain_endpoint_options {
    enforce_https = true # shieldwall: expect-not SW-IAC-037
  }
}
