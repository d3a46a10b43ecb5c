resource "aws_db_instance" "password_only" { # shieldwall: expect SW-IAC-073
  engine = "postgres"
  storage_encrypted               = true
  backup_retention_period         = 7
  deletion_protection             = true
  enabled_cloudwatch_logs_exports = ["postgresql"]
}
resource "aws_db_instance" "iam" {
  engine = "mysql"
  storage_encrypted               = true
  backup_retention_period         = 7
  deletion_protection             = true
  enabled_cloudwatch_logs_exports = ["postgresql"]
  iam_database_authentication_enabled = true # shieldwall: expect-not SW-IAC-073
}
resource "aws_db_instance" "oracle" { # shieldwall: expect-not SW-IAC-073
  engine = "oracle-ee"
  storage_encrypted               = true
  backup_retention_period         = 7
  deletion_protection             = true
  enabled_cloudwatch_logs_exports = ["postgresql"]
}
