resource "azurerm_container_registry" "admin" {
  name          = "a"
  admin_enabled = true # shieldwall: expect SW-IAC-161
}
resource "azurerm_container_registry" "aad" {
  name          = "b"
  admin_enabled = false # shieldwall: expect-not SW-IAC-161
}
