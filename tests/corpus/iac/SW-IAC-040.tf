resource "aws_kms_key" "static" { # shieldwall: expect SW-IAC-040
  description = "no rotation"
}
resource "aws_kms_key" "rotated" {
  description         = "rotation"
  enable_key_rotation = true # shieldwall: expect-not SW-IAC-040
}
resource "aws_kms_key" "signing" { # shieldwall: expect-not SW-IAC-040
  customer_master_key_spec = "RSA_2048"
  key_usage                = "SIGN_VERIFY"
}
