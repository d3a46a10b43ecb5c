resource "aws_rds_cluster" "plain" { # shieldwall: expect SW-IAC-025
  engine = "aurora-postgresql"
}
resource "aws_rds_cluster" "sealed" {
  engine            = "aurora-postgresql"
  storage_encrypted = true # shieldwall: expect-not SW-IAC-025
}
