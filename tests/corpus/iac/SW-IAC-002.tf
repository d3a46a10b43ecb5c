resource "aws_s3_bucket" "open" { # shieldwall: expect SW-IAC-002
  bucket = "open-bucket"
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
resource "aws_s3_bucket" "closed" { # shieldwall: expect-not SW-IAC-002
  bucket = "closed-bucket"
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
resource "aws_s3_bucket_public_access_block" "closed" {
  bucket                  = aws_s3_bucket.closed.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
