resource "aws_ebs_volume" "plain" { # shieldwall: expect SW-IAC-010
  availability_zone = "eu-west-1a"
  size              = 40
}
resource "aws_ebs_volume" "off" {
  availability_zone = "eu-west-1a"
  encrypted         = false # shieldwall: expect SW-IAC-010
}
resource "aws_ebs_volume" "on" {
  availability_zone = "eu-west-1a"
  encrypted         = true # shieldwall: expect-not SW-IAC-010
}
