resource "google_sql_database_instance" "world" {
  name = "world"
  settings {
    backup_configuration {
      enabled = true
    }
    ip_configuration {
      require_ssl = true
      authorized_networks {
        name  = "all"
        value = "0.0.0.0/0" # shieldwall: expect SW-IAC-180
      }
    }
  }
}
resource "google_sql_database_instance" "office" {
  name = "office"
  settings {
    backup_configuration {
      enabled = true
    }
    ip_configuration {
      require_ssl = true
      authorized_networks {
        name  = "office"
        value = "203.0.113.0/24" # shieldwall: expect-not SW-IAC-180
      }
    }
  }
}
