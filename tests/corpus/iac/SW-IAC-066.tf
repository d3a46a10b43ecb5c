resource "aws_secretsmanager_secret" "default_key" { # shieldwall: expect SW-IAC-066
  name = "a"
}
resource "aws_secretsmanager_secret" "cmk" {
  name       = "b"
  kms_key_id = aws_kms_key.secrets.arn # shieldwall: expect-not SW-IAC-066
}
