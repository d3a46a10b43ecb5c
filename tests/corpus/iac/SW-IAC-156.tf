resource "azurerm_linux_virtual_machine" "password" {
  name                            = "a"
  admin_password                  = var.admin_password
  disable_password_authentication = false # shieldwall: expect SW-IAC-156
}
resource "azurerm_linux_virtual_machine" "keys" { # shieldwall: expect-not SW-IAC-156
  name = "b"
  admin_ssh_key {
    username   = "azureuser"
    public_key = var.ssh_public_key
  }
}
