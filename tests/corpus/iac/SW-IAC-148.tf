resource "azurerm_postgresql_server" "nossl" {
  name                          = "a"
  ssl_enforcement_enabled       = false # shieldwall: expect SW-IAC-148
  public_network_access_enabled = false
}
resource "azurerm_mysql_server" "ssl" {
  name                          = "b"
  ssl_enforcement_enabled       = true # shieldwall: expect-not SW-IAC-148
  public_network_access_enabled = false
}
