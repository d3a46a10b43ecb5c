resource "google_compute_subnetwork" "dark" { # shieldwall: expect SW-IAC-190
  name          = "a"
  ip_cidr_range = "10.0.0.0/24"
}
resource "google_compute_subnetwork" "logged" {
  name          = "b"
  ip_cidr_range = "10.0.1.0/24"
  log_config { # shieldwall: expect-not SW-IAC-190
    aggregation_interval = "INTERVAL_5_SEC"
  }
}
