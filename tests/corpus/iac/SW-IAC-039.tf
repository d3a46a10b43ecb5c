resource "aws_msk_cluster" "mixed" {
  cluster_name = "a"
  encryption_info {
    encryption_in_transit {
      client_broker = "TLS_PLAINTEXT" # shieldwall: expect SW-IAC-039
    }
  }
}
resource "aws_msk_cluster" "tls" { # shieldwall: expect-not SW-IAC-039
  cluster_name = "b"
}
