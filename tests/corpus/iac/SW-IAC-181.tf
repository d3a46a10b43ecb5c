resource "google_sql_database_instance" "nobackup" {
  name = "nobackup"
  settings {
    backup_configuration {
      enabled = false # shieldwall: expect SW-IAC-181
    }
    ip_configuration {
      require_ssl = true
    }
  }
}
resource "google_sql_database_instance" "backup" {
  name = "backup"
  settings {
    backup_configuration {
      enabled = true # shieldwall: expect-not SW-IAC-181
    }
    ip_configuration {
      require_ssl = true
    }
  }
}
