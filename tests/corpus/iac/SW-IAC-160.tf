resource "azurerm_redis_cache" "plain" {
  name                = "a"
  enable_non_ssl_port = true # shieldwall: expect SW-IAC-160
}
resource "azurerm_redis_cache" "tls" {
  name                 = "b"
  non_ssl_port_enabled = false # shieldwall: expect-not SW-IAC-160
}
