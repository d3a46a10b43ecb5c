resource "azurerm_network_security_rule" "rdp" {
  name                        = "rdp"
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_address_prefix       = "Internet" # shieldwall: expect SW-IAC-127
  destination_port_ranges     = ["3380-3390"]
  destination_address_prefix  = "*"
  network_security_group_name = "nsg"
}
resource "azurerm_network_security_rule" "deny_rdp" {
  name                        = "deny-rdp"
  direction                   = "Inbound"
  access                      = "Deny"
  protocol                    = "Tcp"
  source_address_prefix       = "Internet" # shieldwall: expect-not SW-IAC-127
  destination_port_range      = "3389"
  destination_address_prefix  = "*"
  network_security_group_name = "nsg"
}
