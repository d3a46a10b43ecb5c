resource "aws_s3_bucket_policy" "public" {
  bucket = "site"
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = "*" # shieldwall: expect SW-IAC-105
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::site/*"
    }]
  })
}
resource "aws_sqs_queue_policy" "from_sns" {
  queue_url = "https://sqs/q"
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "*" } # shieldwall: expect-not SW-IAC-105
      Action    = "sqs:SendMessage"
      Resource  = "arn:aws:sqs:eu-west-1:123456789012:q"
      Condition = { ArnEquals = { "aws:SourceArn" = "arn:aws:sns:eu-west-1:123456789012:t" } }
    }]
  })
}
resource "aws_sns_topic_policy" "account" {
  arn = "arn:aws:sns:eu-west-1:123456789012:t"
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::123456789012:root" } # shieldwall: expect-not SW-IAC-105
      Action    = "sns:Publish"
      Resource  = "*"
    }]
  })
}
