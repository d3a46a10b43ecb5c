resource "aws_vpc_security_group_ingress_rule" "ipv6" {
  security_group_id = aws_security_group.svc.id
  from_port         = 3389
  to_port           = 3389
  ip_protocol       = "tcp"
  cidr_ipv6         = "::/0" # shieldwall: expect SW-IAC-111
}
resource "aws_vpc_security_group_ingress_rule" "from_sg" {
  security_group_id            = aws_security_group.svc.id
  from_port                    = 3389
  to_port                      = 3389
  ip_protocol                  = "tcp"
  referenced_security_group_id = aws_security_group.bastion.id # shieldwall: expect-not SW-IAC-111
}
