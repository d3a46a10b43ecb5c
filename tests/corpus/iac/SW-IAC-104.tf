resource "aws_iam_user_policy" "escalate" {
  user = "ci" # shieldwall: expect SW-IAC-072
  policy = jsonencode({
    Statement = [{
      Effect   = "Allow"
      Action   = ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"] # shieldwall: expect SW-IAC-104
      Resource = "*"
    }]
  })
}
resource "aws_iam_group_policy" "scoped" {
  group = "admins"
  policy = jsonencode({
    Statement = [{
      Effect   = "Allow"
      Action   = ["iam:CreateAccessKey"] # shieldwall: expect-not SW-IAC-104
      Resource = "arn:aws:iam::123456789012:user/$${aws:username}"
    }]
  })
}
