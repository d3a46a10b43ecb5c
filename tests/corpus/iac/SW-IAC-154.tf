resource "azurerm_kubernetes_cluster" "open" { # shieldwall: expect SW-IAC-154
  name = "a"
  network_profile {
    network_plugin = "azure"
    network_policy = "calico"
  }
}
resource "azurerm_kubernetes_cluster" "ranges" {
  name = "b"
  api_server_access_profile {
    authorized_ip_ranges = ["203.0.113.0/24"] # shieldwall: expect-not SW-IAC-154
  }
  network_profile {
    network_plugin = "azure"
    network_policy = "calico"
  }
}
