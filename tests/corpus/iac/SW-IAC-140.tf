resource "azurerm_storage_account" "old" {
  name = "old"
  https_traffic_only_enabled = true
  allow_nested_items_to_be_public = false
  min_tls_version = "TLS1_0" # shieldwall: expect SW-IAC-140
  network_rules {
    default_action = "Deny"
  }
}
resource "azurerm_storage_account" "new" {
  name = "new"
  https_traffic_only_enabled = true
  allow_nested_items_to_be_public = false
  min_tls_version = "TLS1_2" # shieldwall: expect-not SW-IAC-140
  network_rules {
    default_action = "Deny"
  }
}
