resource "aws_cloudfront_distribution" "old" {
  web_acl_id = "arn:aws:wafv2::waf"
  default_cache_behavior {
    viewer_protocol_policy = "https-only"
  }
  viewer_certificate {
    minimum_protocol_version = "TLSv1" # shieldwall: expect SW-IAC-046
  }
}
resource "aws_cloudfront_distribution" "new" {
  web_acl_id = "arn:aws:wafv2::waf"
  default_cache_behavior {
    viewer_protocol_policy = "https-only"
  }
  viewer_certificate {
    minimum_protocol_version = "TLSv1.2_2021" # shieldwall: expect-not SW-IAC-046
  }
}
resource "aws_cloudfront_distribution" "default_cert" {
  web_acl_id = "arn:aws:wafv2::waf"
  default_cache_behavior {
    viewer_protocol_policy = "https-only"
  }
  viewer_certificate { # shieldwall: expect SW-IAC-046
    cloudfront_default_certificate = true
  }
}
