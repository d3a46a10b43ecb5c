resource "azurerm_storage_account" "public" {
  name = "public"
  min_tls_version = "TLS1_2"
  https_traffic_only_enabled = true
  allow_nested_items_to_be_public = true # shieldwall: expect SW-IAC-142
  network_rules {
    default_action = "Deny"
  }
}
resource "azurerm_storage_account" "private" {
  name = "private"
  min_tls_version = "TLS1_2"
  https_traffic_only_enabled = true
  allow_nested_items_to_be_public = false # shieldwall: expect-not SW-IAC-142
  network_rules {
    default_action = "Deny"
  }
}
