resource "aws_iam_policy" "pass_any" {
  policy = jsonencode({
    Statement = [{
      Effect   = "Allow"
      Action   = ["iam:PassRole", "ecs:RunTask"] # shieldwall: expect SW-IAC-103
      Resource = "*"
    }]
  })
}
resource "aws_iam_policy" "pass_one" {
  policy = jsonencode({
    Statement = [{
      Effect   = "Allow"
      Action   = ["iam:PassRole"] # shieldwall: expect-not SW-IAC-103
      Resource = "arn:aws:iam::123456789012:role/task"
    }]
  })
}
