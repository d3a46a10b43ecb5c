resource "google_storage_bucket" "acl" { # shieldwall: expect SW-IAC-170
  name                     = "a"
  public_access_prevention = "enforced"
}
resource "google_storage_bucket" "uniform" {
  name                        = "b"
  public_access_prevention    = "enforced"
  uniform_bucket_level_access = true # shieldwall: expect-not SW-IAC-170
}
