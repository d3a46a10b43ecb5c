resource "aws_mq_broker" "public" {
  broker_name         = "a"
  publicly_accessible = true # shieldwall: expect SW-IAC-078
}
resource "aws_mq_broker" "private" { # shieldwall: expect-not SW-IAC-078
  broker_name = "b"
}
