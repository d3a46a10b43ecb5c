resource "aws_iam_account_password_policy" "weak" {
  minimum_password_length      = 8 # shieldwall: expect SW-IAC-067
  require_lowercase_characters = true
  require_uppercase_characters = true
  require_numbers              = true
  require_symbols              = true
}
resource "aws_iam_account_password_policy" "strong" {
  minimum_password_length      = 16 # shieldwall: expect-not SW-IAC-067
  require_lowercase_characters = true
  require_uppercase_characters = true
  require_numbers              = true
  require_symbols              = true
}
