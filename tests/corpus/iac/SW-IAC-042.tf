resource "aws_cloudtrail" "regional" {
  name = "regional"
  enable_log_file_validation = true
  kms_key_id = aws_kms_key.trail.arn
  enable_logging = true
  is_multi_region_trail = false # shieldwall: expect SW-IAC-042
}
resource "aws_cloudtrail" "global" {
  name = "global"
  enable_log_file_validation = true
  kms_key_id = aws_kms_key.trail.arn
  enable_logging = true
  is_multi_region_trail = true # shieldwall: expect-not SW-IAC-042
}
