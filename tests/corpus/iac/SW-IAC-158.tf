resource "azurerm_linux_web_app" "old" {
  name       = "a"
  https_only = true
  site_config {
    minimum_tls_version = "1.0" # shieldwall: expect SW-IAC-158
    ftps_state          = "Disabled"
  }
}
resource "azurerm_linux_web_app" "new" {
  name       = "b"
  https_only = true
  site_config {
    minimum_tls_version = "1.2" # shieldwall: expect-not SW-IAC-158
    ftps_state          = "Disabled"
  }
}
