resource "azurerm_storage_account" "http" {
  name = "http"
  min_tls_version = "TLS1_2"
  allow_nested_items_to_be_public = false
  https_traffic_only_enabled = false # shieldwall: expect SW-IAC-141
  network_rules {
    default_action = "Deny"
  }
}
resource "azurerm_storage_account" "legacy" {
  name = "legacy"
  enable_https_traffic_only = false # shieldwall: expect SW-IAC-141
  min_tls_version = "TLS1_2"
  allow_nested_items_to_be_public = false
  network_rules {
    default_action = "Deny"
  }
}
resource "azurerm_storage_account" "https" {
  name = "https"
  min_tls_version = "TLS1_2"
  allow_nested_items_to_be_public = false
  https_traffic_only_enabled = true # shieldwall: expect-not SW-IAC-141
  network_rules {
    default_action = "Deny"
  }
}
