import ssl

old = ssl.SSLContext(ssl.PROTOCOL_TLSv1)  # shieldwall: expect SW-PY-030
ctx = ssl.create_default_context()
ctx.minimum_version = ssl.TLSVersion.TLSv1_1  # shieldwall: expect SW-PY-030
ctx.minimum_version = ssl.TLSVersion.TLSv1_2  # shieldwall: expect-not SW-PY-030
