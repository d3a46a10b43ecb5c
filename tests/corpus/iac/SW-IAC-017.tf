resource "aws_vpc" "logged" { # shieldwall: expect-not SW-IAC-017
  cidr_block = "10.0.0.0/16"
}
resource "aws_flow_log" "logged" {
  vpc_id       = aws_vpc.logged.id
  traffic_type = "ALL"
}
resource "aws_vpc" "dark" { # shieldwall: expect SW-IAC-017
  cidr_block = "10.1.0.0/16"
}
