resource "aws_rds_cluster" "plain" { # shieldwall: expect SW-IAC-025
  engine              = "aurora-postgresql"
  deletion_protection = true
}
resource "aws_rds_cluster" "sealed" {
  engine              = "aurora-postgresql"
  deletion_protection = true
  storage_encrypted   = true # shieldwall: expect-not SW-IAC-025
}
