resource "google_compute_instance" "router" {
  name = "router"
  metadata = {
    block-project-ssh-keys = true
  }
  network_interface {
    network = "default"
  }
  shielded_instance_config {
    enable_secure_boot = true
  }
  can_ip_forward = true # shieldwall: expect SW-IAC-174
}
resource "google_compute_instance" "host" {
  name = "host"
  metadata = {
    block-project-ssh-keys = true
  }
  network_interface {
    network = "default"
  }
  shielded_instance_config {
    enable_secure_boot = true
  }
  can_ip_forward = false # shieldwall: expect-not SW-IAC-174
}
