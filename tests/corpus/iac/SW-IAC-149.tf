resource "azurerm_postgresql_server" "public" {
  name                          = "a"
  ssl_enforcement_enabled       = true
  public_network_access_enabled = true # shieldwall: expect SW-IAC-149
}
resource "azurerm_postgresql_server" "private" {
  name                          = "b"
  ssl_enforcement_enabled       = true
  public_network_access_enabled = false # shieldwall: expect-not SW-IAC-149
}
