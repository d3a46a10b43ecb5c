resource "aws_instance" "no_root_block" { # shieldwall: expect SW-IAC-012
  ami = "ami-123"
  metadata_options {
    http_tokens = "required"
  }
}
resource "aws_instance" "plain_root" {
  ami = "ami-123"
  metadata_options {
    http_tokens = "required"
  }
  root_block_device {
    encrypted = false # shieldwall: expect SW-IAC-012
  }
}
resource "aws_instance" "encrypted_root" {
  ami = "ami-123"
  metadata_options {
    http_tokens = "required"
  }
  root_block_device {
    encrypted = true # shieldwall: expect-not SW-IAC-012
  }
}
