resource "google_storage_bucket" "inherited" { # shieldwall: expect SW-IAC-172
  name                        = "a"
  uniform_bucket_level_access = true
}
resource "google_storage_bucket" "enforced" {
  name                        = "b"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced" # shieldwall: expect-not SW-IAC-172
}
