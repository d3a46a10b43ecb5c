resource "google_bigquery_dataset" "shared" {
  dataset_id = "a"
  access {
    role          = "READER"
    special_group = "allAuthenticatedUsers" # shieldwall: expect SW-IAC-189
  }
}
resource "google_bigquery_dataset" "team" {
  dataset_id = "b"
  access {
    role          = "READER"
    special_group = "projectReaders" # shieldwall: expect-not SW-IAC-189
  }
}
