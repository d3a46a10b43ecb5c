resource "aws_s3_bucket_public_access_block" "partial" {
  bucket                  = aws_s3_bucket.partial.id
  block_public_acls       = true
  block_public_policy     = false # shieldwall: expect SW-IAC-003
  ignore_public_acls      = true
  restrict_public_buckets = true
}
resource "aws_s3_bucket_public_access_block" "missing" { # shieldwall: expect SW-IAC-003
  bucket            = aws_s3_bucket.missing.id
  block_public_acls = true
}
resource "aws_s3_bucket" "partial" {
  bucket = "partial-bucket"
  acl    = "private"
  versioning {
    enabled = true
  }
  logging {
    target_bucket = "logs-bucket"
  }
  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm = "aws:kms"
      }
    }
  }
}
resource "aws_s3_bucket_public_access_block" "partial" {
  bucket                  = aws_s3_bucket.partial.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
resource "aws_s3_bucket" "missing" {
  bucket = "missing-bucket"
  acl    = "private"
  versioning {
    enabled = true
  }
  logging {
    target_bucket = "logs-bucket"
  }
  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm = "aws:kms"
      }
    }
  }
}
resource "aws_s3_bucket_public_access_block" "missing" {
  bucket                  = aws_s3_bucket.missing.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
resource "aws_s3_bucket" "full" {
  bucket = "full-bucket"
  acl    = "private"
  versioning {
    enabled = true
  }
  logging {
    target_bucket = "logs-bucket"
  }
  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm = "aws:kms"
      }
    }
  }
}
resource "aws_s3_bucket_public_access_block" "full" {
  bucket                  = aws_s3_bucket.full.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true # shieldwall: expect-not SW-IAC-003
}
