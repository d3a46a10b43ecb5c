CONSUL_HTTP_TOKEN = "9d7d1a89-8029-41a4-abad-3bd67dc5c486"

sample_ref = "9d7d1a89-8029-41a4-abad-3bd67d"

CONSUL_HTTP_TOKEN = "9d7d1a89-802xxxxxxxxxxxxxxxxxxxxxxxx"
