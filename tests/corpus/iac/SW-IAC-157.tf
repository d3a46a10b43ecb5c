resource "azurerm_linux_web_app" "http" { # shieldwall: expect SW-IAC-157
  name = "a"
  site_config {
    minimum_tls_version = "1.2"
    ftps_state          = "Disabled"
  }
}
resource "azurerm_linux_web_app" "https" {
  name       = "b"
  https_only = true # shieldwall: expect-not SW-IAC-157
  site_config {
    minimum_tls_version = "1.2"
    ftps_state          = "Disabled"
  }
}
