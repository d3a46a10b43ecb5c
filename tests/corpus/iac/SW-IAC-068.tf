resource "aws_iam_account_password_policy" "letters" {
  minimum_password_length      = 14
  require_lowercase_characters = true
  require_uppercase_characters = true
  require_numbers              = true
  require_symbols              = false # shieldwall: expect SW-IAC-068
}
resource "aws_iam_account_password_policy" "all" {
  minimum_password_length      = 14
  require_lowercase_characters = true
  require_uppercase_characters = true
  require_numbers              = true
  require_symbols              = true # shieldwall: expect-not SW-IAC-068
}
