resource "aws_db_instance" "public" {
  engine = "postgres"
  storage_encrypted               = true
  backup_retention_period         = 7
  deletion_protection             = true
  enabled_cloudwatch_logs_exports = ["postgresql"]
  iam_database_authentication_enabled = true
  publicly_accessible = true # shieldwall: expect SW-IAC-021
}
resource "aws_db_instance" "private" {
  engine = "postgres"
  storage_encrypted               = true
  backup_retention_period         = 7
  deletion_protection             = true
  enabled_cloudwatch_logs_exports = ["postgresql"]
  iam_database_authentication_enabled = true
  publicly_accessible = false # shieldwall: expect-not SW-IAC-021
}
