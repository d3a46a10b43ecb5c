resource "aws_dynamodb_table" "nopitr" { # shieldwall: expect SW-IAC-027
  name     = "a"
  hash_key = "id"
}
resource "aws_dynamodb_table" "pitr" {
  name     = "b"
  hash_key = "id"
  point_in_time_recovery {
    enabled = true # shieldwall: expect-not SW-IAC-027
  }
}
