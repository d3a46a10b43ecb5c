resource "aws_db_instance" "frozen" {
  engine = "postgres"
  storage_encrypted               = true
  backup_retention_period         = 7
  deletion_protection             = true
  enabled_cloudwatch_logs_exports = ["postgresql"]
  iam_database_authentication_enabled = true
  auto_minor_version_upgrade = false # shieldwall: expect SW-IAC-026
}
resource "aws_db_instance" "patched" {
  engine = "postgres"
  storage_encrypted               = true
  backup_retention_period         = 7
  deletion_protection             = true
  enabled_cloudwatch_logs_exports = ["postgresql"]
  iam_database_authentication_enabled = true
  auto_minor_version_upgrade = true # shieldwall: expect-not SW-IAC-026
}
