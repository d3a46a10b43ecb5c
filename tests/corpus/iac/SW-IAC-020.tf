resource "aws_db_instance" "plain" {
  engine = "postgres"
  backup_retention_period         = 7
  deletion_protection             = true
  enabled_cloudwatch_logs_exports = ["postgresql"]
  iam_database_authentication_enabled = true
  storage_encrypted = false # shieldwall: expect SW-IAC-020
}
resource "aws_db_instance" "sealed" {
  engine = "postgres"
  backup_retention_period         = 7
  deletion_protection             = true
  enabled_cloudwatch_logs_exports = ["postgresql"]
  iam_database_authentication_enabled = true
  storage_encrypted = true # shieldwall: expect-not SW-IAC-020
}
resource "aws_db_instance" "default" { # shieldwall: expect SW-IAC-020
  engine = "postgres"
  backup_retention_period         = 7
  deletion_protection             = true
  enabled_cloudwatch_logs_exports = ["postgresql"]
  iam_database_authentication_enabled = true
}
