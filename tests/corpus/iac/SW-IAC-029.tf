resource "aws_elasticache_replication_group" "cleartext" {
  replication_group_id       = "a"
  at_rest_encryption_enabled = true
  transit_encryption_enabled = false # shieldwall: expect SW-IAC-029
}
resource "aws_elasticache_replication_group" "tls" {
  replication_group_id       = "b"
  at_rest_encryption_enabled = true
  transit_encryption_enabled = true # shieldwall: expect-not SW-IAC-029
}
