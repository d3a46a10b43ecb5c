resource "aws_neptune_cluster" "plain" { # shieldwall: expect SW-IAC-034
  cluster_identifier = "a"
}
resource "aws_neptune_cluster" "sealed" {
  cluster_identifier = "b"
  storage_encrypted  = true # shieldwall: expect-not SW-IAC-034
}
