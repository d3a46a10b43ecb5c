resource "aws_efs_file_system" "plain" { # shieldwall: expect SW-IAC-032
  creation_token = "a"
}
resource "aws_efs_file_system" "sealed" {
  creation_token = "b"
  encrypted      = true # shieldwall: expect-not SW-IAC-032
}
