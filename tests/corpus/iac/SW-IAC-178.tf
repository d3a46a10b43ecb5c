resource "google_compute_instance" "insecure_boot" {
  name = "insecure_boot"
  metadata = {
    block-project-ssh-keys = true
  }
  network_interface {
    network = "default"
  }
  shielded_instance_config {
    enable_secure_boot = false # shieldwall: expect SW-IAC-178
  }
}
resource "google_compute_instance" "secure_boot" {
  name = "secure_boot"
  metadata = {
    block-project-ssh-keys = true
  }
  network_interface {
    network = "default"
  }
  shielded_instance_config {
    enable_secure_boot = true # shieldwall: expect-not SW-IAC-178
  }
}
