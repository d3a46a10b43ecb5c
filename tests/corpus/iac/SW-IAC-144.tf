resource "azurerm_storage_container" "public" {
  name                  = "public"
  container_access_type = "blob" # shieldwall: expect SW-IAC-144
}
resource "azurerm_storage_container" "private" { # shieldwall: expect-not SW-IAC-144
  name = "private"
}
