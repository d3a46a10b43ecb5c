resource "aws_security_group" "wide" {
  ingress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"] # shieldwall: expect SW-IAC-125
  }
  ingress {
    from_port   = 0
    to_port     = 65535
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"] # shieldwall: expect SW-IAC-125
  }
  ingress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    self        = true # shieldwall: expect-not SW-IAC-125
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"] # shieldwall: expect-not SW-IAC-125
  }
}
