variable "open_cidr" {
  default = "0.0.0.0/0"
}
resource "aws_security_group_rule" "open" {
  type              = "ingress"
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = [var.open_cidr] # shieldwall: expect SW-IAC-110
  security_group_id = aws_security_group.svc.id
}
resource "aws_security_group_rule" "other_port" {
  type              = "ingress"
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"] # shieldwall: expect-not SW-IAC-110
  security_group_id = aws_security_group.svc.id
}
resource "aws_security_group_rule" "unknown_source" {
  type              = "ingress"
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = var.allowed_cidrs # shieldwall: expect-not SW-IAC-110
  security_group_id = aws_security_group.svc.id
}
