resource "aws_s3_bucket" "unlogged" { # shieldwall: expect SW-IAC-005 # shieldwall: expect SW-IAC-002, SW-IAC-004, SW-IAC-006
  bucket = "unlogged"
}
resource "aws_s3_bucket" "logged" { # shieldwall: expect-not SW-IAC-005 # shieldwall: expect SW-IAC-002, SW-IAC-004, SW-IAC-006
  bucket = "logged"
}
resource "aws_s3_bucket_logging" "logged" {
  bucket        = aws_s3_bucket.logged.id
  target_bucket = aws_s3_bucket.unlogged.id
  target_prefix = "access/"
}
