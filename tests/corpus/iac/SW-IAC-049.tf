resource "aws_lb_listener" "old" {
  port       = 443
  protocol   = "HTTPS"
  ssl_policy = "ELBSecurityPolicy-2016-08" # shieldwall: expect SW-IAC-049
}
resource "aws_lb_listener" "default_policy" { # shieldwall: expect SW-IAC-049
  port     = 443
  protocol = "HTTPS"
}
resource "aws_lb_listener" "modern" {
  port       = 443
  protocol   = "HTTPS"
  ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06" # shieldwall: expect-not SW-IAC-049
}
