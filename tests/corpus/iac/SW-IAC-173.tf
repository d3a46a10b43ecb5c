resource "google_compute_instance" "keys" {
  name = "keys"
  metadata = { # shieldwall: expect SW-IAC-173
    enable-oslogin = "TRUE"
  }
  network_interface {
    network = "default"
  }
  shielded_instance_config {
    enable_secure_boot = true
  }
}
resource "google_compute_instance" "blocked" {
  name = "blocked"
  metadata = {
    block-project-ssh-keys = true # shieldwall: expect-not SW-IAC-173
  }
  network_interface {
    network = "default"
  }
  shielded_instance_config {
    enable_secure_boot = true
  }
}
