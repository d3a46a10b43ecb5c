resource "google_compute_firewall" "ssh" {
  name          = "ssh"
  network       = "default"
  source_ranges = ["0.0.0.0/0"] # shieldwall: expect SW-IAC-128
  allow {
    protocol = "tcp"
    ports    = ["22", "80"]
  }
}
resource "google_compute_firewall" "iap" {
  name          = "iap-ssh"
  network       = "default"
  source_ranges = ["35.235.240.0/20"] # shieldwall: expect-not SW-IAC-128
  allow {
    protocol = "tcp"
    ports    = ["22"]
  }
}
