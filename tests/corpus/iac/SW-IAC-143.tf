resource "azurerm_storage_account" "allow" { # shieldwall: expect SW-IAC-143
  name = "allow"
  min_tls_version = "TLS1_2"
  https_traffic_only_enabled = true
  allow_nested_items_to_be_public = false
}
resource "azurerm_storage_account" "deny" {
  name = "deny"
  min_tls_version = "TLS1_2"
  https_traffic_only_enabled = true
  allow_nested_items_to_be_public = false
  network_rules {
    default_action = "Deny" # shieldwall: expect-not SW-IAC-143
  }
}
resource "azurerm_storage_account" "split" { # shieldwall: expect-not SW-IAC-143
  name = "split"
  min_tls_version = "TLS1_2"
  https_traffic_only_enabled = true
  allow_nested_items_to_be_public = false
}
resource "azurerm_storage_account_network_rules" "split" {
  storage_account_id = azurerm_storage_account.split.id
  default_action     = "Deny"
}
