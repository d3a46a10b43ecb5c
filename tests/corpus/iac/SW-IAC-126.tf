resource "azurerm_network_security_group" "web" {
  name = "web"
  security_rule {
    name                       = "ssh"
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_address_prefix      = "*" # shieldwall: expect SW-IAC-126
    destination_port_range     = "22"
    destination_address_prefix = "*"
  }
  security_rule {
    name                       = "ssh-office"
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_address_prefix      = "203.0.113.0/24" # shieldwall: expect-not SW-IAC-126
    destination_port_range     = "22"
    destination_address_prefix = "*"
  }
}
