resource "google_container_cluster" "certs" {
  name = "certs"
  private_cluster_config {
    enable_private_nodes = true
  }
  master_authorized_networks_config {
    cidr_blocks {
      cidr_block = "10.0.0.0/8"
    }
  }
  master_auth {
    client_certificate_config {
      issue_client_certificate = true # shieldwall: expect SW-IAC-183
    }
  }
}
resource "google_container_cluster" "nocerts" {
  name = "nocerts"
  private_cluster_config {
    enable_private_nodes = true
  }
  master_authorized_networks_config {
    cidr_blocks {
      cidr_block = "10.0.0.0/8"
    }
  }
  master_auth {
    client_certificate_config {
      issue_client_certificate = false # shieldwall: expect-not SW-IAC-183
    }
  }
}
