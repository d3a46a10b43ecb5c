resource "aws_elasticache_replication_group" "plain" { # shieldwall: expect SW-IAC-028
  replication_group_id       = "a"
  transit_encryption_enabled = true
}
resource "aws_elasticache_replication_group" "sealed" {
  replication_group_id       = "b"
  at_rest_encryption_enabled = true # shieldwall: expect-not SW-IAC-028
  transit_encryption_enabled = true
}
