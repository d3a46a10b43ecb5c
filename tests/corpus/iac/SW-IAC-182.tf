resource "google_container_cluster" "abac" {
  name = "abac"
  private_cluster_config {
    enable_private_nodes = true
  }
  master_authorized_networks_config {
    cidr_blocks {
      cidr_block = "10.0.0.0/8"
    }
  }
  enable_legacy_abac = true # shieldwall: expect SW-IAC-182
}
resource "google_container_cluster" "rbac" {
  name = "rbac"
  private_cluster_config {
    enable_private_nodes = true
  }
  master_authorized_networks_config {
    cidr_blocks {
      cidr_block = "10.0.0.0/8"
    }
  }
  enable_legacy_abac = false # shieldwall: expect-not SW-IAC-182
}
