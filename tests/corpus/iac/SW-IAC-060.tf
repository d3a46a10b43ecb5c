resource "aws_sqs_queue" "plain" { # shieldwall: expect SW-IAC-060
  name = "a"
}
resource "aws_sqs_queue" "managed" {
  name                    = "b"
  sqs_managed_sse_enabled = true # shieldwall: expect-not SW-IAC-060
}
resource "aws_sqs_queue" "kms" {
  name              = "c"
  kms_master_key_id = "alias/aws/sqs" # shieldwall: expect-not SW-IAC-060
}
