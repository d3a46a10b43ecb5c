resource "aws_lb" "nologs" { # shieldwall: expect SW-IAC-051
  name                       = "nologs"
  drop_invalid_header_fields = true
}
resource "aws_lb" "logs" {
  name                       = "logs"
  drop_invalid_header_fields = true
  access_logs {
    bucket  = "logs"
    enabled = true # shieldwall: expect-not SW-IAC-051
  }
}
