resource "azurerm_kubernetes_cluster" "flat" {
  name                    = "a"
  private_cluster_enabled = true
  network_profile { # shieldwall: expect SW-IAC-155
    network_plugin = "kubenet"
  }
}
resource "azurerm_kubernetes_cluster" "policy" {
  name                    = "b"
  private_cluster_enabled = true
  network_profile {
    network_plugin = "azure"
    network_policy = "azure" # shieldwall: expect-not SW-IAC-155
  }
}
