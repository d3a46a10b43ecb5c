resource "aws_kinesis_stream" "plain" { # shieldwall: expect SW-IAC-038
  name        = "a"
  shard_count = 1
}
resource "aws_kinesis_stream" "sealed" {
  name            = "b"
  shard_count     = 1
  encryption_type = "KMS" # shieldwall: expect-not SW-IAC-038
}
