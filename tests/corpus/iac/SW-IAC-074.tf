resource "aws_rds_cluster" "unprotected" { # shieldwall: expect SW-IAC-074
  engine            = "aurora-postgresql"
  storage_encrypted = true
}
resource "aws_rds_cluster" "protected" {
  engine              = "aurora-postgresql"
  storage_encrypted   = true
  deletion_protection = true # shieldwall: expect-not SW-IAC-074
}
