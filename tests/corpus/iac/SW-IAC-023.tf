resource "aws_db_instance" "unprotected" {
  engine = "postgres"
  storage_encrypted               = true
  backup_retention_period         = 7
  enabled_cloudwatch_logs_exports = ["postgresql"]
  iam_database_authentication_enabled = true
  deletion_protection = false # shieldwall: expect SW-IAC-023
}
resource "aws_db_instance" "protected" {
  engine = "postgres"
  storage_encrypted               = true
  backup_retention_period         = 7
  enabled_cloudwatch_logs_exports = ["postgresql"]
  iam_database_authentication_enabled = true
  deletion_protection = true # shieldwall: expect-not SW-IAC-023
}
