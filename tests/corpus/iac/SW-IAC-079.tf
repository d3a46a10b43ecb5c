resource "aws_dms_replication_instance" "public" {
  replication_instance_id = "a"
  publicly_accessible     = true # shieldwall: expect SW-IAC-079
}
resource "aws_dms_replication_instance" "private" {
  replication_instance_id = "b"
  publicly_accessible     = false # shieldwall: expect-not SW-IAC-079
}
