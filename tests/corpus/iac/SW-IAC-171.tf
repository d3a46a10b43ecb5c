resource "google_storage_bucket_iam_member" "public" {
  bucket = "a"
  role   = "roles/storage.objectViewer"
  member = "allUsers" # shieldwall: expect SW-IAC-171
}
resource "google_storage_bucket_iam_binding" "auth" {
  bucket  = "a"
  role    = "roles/storage.objectViewer"
  members = ["user:a@example.com", "allAuthenticatedUsers"] # shieldwall: expect SW-IAC-171
}
resource "google_storage_bucket_iam_member" "group" {
  bucket = "a"
  role   = "roles/storage.objectViewer"
  member = "group:readers@example.com" # shieldwall: expect-not SW-IAC-171
}
