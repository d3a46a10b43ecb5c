resource "aws_instance" "public" {
  ami                         = "ami-123"
  associate_public_ip_address = true # shieldwall: expect SW-IAC-013
  metadata_options {
    http_tokens = "required"
  }
  root_block_device {
    encrypted = true
  }
}
resource "aws_instance" "private" {
  ami                         = "ami-123"
  associate_public_ip_address = false # shieldwall: expect-not SW-IAC-013
  metadata_options {
    http_tokens = "required"
  }
  root_block_device {
    encrypted = true
  }
}
