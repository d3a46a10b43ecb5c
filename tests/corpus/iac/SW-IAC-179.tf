resource "google_sql_database_instance" "plain" {
  name = "plain"
  settings {
    backup_configuration {
      enabled = true
    }
    ip_configuration {
      ssl_mode = "ALLOW_UNENCRYPTED_AND_ENCRYPTED" # shieldwall: expect SW-IAC-179
    }
  }
}
resource "google_sql_database_instance" "tls" {
  name = "tls"
  settings {
    backup_configuration {
      enabled = true
    }
    ip_configuration {
      ssl_mode = "ENCRYPTED_ONLY" # shieldwall: expect-not SW-IAC-179
    }
  }
}
resource "google_sql_database_instance" "legacy" {
  name = "legacy"
  settings {
    backup_configuration {
      enabled = true
    }
    ip_configuration {
      require_ssl = true # shieldwall: expect-not SW-IAC-179
    }
  }
}
