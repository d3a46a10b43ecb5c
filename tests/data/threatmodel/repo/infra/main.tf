resource "aws_db_instance" "orders" {
  engine              = "postgres"
  publicly_accessible = true
}

resource "aws_s3_bucket" "uploads" {
  bucket = "uploads"
}

resource "aws_s3_bucket_policy" "uploads" {
  bucket = aws_s3_bucket.uploads.id
}

resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_security_group" "web" {
  name = "web"
}
