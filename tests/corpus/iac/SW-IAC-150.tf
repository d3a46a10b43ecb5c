resource "azurerm_key_vault" "purgeable" { # shieldwall: expect SW-IAC-150
  name = "a"
  network_acls {
    default_action = "Deny"
    bypass         = "AzureServices"
  }
}
resource "azurerm_key_vault" "protected" {
  name                     = "b"
  purge_protection_enabled = true # shieldwall: expect-not SW-IAC-150
  network_acls {
    default_action = "Deny"
    bypass         = "AzureServices"
  }
}
