resource "azurerm_managed_disk" "platform_key" { # shieldwall: expect SW-IAC-162
  name         = "a"
  disk_size_gb = 64
}
resource "azurerm_managed_disk" "cmk" {
  name                   = "b"
  disk_size_gb           = 64
  disk_encryption_set_id = azurerm_disk_encryption_set.main.id # shieldwall: expect-not SW-IAC-162
}
