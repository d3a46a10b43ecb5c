resource "aws_docdb_cluster" "plain" { # shieldwall: expect SW-IAC-033
  cluster_identifier = "a"
}
resource "aws_docdb_cluster" "sealed" {
  cluster_identifier = "b"
  storage_encrypted  = true # shieldwall: expect-not SW-IAC-033
}
