resource "aws_iam_role" "anyone" {
  name = "anyone"
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "*" } # shieldwall: expect SW-IAC-106
      Action    = "sts:AssumeRole"
    }]
  })
}
resource "aws_iam_role" "lambda" {
  name = "lambda"
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" } # shieldwall: expect-not SW-IAC-106
      Action    = "sts:AssumeRole"
    }]
  })
}
