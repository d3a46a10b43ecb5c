CLOUDFLARE_API_TOKEN = "rpTJ3q-OzQ3aUK-DXSbAXbIcqyASipay1aOF8F4v"

sample_ref = "rpTJ3q-OzQ3aUK-DXSbAXbIcqy"

CLOUDFLARE_API_TOKEN = "rpTJ3q-OzQ3axxxxxxxxxxxxxxxxxxxxxxxxxxxx"
