resource "google_container_node_pool" "pinned" {
  name    = "a"
  cluster = "c"
  management {
    auto_upgrade = false # shieldwall: expect SW-IAC-186
  }
}
resource "google_container_node_pool" "upgraded" { # shieldwall: expect-not SW-IAC-186
  name    = "b"
  cluster = "c"
}
