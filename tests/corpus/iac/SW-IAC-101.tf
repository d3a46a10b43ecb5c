data "aws_iam_policy_document" "wide" {
  statement {
    actions   = ["s3:*"] # shieldwall: expect SW-IAC-101
    resources = ["arn:aws:s3:::data/*"]
  }
  statement {
    actions   = ["s3:GetObject", "s3:PutObject"] # shieldwall: expect-not SW-IAC-101
    resources = ["arn:aws:s3:::data/*"]
  }
}
resource "aws_iam_role_policy" "wide" {
  role   = "app"
  policy = data.aws_iam_policy_document.wide.json
}
