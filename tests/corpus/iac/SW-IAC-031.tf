resource "aws_redshift_cluster" "public" {
  cluster_identifier  = "a"
  encrypted           = true
  publicly_accessible = true # shieldwall: expect SW-IAC-031
}
resource "aws_redshift_cluster" "private" {
  cluster_identifier  = "b"
  encrypted           = true
  publicly_accessible = false # shieldwall: expect-not SW-IAC-031
}
