resource "azurerm_mssql_server" "public" { # shieldwall: expect SW-IAC-145
  name                = "public"
  minimum_tls_version = "1.2"
}
resource "azurerm_mssql_server" "private" {
  name                          = "private"
  minimum_tls_version           = "1.2"
  public_network_access_enabled = false # shieldwall: expect-not SW-IAC-145
}
