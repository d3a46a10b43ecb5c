resource "google_compute_instance" "wide" {
  name = "wide"
  metadata = {
    block-project-ssh-keys = true
  }
  network_interface {
    network = "default"
  }
  shielded_instance_config {
    enable_secure_boot = true
  }
  service_account {
    scopes = ["cloud-platform"] # shieldwall: expect SW-IAC-176
  }
}
resource "google_compute_instance" "narrow" {
  name = "narrow"
  metadata = {
    block-project-ssh-keys = true
  }
  network_interface {
    network = "default"
  }
  shielded_instance_config {
    enable_secure_boot = true
  }
  service_account {
    scopes = ["logging-write"] # shieldwall: expect-not SW-IAC-176
  }
}
