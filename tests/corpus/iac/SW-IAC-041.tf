resource "aws_cloudtrail" "novalidation" { # shieldwall: expect SW-IAC-041
  name = "novalidation"
  is_multi_region_trail = true
  kms_key_id = aws_kms_key.trail.arn
  enable_logging = true
}
resource "aws_cloudtrail" "validated" {
  name = "validated"
  is_multi_region_trail = true
  kms_key_id = aws_kms_key.trail.arn
  enable_logging = true
  enable_log_file_validation = true # shieldwall: expect-not SW-IAC-041
}
