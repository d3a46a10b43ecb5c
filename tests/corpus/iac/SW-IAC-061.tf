resource "aws_sns_topic" "plain" { # shieldwall: expect SW-IAC-061
  name = "a"
}
resource "aws_sns_topic" "sealed" {
  name              = "b"
  kms_master_key_id = "alias/aws/sns" # shieldwall: expect-not SW-IAC-061
}
