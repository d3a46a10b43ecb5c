resource "google_compute_firewall" "all_tcp" {
  name          = "all"
  network       = "default"
  source_ranges = ["0.0.0.0/0"] # shieldwall: expect SW-IAC-129 # shieldwall: expect SW-IAC-128
  allow {
    protocol = "tcp"
  }
}
resource "google_compute_firewall" "web" {
  name          = "web"
  network       = "default"
  source_ranges = ["0.0.0.0/0"] # shieldwall: expect-not SW-IAC-129
  allow {
    protocol = "tcp"
    ports    = ["443"]
  }
}
