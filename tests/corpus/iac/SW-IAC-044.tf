resource "aws_cloudtrail" "stopped" {
  name = "stopped"
  enable_log_file_validation = true
  is_multi_region_trail = true
  kms_key_id = aws_kms_key.trail.arn
  enable_logging = false # shieldwall: expect SW-IAC-044
}
resource "aws_cloudtrail" "running" { # shieldwall: expect-not SW-IAC-044
  name = "running"
  enable_log_file_validation = true
  is_multi_region_trail = true
  kms_key_id = aws_kms_key.trail.arn
}
