resource "aws_redshift_cluster" "plain" { # shieldwall: expect SW-IAC-030
  cluster_identifier = "a"
}
resource "aws_redshift_cluster" "sealed" {
  cluster_identifier = "b"
  encrypted          = true # shieldwall: expect-not SW-IAC-030
}
