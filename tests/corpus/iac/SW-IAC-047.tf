resource "aws_cloudfront_distribution" "waf" {
  web_acl_id = "arn:aws:wafv2::waf" # shieldwall: expect-not SW-IAC-047
  default_cache_behavior {
    viewer_protocol_policy = "https-only"
  }
  viewer_certificate {
    minimum_protocol_version = "TLSv1.2_2021"
  }
}
resource "aws_cloudfront_distribution" "nowaf" { # shieldwall: expect SW-IAC-047
  default_cache_behavior {
    viewer_protocol_policy = "https-only"
  }
  viewer_certificate {
    minimum_protocol_version = "TLSv1.2_2021"
  }
}
