resource "azurerm_kubernetes_cluster" "norbac" {
  name                              = "a"
  role_based_access_control_enabled = false # shieldwall: expect SW-IAC-153
  private_cluster_enabled = true
  network_profile {
    network_plugin = "azure"
    network_policy = "calico"
  }
}
resource "azurerm_kubernetes_cluster" "rbac" { # shieldwall: expect-not SW-IAC-153
  name = "b"
  private_cluster_enabled = true
  network_profile {
    network_plugin = "azure"
    network_policy = "calico"
  }
}
