resource "aws_default_security_group" "open" {
  vpc_id = "vpc-1"
  ingress { # shieldwall: expect SW-IAC-015
    protocol  = -1
    self      = true
    from_port = 0
    to_port   = 0
  }
}
resource "aws_default_security_group" "closed" { # shieldwall: expect-not SW-IAC-015
  vpc_id = "vpc-2"
}
