resource "aws_eks_cluster" "plain" { # shieldwall: expect SW-IAC-056
  name = "a"
  vpc_config {
    endpoint_public_access = false
  }
  enabled_cluster_log_types = ["audit"]
}
resource "aws_eks_cluster" "sealed" {
  name = "b"
  vpc_config {
    endpoint_public_access = false
  }
  enabled_cluster_log_types = ["audit"]
  encryption_config {
    resources = ["secrets"] # shieldwall: expect-not SW-IAC-056
    provider {
      key_arn = "arn:aws:kms:k"
    }
  }
}
