resource "azurerm_windows_web_app" "ftp" {
  name       = "a"
  https_only = true
  site_config {
    minimum_tls_version = "1.2"
    ftps_state          = "AllAllowed" # shieldwall: expect SW-IAC-159
  }
}
resource "azurerm_windows_web_app" "ftps" {
  name       = "b"
  https_only = true
  site_config {
    minimum_tls_version = "1.2"
    ftps_state          = "FtpsOnly" # shieldwall: expect-not SW-IAC-159
  }
}
