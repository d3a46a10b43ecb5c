resource "aws_cloudfront_distribution" "http" {
  web_acl_id = "arn:aws:wafv2::waf"
  default_cache_behavior {
    viewer_protocol_policy = "allow-all" # shieldwall: expect SW-IAC-045
  }
  viewer_certificate {
    minimum_protocol_version = "TLSv1.2_2021"
  }
}
resource "aws_cloudfront_distribution" "https" {
  web_acl_id = "arn:aws:wafv2::waf"
  default_cache_behavior {
    viewer_protocol_policy = "redirect-to-https" # shieldwall: expect-not SW-IAC-045
  }
  viewer_certificate {
    minimum_protocol_version = "TLSv1.2_2021"
  }
}
