resource "google_container_cluster" "open" { # shieldwall: expect SW-IAC-185
  name = "open"
  private_cluster_config {
    enable_private_nodes = true
  }
}
resource "google_container_cluster" "closed" {
  name = "closed"
  private_cluster_config {
    enable_private_nodes = true
  }
  master_authorized_networks_config { # shieldwall: expect-not SW-IAC-185
    cidr_blocks {
      cidr_block = "10.0.0.0/8"
    }
  }
}
