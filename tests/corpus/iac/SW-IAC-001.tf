# A bucket made public through its ACL, in v3 inline style and v4 split-out style.
variable "bucket_acl" {
  default = "public-read"
}
resource "aws_s3_bucket" "inline" {
  bucket = "inline-bucket"
  acl    = var.bucket_acl # shieldwall: expect SW-IAC-001
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
resource "aws_s3_bucket_public_access_block" "inline" {
  bucket                  = aws_s3_bucket.inline.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
resource "aws_s3_bucket_acl" "split" {
  bucket = aws_s3_bucket.good.id
  acl    = "public-read-write" # shieldwall: expect SW-IAC-001
}
resource "aws_s3_bucket_acl" "unknown" {
  bucket = aws_s3_bucket.other.id
  acl    = var.acl_without_default # shieldwall: expect-not SW-IAC-001
}
resource "aws_s3_bucket" "good" {
  bucket = "good-bucket"
  acl    = "private" # shieldwall: expect-not SW-IAC-001
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
resource "aws_s3_bucket_public_access_block" "good" {
  bucket                  = aws_s3_bucket.good.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
resource "aws_s3_bucket" "other" {
  bucket = "other-bucket"
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
resource "aws_s3_bucket_public_access_block" "other" {
  bucket                  = aws_s3_bucket.other.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
