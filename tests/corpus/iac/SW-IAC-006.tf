resource "aws_s3_bucket" "sse_s3" { # shieldwall: expect SW-IAC-002, SW-IAC-004, SW-IAC-005
  bucket = "sse-s3"
}
resource "aws_s3_bucket_server_side_encryption_configuration" "sse_s3" {
  bucket = aws_s3_bucket.sse_s3.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256" # shieldwall: expect SW-IAC-006
    }
  }
}
resource "aws_s3_bucket" "kms" { # shieldwall: expect-not SW-IAC-006 # shieldwall: expect SW-IAC-002, SW-IAC-004, SW-IAC-005
  bucket = "kms"
}
resource "aws_s3_bucket_server_side_encryption_configuration" "kms" {
  bucket = aws_s3_bucket.kms.bucket
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms" # shieldwall: expect-not SW-IAC-006
      kms_master_key_id = aws_kms_key.s3.arn
    }
  }
}
resource "aws_s3_bucket" "unknown" { # shieldwall: expect-not SW-IAC-006 # shieldwall: expect SW-IAC-002, SW-IAC-004, SW-IAC-005
  bucket = "unknown"
}
resource "aws_s3_bucket_server_side_encryption_configuration" "unknown" {
  bucket = aws_s3_bucket.unknown.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = var.algorithm
    }
  }
}
