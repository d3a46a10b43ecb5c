resource "azurerm_mssql_server" "old" {
  name                          = "old"
  minimum_tls_version           = "1.0" # shieldwall: expect SW-IAC-146
  public_network_access_enabled = false
}
resource "azurerm_mssql_server" "new" {
  name                          = "new"
  minimum_tls_version           = "1.2" # shieldwall: expect-not SW-IAC-146
  public_network_access_enabled = false
}
