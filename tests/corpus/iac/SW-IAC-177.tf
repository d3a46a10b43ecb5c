resource "google_compute_instance" "serial" {
  name = "serial"
  metadata = {
    block-project-ssh-keys = true
    serial-port-enable     = true # shieldwall: expect SW-IAC-177
  }
  network_interface {
    network = "default"
  }
  shielded_instance_config {
    enable_secure_boot = true
  }
}
resource "google_compute_instance" "noserial" {
  name = "noserial"
  metadata = {
    block-project-ssh-keys = true
    serial-port-enable     = false # shieldwall: expect-not SW-IAC-177
  }
  network_interface {
    network = "default"
  }
  shielded_instance_config {
    enable_secure_boot = true
  }
}
