resource "aws_iam_policy" "not_action" {
  policy = jsonencode({
    Statement = [
      {
        Effect    = "Allow"
        NotAction = ["iam:*"] # shieldwall: expect SW-IAC-102
        Resource  = "arn:aws:s3:::x"
      },
      {
        Effect    = "Deny"
        NotAction = ["s3:GetObject"] # shieldwall: expect-not SW-IAC-102
        Resource  = "*"
      },
    ]
  })
}
