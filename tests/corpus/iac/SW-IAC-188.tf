resource "google_project_iam_member" "owner" {
  project = "p"
  role    = "roles/owner" # shieldwall: expect SW-IAC-188
  member  = "user:a@example.com"
}
resource "google_project_iam_member" "viewer" {
  project = "p"
  role    = "roles/viewer" # shieldwall: expect-not SW-IAC-188
  member  = "user:a@example.com"
}
