resource "azurerm_key_vault" "open" { # shieldwall: expect SW-IAC-151
  name                     = "a"
  purge_protection_enabled = true
}
resource "azurerm_key_vault" "closed" {
  name                     = "b"
  purge_protection_enabled = true
  network_acls {
    default_action = "Deny" # shieldwall: expect-not SW-IAC-151
    bypass         = "AzureServices"
  }
}
