resource "google_kms_crypto_key" "static" { # shieldwall: expect SW-IAC-187
  name     = "a"
  key_ring = "ring"
}
resource "google_kms_crypto_key" "rotated" {
  name            = "b"
  key_ring        = "ring"
  rotation_period = "7776000s" # shieldwall: expect-not SW-IAC-187
}
