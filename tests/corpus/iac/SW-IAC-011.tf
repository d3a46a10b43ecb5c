resource "aws_instance" "v1" { # shieldwall: expect SW-IAC-011
  ami           = "ami-123"
  instance_type = "t3.micro"
  root_block_device {
    encrypted = true
  }
}
resource "aws_instance" "optional" {
  ami = "ami-123"
  metadata_options {
    http_tokens = "optional" # shieldwall: expect SW-IAC-011
  }
  root_block_device {
    encrypted = true
  }
}
resource "aws_instance" "v2" {
  ami = "ami-123"
  metadata_options {
    http_tokens = "required" # shieldwall: expect-not SW-IAC-011
  }
  root_block_device {
    encrypted = true
  }
}
