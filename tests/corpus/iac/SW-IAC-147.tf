resource "azurerm_mssql_firewall_rule" "everyone" {
  server_id        = azurerm_mssql_server.db.id
  start_ip_address = "0.0.0.0" # shieldwall: expect SW-IAC-147
  end_ip_address   = "255.255.255.255"
}
resource "azurerm_mssql_firewall_rule" "azure_services" {
  server_id        = azurerm_mssql_server.db.id
  start_ip_address = "0.0.0.0" # shieldwall: expect-not SW-IAC-147
  end_ip_address   = "0.0.0.0"
}
