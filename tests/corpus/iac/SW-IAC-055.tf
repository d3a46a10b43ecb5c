resource "aws_eks_cluster" "public" {
  name     = "a"
  role_arn = "arn:aws:iam::1:role/eks"
  vpc_config { # shieldwall: expect SW-IAC-055
    subnet_ids = ["subnet-1"]
  }
  enabled_cluster_log_types = ["api", "audit"]
  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = "arn:aws:kms:k"
    }
  }
}
resource "aws_eks_cluster" "restricted" {
  name     = "b"
  role_arn = "arn:aws:iam::1:role/eks"
  vpc_config {
    subnet_ids          = ["subnet-1"]
    public_access_cidrs = ["203.0.113.0/24"] # shieldwall: expect-not SW-IAC-055
  }
  enabled_cluster_log_types = ["api", "audit"]
  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = "arn:aws:kms:k"
    }
  }
}
resource "aws_eks_cluster" "private" {
  name     = "c"
  role_arn = "arn:aws:iam::1:role/eks"
  vpc_config {
    endpoint_public_access = false # shieldwall: expect-not SW-IAC-055
  }
  enabled_cluster_log_types = ["api", "audit"]
  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = "arn:aws:kms:k"
    }
  }
}
