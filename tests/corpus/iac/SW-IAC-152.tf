resource "azurerm_key_vault_secret" "forever" { # shieldwall: expect SW-IAC-152
  name         = "db-password"
  value        = var.db_password
  key_vault_id = azurerm_key_vault.main.id
}
resource "azurerm_key_vault_secret" "expiring" {
  name            = "api-key"
  value           = var.api_key
  key_vault_id    = azurerm_key_vault.main.id
  expiration_date = "2026-12-31T00:00:00Z" # shieldwall: expect-not SW-IAC-152
}
