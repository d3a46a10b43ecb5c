resource "aws_launch_template" "v1" { # shieldwall: expect SW-IAC-014
  name_prefix = "web"
}
resource "aws_launch_template" "v2" { # shieldwall: expect-not SW-IAC-014
  name_prefix = "web"
  metadata_options {
    http_tokens = "required" # shieldwall: expect-not SW-IAC-014
  }
}
