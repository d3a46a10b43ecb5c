resource "aws_iam_user_policy_attachment" "direct" {
  user       = "alice" # shieldwall: expect SW-IAC-072
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
resource "aws_iam_group_policy_attachment" "group" {
  group      = "devs" # shieldwall: expect-not SW-IAC-072
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
