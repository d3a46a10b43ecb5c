resource "google_container_cluster" "public" { # shieldwall: expect SW-IAC-184
  name = "public"
  master_authorized_networks_config {
    cidr_blocks {
      cidr_block = "10.0.0.0/8"
    }
  }
}
resource "google_container_cluster" "private" {
  name = "private"
  private_cluster_config {
    enable_private_nodes = true # shieldwall: expect-not SW-IAC-184
  }
  master_authorized_networks_config {
    cidr_blocks {
      cidr_block = "10.0.0.0/8"
    }
  }
}
