resource "aws_cloudwatch_log_group" "plain" { # shieldwall: expect SW-IAC-065
  name = "a"
}
resource "aws_cloudwatch_log_group" "sealed" {
  name       = "b"
  kms_key_id = aws_kms_key.logs.arn # shieldwall: expect-not SW-IAC-065
}
