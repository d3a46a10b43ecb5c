resource "aws_db_instance" "quiet" { # shieldwall: expect SW-IAC-024
  engine = "postgres"
  storage_encrypted               = true
  backup_retention_period         = 7
  deletion_protection             = true
  iam_database_authentication_enabled = true
}
resource "aws_db_instance" "logs" {
  engine = "postgres"
  storage_encrypted               = true
  backup_retention_period         = 7
  deletion_protection             = true
  iam_database_authentication_enabled = true
  enabled_cloudwatch_logs_exports = ["postgresql", "upgrade"] # shieldwall: expect-not SW-IAC-024
}
