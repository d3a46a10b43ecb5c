resource "aws_db_instance" "nobackup" {
  engine = "postgres"
  storage_encrypted               = true
  deletion_protection             = true
  enabled_cloudwatch_logs_exports = ["postgresql"]
  iam_database_authentication_enabled = true
  backup_retention_period = 0 # shieldwall: expect SW-IAC-022
}
resource "aws_db_instance" "backup" {
  engine = "postgres"
  storage_encrypted               = true
  deletion_protection             = true
  enabled_cloudwatch_logs_exports = ["postgresql"]
  iam_database_authentication_enabled = true
  backup_retention_period = 14 # shieldwall: expect-not SW-IAC-022
}
