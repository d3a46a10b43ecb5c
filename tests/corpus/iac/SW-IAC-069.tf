resource "aws_guardduty_detector" "off" {
  enable = false # shieldwall: expect SW-IAC-069
}
resource "aws_guardduty_detector" "on" { # shieldwall: expect-not SW-IAC-069
}
