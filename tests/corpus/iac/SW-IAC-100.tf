resource "aws_iam_policy" "admin" {
  name = "admin"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "*" # shieldwall: expect SW-IAC-100
      Resource = "*"
    }]
  })
}
resource "aws_iam_role_policy" "heredoc" {
  role   = aws_iam_role.app.id
  policy = <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["*"], "Resource": ["*"]},
    {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["*"]}
  ]
}
POLICY
}
data "aws_iam_policy_document" "doc" {
  statement {
    actions   = ["*"] # shieldwall: expect-not SW-IAC-100
    resources = ["arn:aws:s3:::one-bucket/*"]
  }
}
resource "aws_iam_policy" "from_data" {
  policy = data.aws_iam_policy_document.doc.json
}
resource "aws_iam_policy" "deny" {
  policy = jsonencode({
    Statement = [{
      Effect   = "Deny"
      Action   = "*" # shieldwall: expect-not SW-IAC-100
      Resource = "*"
    }]
  })
}
