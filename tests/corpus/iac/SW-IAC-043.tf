resource "aws_cloudtrail" "plain" { # shieldwall: expect SW-IAC-043
  name = "plain"
  enable_log_file_validation = true
  is_multi_region_trail = true
  enable_logging = true
}
resource "aws_cloudtrail" "sealed" {
  name = "sealed"
  enable_log_file_validation = true
  is_multi_region_trail = true
  enable_logging = true
  kms_key_id = aws_kms_key.trail.arn # shieldwall: expect-not SW-IAC-043
}
