# v4 style: versioning is a separate resource joined to its bucket by reference or by name.
resource "aws_s3_bucket" "suspended" { # shieldwall: expect SW-IAC-002, SW-IAC-006
  bucket = "suspended-bucket"
}
resource "aws_s3_bucket_versioning" "suspended" {
  bucket = aws_s3_bucket.suspended.id
  versioning_configuration {
    status = "Suspended" # shieldwall: expect SW-IAC-004
  }
}
resource "aws_s3_bucket" "none" { # shieldwall: expect SW-IAC-004 # shieldwall: expect SW-IAC-002, SW-IAC-005, SW-IAC-006
  bucket = "none-bucket"
}
resource "aws_s3_bucket" "enabled" { # shieldwall: expect-not SW-IAC-004 # shieldwall: expect SW-IAC-002, SW-IAC-005, SW-IAC-006
  bucket = "enabled-bucket"
}
resource "aws_s3_bucket_versioning" "enabled" {
  bucket = "enabled-bucket"
  versioning_configuration {
    status = "Enabled" # shieldwall: expect-not SW-IAC-004
  }
}
resource "aws_s3_bucket_logging" "all" {
  for_each      = toset(["a"])
  bucket        = aws_s3_bucket.suspended.id
  target_bucket = "logs"
}
