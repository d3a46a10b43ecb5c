resource "aws_lb" "alb" { # shieldwall: expect SW-IAC-050
  name = "alb"
  access_logs {
    bucket  = "logs"
    enabled = true
  }
}
resource "aws_lb" "strict" {
  name                       = "strict"
  drop_invalid_header_fields = true # shieldwall: expect-not SW-IAC-050
  access_logs {
    bucket  = "logs"
    enabled = true
  }
}
resource "aws_lb" "nlb" { # shieldwall: expect-not SW-IAC-050
  name               = "nlb"
  load_balancer_type = "network"
  access_logs {
    bucket  = "logs"
    enabled = true
  }
}
