resource "aws_eks_cluster" "quiet" {
  name = "a"
  vpc_config {
    endpoint_public_access = false
  }
  enabled_cluster_log_types = ["api"] # shieldwall: expect SW-IAC-057
  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = "arn:aws:kms:k"
    }
  }
}
resource "aws_eks_cluster" "audited" {
  name = "b"
  vpc_config {
    endpoint_public_access = false
  }
  enabled_cluster_log_types = ["api", "audit"] # shieldwall: expect-not SW-IAC-057
  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = "arn:aws:kms:k"
    }
  }
}
