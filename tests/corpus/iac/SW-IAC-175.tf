resource "google_compute_instance" "public" {
  name = "public"
  metadata = {
    block-project-ssh-keys = true
  }
  network_interface {
    network = "default"
    access_config {} # shieldwall: expect SW-IAC-175
  }
  shielded_instance_config {
    enable_secure_boot = true
  }
}
resource "google_compute_instance" "private" {
  name = "private"
  metadata = {
    block-project-ssh-keys = true
  }
  network_interface { # shieldwall: expect-not SW-IAC-175
    network = "default"
  }
  shielded_instance_config {
    enable_secure_boot = true
  }
}
